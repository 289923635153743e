import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import { launchChromium, phoneContext, phoneSnapshots, signIn } from "./chromium";
import { auditor } from "./staff-helpers";

const snap = phoneSnapshots("lists-");

/**
 * The lists behind the home's "另有 N 个未列出": every need and event in reach, on a 360-px phone,
 * each page under 20 KB, without script, with no serious axe-core finding, in Chinese and English.
 */
describe("the staff lists in headless Chromium on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens each list view as `login`, checking each page; the needs' views only when allowed. */
  async function visit(login: string, javaScript: boolean, needs: boolean) {
    const context = await phoneContext(browser, javaScript);
    const page: Page = await context.newPage();
    const audit = auditor(browser, page, javaScript);
    const see = async (name: string) => {
      await snap(page, `${login}-${name}`, javaScript);
      await audit(`${login} ${name}`);
    };
    try {
      await signIn(page, baseUrl, login);
      await page.waitForURL(`${baseUrl}/staff`);
      // Without the lists these are 404 pages: fail here rather than wait for their links.
      expect((await page.goto(`${baseUrl}/staff/events`))?.status()).toBe(200);
      expect(await page.locator("nav.views a[aria-current=page]").textContent()).toBe("即将开展");
      await see("events");
      await page.getByRole("link", { name: "已过去" }).click();
      await page.waitForURL(`${baseUrl}/staff/events?when=past`);
      await see("events-past");
      if (needs) {
        expect((await page.goto(`${baseUrl}/staff/needs`))?.status()).toBe(200);
        await see("needs");
        await page.getByRole("link", { name: "全部", exact: true }).click();
        await page.waitForURL(`${baseUrl}/staff/needs?status=all`);
        await see("needs-all");
        await page.goto(`${baseUrl}/staff/needs?status=all&lang=en`);
        expect(await page.locator("html").getAttribute("lang")).toBe("en");
        await see("needs-all-english");
      }
      await page.goto(`${baseUrl}/staff/events?lang=en`);
      await see("events-english");
    } finally {
      await context.close();
    }
  }

  for (const javaScript of [true, false]) {
    it(`shows a coordinator's needs and events (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      await visit(demoLogins.duofuCoordinator, javaScript, true);
    });
  }

  it("shows an admin every community's, with their names", async () => {
    await visit(demoLogins.admin, false, true);
  });

  it("shows a social worker the events they lead", async () => {
    await visit(demoLogins.socialWorker, false, false);
  });
});
