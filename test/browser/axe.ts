import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in `page` (evaluated through the DevTools protocol: no CSP applies to it). */
async function violationsIn(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { resultTypes: ["violations"] })) as {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  });
}

/**
 * Keeps the HTML of each document `page` is served (after redirects; POST results too), exactly
 * as the server sent it, to measure it and, where the page runs no script, to audit it.
 */
export function servedDocuments(page: Page): () => Promise<string> {
  let last: Promise<string> = Promise.resolve("");
  page.on("response", (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || response.frame() !== page.mainFrame()) return;
    if (response.status() >= 300 && response.status() < 400) return;
    last = response.text().catch(() => "");
  });
  return () => last;
}

/**
 * Fails on any serious or critical axe-core violation. With JavaScript on, axe runs inside the
 * page itself; with it off (nothing can be evaluated there), it runs on the very HTML the page
 * was served, loaded into a page of the same browser that may run script.
 */
export async function expectAccessible(
  page: Page,
  name: string,
  options: { javaScript: boolean; html: string; browser: Browser },
): Promise<void> {
  let violations: Violation[];
  if (options.javaScript) violations = await violationsIn(page);
  else {
    const context = await options.browser.newContext({ viewport: page.viewportSize() });
    try {
      const auditor = await context.newPage();
      await auditor.setContent(options.html);
      violations = await violationsIn(auditor);
    } finally {
      await context.close();
    }
  }
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious, `${name}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

/** The page as served stays under 20 KB of HTML and needs no script. */
export function expectLightPage(html: string, name: string): void {
  expect(html.length, `${name} was served no HTML`).toBeGreaterThan(0);
  expect(new TextEncoder().encode(html).length, `${name} HTML bytes`).toBeLessThan(20_000);
  expect(html.toLowerCase(), `${name} has a script`).not.toContain("<script");
}
