import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/seed/demo";

/** Debian's Chromium, driven by playwright-core (no downloaded browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Fails loudly, never skips, when the browser the tests need is missing. */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests drive a real Chromium: ` +
        "install it with `apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM_PATH.",
    );
  }
}

/** Launches headless Chromium with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Where the browser tests leave their screenshots (git-ignored) for a person to look at. */
export const ARTIFACTS = fileURLToPath(new URL("../artifacts/browser/", import.meta.url));

/** The phone the pages must fit. */
export const PHONE = { width: 360, height: 740 };

/** A browser context on that phone (touch, Chinese), with JavaScript on or off. */
export async function phoneContext(browser: Browser, javaScript: boolean): Promise<BrowserContext> {
  return withoutSpeedLimit(
    await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: javaScript,
      locale: "zh-CN",
    }),
  );
}

/**
 * Lifts Playwright's 30 s limit on each action and navigation: on a busy machine a page may take
 * longer, and that is no failure (vitest's hang guard still ends a test that never finishes).
 */
export function withoutSpeedLimit(context: BrowserContext): BrowserContext {
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
  return context;
}

/** Signs in through the staff login page as a demo account (where it lands is the caller's). */
export async function signIn(page: Page, baseUrl: string, login: string): Promise<void> {
  await page.goto(`${baseUrl}/staff/login`);
  await page.getByLabel("登录名").fill(login);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

/** A day `offset` days from now in Beijing time, as the date input wants it. */
export function dayFromNow(offset: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A screenshot function for one test file: saves a full-page PNG as
 * `<prefix><js|nojs>-<name>.png` and checks nothing is wider than the phone.
 */
export function phoneSnapshots(prefix: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return async (page: Page, name: string, javaScript: boolean): Promise<void> => {
    await page.screenshot({
      path: `${ARTIFACTS}${prefix}${javaScript ? "js" : "nojs"}-${name}.png`,
      fullPage: true,
    });
    const width = await page
      .evaluate(() => document.documentElement.scrollWidth)
      .catch(() => undefined);
    if (width !== undefined) {
      expect(width, `${name} scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
    }
  };
}
