import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import {
  dayFromNow,
  launchChromium,
  phoneContext,
  phoneSnapshots,
  signIn,
  withoutSpeedLimit,
} from "./chromium";

const snap = phoneSnapshots("signup-");

/**
 * The test books its own event: a coordinator books one through the staff pages (post a need,
 * pick the first candidate), as in real use. Returns the new event's id.
 */
async function bookEvent(browser: Browser, baseUrl: string, offset: number): Promise<string> {
  const context = withoutSpeedLimit(await browser.newContext({ locale: "zh-CN" }));
  const page = await context.newPage();
  try {
    await signIn(page, baseUrl, demoLogins.duofuCoordinator);
    await page.waitForURL(`${baseUrl}/staff`);
    await page.goto(`${baseUrl}/staff/needs/new`);
    await page.getByLabel("服务类型").selectOption("elderly_care");
    await page.getByLabel("老年人").check();
    await page.getByLabel("预计服务人数").fill("30");
    await page.locator("#window-0-date").fill(dayFromNow(offset));
    await page.locator("#window-0-from").fill("09:00");
    await page.locator("#window-0-to").fill("11:30");
    await page.getByRole("button", { name: "发布需求" }).last().click();
    await page.waitForURL(/\/staff\/needs\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: /^选择第 1 名/ }).click();
    await page.waitForURL(/\/staff\?booked=/);
    const id = new URL(page.url()).searchParams.get("booked");
    if (!id) throw new Error("no event was booked");
    return id;
  } finally {
    await context.close();
  }
}

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
        await page.locator(`a[href="/events/${eventId}"]`).click();
        await page.waitForURL(`${baseUrl}/events/${eventId}`);
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
        await page.waitForURL(`${baseUrl}/events/${eventId}/signup`);
        expect(await page.locator("h1").textContent()).toBe("报名成功");
        expect(await page.locator(".score").textContent()).toMatch(/^[A-Z0-9]{6}$/);
        await snap(page, "04-confirmation", javaScript);

        await page.locator('a[href*="/signups/"]').click();
        await page.waitForURL(/\/signups\/[A-Za-z0-9_-]+$/);
        expect(await page.locator("h1").textContent()).toBe("我的报名");
        expect(await page.getByText(mobile).isVisible()).toBe(true);
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
