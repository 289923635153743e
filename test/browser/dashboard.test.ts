import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import {
  ARTIFACTS,
  launchChromium,
  phoneContext,
  phoneSnapshots,
  signIn,
  withoutSpeedLimit,
} from "./chromium";
import { auditor } from "./staff-helpers";

const snap = phoneSnapshots("dashboard-");

/** The issue asks for a screenshot kept beside the tests: test/artifacts/dashboard-*.png. */
const KEPT = fileURLToPath(new URL("../artifacts/", import.meta.url));

/** The desktop the department's dashboard must use the width of. */
const DESKTOP = { width: 1366, height: 900 };

/** The figure under a headline label, as a number. */
async function figure(page: Page, label: string): Promise<number> {
  const text = await page
    .locator(".figure", { hasText: label })
    .first()
    .locator("dd")
    .textContent();
  return Number((text ?? "").replace(/[^\d]/g, ""));
}

/** The department picks 2025, checks the figures and charts, and opens 沈河区 from its row. */
async function presetsAndDrillDown(page: Page, baseUrl: string) {
  await page
    .getByRole("navigation", { name: "快速选择统计期" })
    .getByRole("link", { name: "2025 年" })
    .click();
  await page.waitForURL(/from=2025-01&to=2025-12/);
  expect(await page.locator("h1").textContent()).toBe("沈阳市");
  expect(await page.getByRole("link", { name: "2025 年" }).getAttribute("aria-current")).toBe(
    "true",
  );
  expect(await figure(page, "服务活动（场）")).toBeGreaterThan(0);
  // Three charts, each an image with a title, and the same numbers in a table.
  expect(await page.getByRole("img").count()).toBe(3);
  expect(await page.getByRole("img", { name: /各月服务人次/ }).count()).toBe(1);
  const cityPersonTimes = await figure(page, "服务群众（人次）");
  await page
    .getByRole("table", { name: "按下级地区" })
    .getByRole("link", { name: /沈河区/ })
    .click();
  await page.waitForURL(/region=210103&from=2025-01&to=2025-12/);
  expect(await page.locator("h1").textContent()).toBe("沈河区");
  expect(await figure(page, "服务群众（人次）")).toBeLessThan(cityPersonTimes);
  expect(
    await page
      .getByRole("navigation", { name: "地区" })
      .getByRole("link", { name: /沈阳市/ })
      .count(),
  ).toBe(1);
  return `${baseUrl}/staff/tallies?region=210103&from=2025-01&to=2025-12`;
}

describe("the department's dashboard in headless Chromium", () => {
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
    it(`takes a preset, drills down from a region row and downloads CSV on a phone (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      const accessible = auditor(browser, page, javaScript);
      try {
        await signIn(page, baseUrl, demoLogins.shenyangDepartment);
        // A department lands on its dashboard.
        await page.waitForURL(`${baseUrl}/staff/tallies`);
        await snap(page, "01-landing", javaScript);
        await accessible("dashboard landing");
        await presetsAndDrillDown(page, baseUrl);
        await snap(page, "02-shenhe-2025", javaScript);
        await accessible("dashboard 沈河区 2025");
        if (javaScript)
          await page.screenshot({ path: `${KEPT}dashboard-phone.png`, fullPage: true });

        // The months can still be typed for any other period.
        await page.getByLabel("起始月份").fill("2025-03");
        await page.getByLabel("截止月份").fill("2025-05");
        await page.getByRole("button", { name: "查询" }).click();
        await page.waitForURL(/from=2025-03&to=2025-05/);
        expect(await page.locator("h1").textContent()).toBe("沈河区");

        // The CSV link downloads a file with the BOM.
        const href = await page
          .getByRole("link", { name: "CSV", exact: true })
          .first()
          .getAttribute("href");
        const csv = await page.request.get(new URL(href ?? "", page.url()).href);
        expect(csv.status()).toBe(200);
        expect([...(await csv.body()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      } finally {
        await context.close();
      }
    });
  }

  it("uses a 1366-px desktop's width, drills down, prints and exports (kept as test/artifacts/dashboard-desktop.png)", async () => {
    const context = withoutSpeedLimit(
      await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" }),
    );
    const page = await context.newPage();
    const accessible = auditor(browser, page, true);
    try {
      await signIn(page, baseUrl, demoLogins.shenyangDepartment);
      await page.waitForURL(`${baseUrl}/staff/tallies`);
      const shenhe = await presetsAndDrillDown(page, baseUrl);
      // Two columns: the monthly chart and the region table side by side.
      const month = await page
        .locator("section", { has: page.locator("#month-title") })
        .boundingBox();
      const region = await page
        .locator("section", { has: page.locator("#region-title") })
        .boundingBox();
      expect(month && region && Math.abs(month.y - region.y)).toBeLessThan(5);
      expect((region?.x ?? 0) - (month?.x ?? 0)).toBeGreaterThan(400);
      expect(await page.locator("main").evaluate((main) => main.clientWidth)).toBeGreaterThan(1200);
      await page.screenshot({ path: `${KEPT}dashboard-desktop.png`, fullPage: true });
      await page.screenshot({
        path: `${ARTIFACTS}dashboard-desktop-01-shenhe.png`,
        fullPage: true,
      });
      await accessible("desktop dashboard");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(DESKTOP.width);

      // Tables that scroll take the keyboard: Tab reaches the region table's scroll area.
      const scrollRegion = page.locator('section.scroll[aria-labelledby="region-table-caption"]');
      expect(await scrollRegion.getAttribute("tabindex")).toBe("0");

      await page.getByRole("link", { name: "数据表与打印版" }).click();
      await page.waitForURL(/print=1/);
      expect(await page.locator("form").count()).toBe(1); // only the sign-out button's
      expect(await page.getByRole("table", { name: "按月趋势" }).isVisible()).toBe(true);
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("header.bar").isVisible()).toBe(false);
      await page.screenshot({ path: `${ARTIFACTS}dashboard-desktop-02-print.png`, fullPage: true });
      await page.emulateMedia({ media: "screen" });
      await accessible("print view");
      await page.getByRole("link", { name: /返回统计页/ }).click();
      await page.waitForURL(shenhe);

      const href = await page
        .getByRole("link", { name: "CSV", exact: true })
        .last()
        .getAttribute("href");
      const csv = await page.request.get(new URL(href ?? "", page.url()).href);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-disposition"]).toMatch(/^attachment;/);
    } finally {
      await context.close();
    }
  });
});
