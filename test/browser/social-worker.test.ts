import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import { launchChromium, phoneContext, phoneSnapshots, signIn } from "./chromium";

const snap = phoneSnapshots("social-worker-");

describe("a lead social worker's pages in headless Chromium on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in to the events they lead and opens one's check-in", async () => {
    const context = await phoneContext(browser, false);
    const page = await context.newPage();
    try {
      await signIn(page, baseUrl, demoLogins.socialWorker);
      await page.waitForURL(`${baseUrl}/staff`);
      expect(await page.getByText("我负责的服务活动").count()).toBe(1);
      expect(await page.getByRole("heading", { name: "即将开展的服务活动" }).count()).toBe(1);
      // The demo gives 多福社区 an upcoming event led by this social worker.
      const checkins = page.getByRole("link", { name: /^签到：/ });
      expect(await checkins.count()).toBeGreaterThan(0);
      expect(await page.getByRole("link", { name: "发布服务需求" }).count()).toBe(0);
      await snap(page, "01-home", false);

      await checkins.first().click();
      await page.waitForURL(/\/staff\/events\/[0-9a-f-]+\/checkin$/);
      expect(await page.getByText("活动签到", { exact: true }).count()).toBe(1);
      expect(await page.getByLabel("确认码").count()).toBe(1);
      await snap(page, "02-checkin", false);
    } finally {
      await context.close();
    }
  });
});
