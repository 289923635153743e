import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import {
  launchChromium,
  phoneContext,
  phoneSnapshots,
  signIn,
  withoutSpeedLimit,
} from "./chromium";

const snap = phoneSnapshots("dashboard-");

/** The issue asks for a screenshot kept beside the tests: test/artifacts/dashboard-*.png. */
const KEPT = fileURLToPath(new URL("../artifacts/", import.meta.url));

describe("the tallies dashboard in headless Chromium", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(KEPT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const javaScript of [true, false]) {
    it(`shows 沈阳's 2025 figures, charts and coverage on a phone (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      try {
        await signIn(page, baseUrl, demoLogins.shenyangDepartment);
        // A department lands on its dashboard.
        await page.waitForURL(`${baseUrl}/staff/tallies`);
        await page.getByLabel("起始月份").fill("2025-01");
        await page.getByLabel("截止月份").fill("2025-12");
        await page.getByRole("button", { name: "查询" }).click();
        await page.waitForURL(/from=2025-01/);
        expect(await page.locator("h1").textContent()).toBe("沈阳市");

        const events = await page
          .locator(".figure", { hasText: "服务活动（场）" })
          .first()
          .locator("dd")
          .textContent();
        expect(Number((events ?? "").replace(/[^\d]/g, ""))).toBeGreaterThan(0);

        // Three charts, each an image with a title, and the same numbers in a table.
        const charts = page.getByRole("img");
        expect(await charts.count()).toBe(3);
        expect(await page.getByRole("img", { name: /各月服务人次/ }).count()).toBe(1);
        await page.getByText("查看数据表").first().click();
        expect(await page.getByRole("table", { name: "按月趋势" }).isVisible()).toBe(true);
        expect(await page.getByRole("table", { name: "按下级地区" }).textContent()).toContain(
          "沈河区",
        );
        expect(await page.getByRole("heading", { name: "覆盖情况" }).isVisible()).toBe(true);
        expect(await page.getByRole("heading", { name: "2025 年度试点工作汇总" }).isVisible()).toBe(
          true,
        );
        await snap(page, "01-shenyang-2025", javaScript);
        if (javaScript)
          await page.screenshot({ path: `${KEPT}dashboard-phone.png`, fullPage: true });

        // The CSV link downloads a file with the BOM.
        const href = await page
          .getByRole("link", { name: /下载 CSV/ })
          .first()
          .getAttribute("href");
        const csv = await page.request.get(`${baseUrl}${href}`);
        expect(csv.status()).toBe(200);
        expect([...(await csv.body()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      } finally {
        await context.close();
      }
    });
  }

  it("fits a desktop window too (kept as test/artifacts/dashboard-desktop.png)", async () => {
    const context = withoutSpeedLimit(
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" }),
    );
    const page = await context.newPage();
    try {
      await signIn(page, baseUrl, demoLogins.admin);
      await page.waitForURL(`${baseUrl}/staff`);
      await page.goto(`${baseUrl}/staff/tallies?region=210000&from=2025-01&to=2025-12`);
      expect(await page.locator("h1").textContent()).toBe("辽宁省");
      expect(await page.getByRole("img").count()).toBe(3);
      await page.screenshot({ path: `${KEPT}dashboard-desktop.png`, fullPage: true });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(1280);
    } finally {
      await context.close();
    }
  });
});
