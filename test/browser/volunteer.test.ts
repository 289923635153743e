import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, expectLightPage, servedDocuments } from "./axe";
import { bookEvent } from "./book";
import { launchChromium, phoneContext, phoneSnapshots } from "./chromium";

const snap = phoneSnapshots("volunteer-");

/** 多福社区 (沈河区), one of the demo's communities. */
const SHENHE = "210103";

/** Every page of the journey: a screenshot, the phone's width, axe, size and no script. */
async function check(
  page: Page,
  name: string,
  options: { javaScript: boolean; served: () => Promise<string>; browser: Browser },
) {
  await snap(page, name, options.javaScript);
  const html = await options.served();
  expectLightPage(html, name);
  await expectAccessible(page, name, { ...options, html });
}

/** The newest one-time code sent to `masked`, from the development message list. */
async function codeFromDevMessages(page: Page, baseUrl: string, masked: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${baseUrl}/dev/messages`);
    const card = page.locator("li.card", { hasText: masked }).filter({ hasText: "验证码" });
    if ((await card.count()) > 0) {
      const code = /验证码是 (\d{6})/.exec((await card.first().textContent()) ?? "")?.[1];
      if (code) return code;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no code was sent to ${masked}`);
}

describe("a volunteer's whole journey on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [javaScript, offset, mobile] of [
    [true, 44, "13700137000"],
    [false, 45, "13600136000"],
  ] as const) {
    it(`finds, signs up, reloads, adds to calendar, recovers by code and cancels (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const eventId = await bookEvent(browser, baseUrl, offset);
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      const audit = { javaScript, served: servedDocuments(page), browser };
      const masked = `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
      try {
        // The front door: upcoming events, finding one's sign-ups, the way in for staff.
        await page.goto(`${baseUrl}/`);
        expect(await page.getByRole("link", { name: "工作人员登录" }).isVisible()).toBe(true);
        await check(page, "01-front", audit);

        // Find: one form for city and county, then the community, then a date chip.
        await page.goto(`${baseUrl}/events`);
        await page.getByLabel("地区").selectOption(SHENHE);
        await page.getByRole("button", { name: "查找活动" }).click();
        await page.waitForURL(/region=210103/);
        const near = page.getByLabel("离我近：我的社区");
        await near.selectOption({ label: "多福社区" });
        await page.getByRole("button", { name: "查找活动" }).click();
        await page.waitForURL(/near=\d{12}/);
        expect(await page.locator(".badge", { hasText: "本社区" }).count()).toBeGreaterThan(0);
        await check(page, "02-list-near", audit);
        await page.getByRole("link", { name: "本周" }).click();
        await page.waitForURL(/when=week/);
        await check(page, "03-list-week", audit);

        // Sign up: POST → 303 → the private page is the confirmation.
        await page.goto(`${baseUrl}/events/${eventId}`);
        await check(page, "04-event", audit);
        await page.getByLabel("姓名").fill("陈志愿");
        await page.getByLabel("手机号码").fill(mobile);
        await page.getByLabel("我已阅读并同意上述个人信息说明").check();
        await page.getByRole("button", { name: "提交报名" }).click();
        await page.waitForURL(/\/signups\/[A-Za-z0-9_-]+\?new=1$/);
        expect(await page.locator("h1").textContent()).toBe("报名成功");
        const code = await page.locator(".score").textContent();
        expect(await page.getByText(masked).isVisible()).toBe(true);
        await check(page, "05-confirmation", audit);

        // Reload: the same confirmation, not a second submission.
        await page.reload();
        expect(await page.locator("h1").textContent()).toBe("报名成功");
        expect(await page.locator(".score").textContent()).toBe(code);

        // Add to calendar: an .ics of the event.
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "添加到日历" }).click(),
        ]);
        const ics = readFileSync((await download.path()) ?? "", "utf8");
        expect(ics).toContain("BEGIN:VEVENT");
        expect(ics).toContain("DTSTART;TZID=Asia/Shanghai:");

        // The confirmation SMS (development page) carries the private link.
        await page.goto(`${baseUrl}/dev/messages`);
        const sms = page.locator("li.card", { hasText: masked }).filter({ hasText: "报名成功" });
        await sms.first().waitFor();
        expect(await sms.first().textContent()).toMatch(/查看或取消：http:\/\/\S+\/signups\//);
        await check(page, "06-dev-messages", audit);

        // Lost the link: find it again with a code by SMS.
        await page.goto(`${baseUrl}/find`);
        await check(page, "07-find", audit);
        await page.getByLabel("手机号码").fill(mobile);
        await page.getByRole("button", { name: "发送验证码" }).click();
        await page.waitForURL(/\/find\/[A-Za-z0-9_-]+$/);
        const flow = page.url();
        await check(page, "08-code", audit);
        const oneTime = await codeFromDevMessages(page, baseUrl, masked);
        await page.goto(flow);
        await page.getByLabel("验证码").fill(oneTime);
        await page.getByRole("button", { name: "验证" }).click();
        await page.waitForURL(flow);
        expect(await page.locator("h1").textContent()).toBe("我的报名");
        await check(page, "09-recovered", audit);

        // Cancel through the new link.
        await page.getByRole("link", { name: "查看或取消" }).first().click();
        await page.waitForURL(/\/signups\/[A-Za-z0-9_-]+$/);
        await check(page, "10-private", audit);
        await page.getByRole("button", { name: "确认取消报名" }).click();
        await page.waitForURL(/\/cancel$/);
        expect(await page.locator("h1").textContent()).toBe("已取消报名");
        await check(page, "11-cancelled", audit);
      } finally {
        await context.close();
      }
    }, 150_000);
  }
});
