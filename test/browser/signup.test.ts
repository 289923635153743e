import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bookEvent } from "./book";
import { launchChromium, phoneContext, phoneSnapshots } from "./chromium";

const snap = phoneSnapshots("signup-");

describe("volunteer sign-up in headless Chromium on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [javaScript, offset, mobile] of [
    [true, 40, "13800138000"],
    [false, 41, "13900139000"],
  ] as const) {
    it(`signs up, sees the confirmation, follows the private link and cancels (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const eventId = await bookEvent(browser, baseUrl, offset);
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      try {
        await page.goto(`${baseUrl}/events`);
        await snap(page, "01-list", javaScript);
        // The list shows ten events a page, soonest first; this one is weeks ahead.
        await page.goto(`${baseUrl}/events/${eventId}`);
        expect(await page.getByText("养老照护").first().isVisible()).toBe(true);
        await snap(page, "02-event", javaScript);

        // Submitted without consent and with a short number: both errors, input kept.
        await page.getByLabel("姓名").fill("李志愿");
        await page.getByLabel("手机号码").fill("1381234567");
        await page.getByRole("button", { name: "提交报名" }).click();
        expect(await page.locator("#mobile-error").textContent()).toContain("11 位手机号码");
        expect(await page.locator("#consent-error").textContent()).toContain("请勾选同意");
        expect(await page.getByRole("alert").textContent()).toContain("请修改以下问题");
        expect(await page.getByLabel("姓名").inputValue()).toBe("李志愿");
        await snap(page, "03-form-errors", javaScript);

        await page.getByLabel("手机号码").fill(mobile);
        await page.getByLabel("卫生救护").check();
        await page.getByLabel("我已阅读并同意上述个人信息说明").check();
        await page.getByRole("button", { name: "提交报名" }).click();
        // POST → 303 → the private page, which is the confirmation.
        await page.waitForURL(/\/signups\/[A-Za-z0-9_-]+\?new=1$/);
        expect(await page.locator("h1").textContent()).toBe("报名成功");
        expect(await page.locator(".score").textContent()).toMatch(/^[A-Z0-9]{6}$/);
        await snap(page, "04-confirmation", javaScript);

        await page.locator('.link-box a[href*="/signups/"]').click();
        await page.waitForURL(/\/signups\/[A-Za-z0-9_-]+$/);
        expect(await page.locator("h1").textContent()).toBe("我的报名");
        const masked = `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
        expect(await page.getByText(masked).isVisible()).toBe(true);
        expect(await page.content()).not.toContain(mobile);
        await snap(page, "05-manage", javaScript);

        await page.getByRole("button", { name: "确认取消报名" }).click();
        await page.waitForURL(/\/cancel$/);
        expect(await page.locator("h1").textContent()).toBe("已取消报名");
        await snap(page, "06-cancelled", javaScript);
      } finally {
        await context.close();
      }
    });
  }
});
