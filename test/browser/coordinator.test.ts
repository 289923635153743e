import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD, demoLogins } from "../../scripts/seed/demo";
import { dayFromNow, launchChromium, phoneContext, phoneSnapshots } from "./chromium";
import { auditor, signUpVolunteer } from "./staff-helpers";

const snap = phoneSnapshots("");

/** Posts a need for the day `offset` days ahead and waits for its page of candidates. */
async function postNeed(
  page: Page,
  baseUrl: string,
  offset: number,
  snapshot: typeof snap,
  js: boolean,
) {
  await page.getByRole("link", { name: "发布服务需求" }).click();
  await page.waitForURL(`${baseUrl}/staff/needs/new`);
  await page.getByLabel("服务类型").selectOption("elderly_care");
  await page.getByLabel("老年人").check();
  await page.getByLabel("预计服务人数").fill("30");
  await page.locator("#window-0-date").fill(dayFromNow(offset));
  await page.locator("#window-0-from").fill("09:00");
  await page.locator("#window-0-to").fill("08:00");
  await page.getByLabel("备注").fill("<b>重阳节</b> 敬老活动");
  await snapshot(page, "03-need-form", js);
  // The latest start is before the earliest: the server says so beside the window.
  await page.getByRole("button", { name: "发布需求" }).last().click();
  expect(await page.locator("#window-0-error").textContent()).toBe(
    "最晚开始时间须晚于最早开始时间",
  );
  expect(await page.getByRole("alert").textContent()).toContain("时间段 1");
  expect(await page.getByLabel("预计服务人数").inputValue()).toBe("30");
  await snapshot(page, "04-need-form-error", js);
  await page.locator("#window-0-to").fill("11:30");
  await page.getByRole("button", { name: "发布需求" }).last().click();
  await page.waitForURL(/\/staff\/needs\/[0-9a-f-]{36}$/);
}

describe("a coordinator's journey in headless Chromium on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [javaScript, offset] of [
    [true, 30],
    [false, 31],
  ] as const) {
    it(`posts a need, compares, confirms, shares the poster, adds places and opens check-in (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      const audit = auditor(browser, page, javaScript);
      const see = async (name: string) => {
        await snap(page, name, javaScript);
        await audit(name);
      };
      try {
        await page.goto(`${baseUrl}/staff`);
        expect(new URL(page.url()).pathname).toBe("/staff/login");
        await see("01-login");
        // Keyboard users first meet the skip link, with a visible focus ring.
        await page.keyboard.press("Tab");
        expect(await page.evaluate(() => document.activeElement?.className)).toBe("skip");
        await snap(page, "01b-login-keyboard-focus", javaScript);

        await page.getByLabel("登录名").fill(demoLogins.duofuCoordinator);
        await page.getByLabel("密码").fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "登录", exact: true }).click();
        await page.waitForURL(`${baseUrl}/staff`);
        expect(await page.locator("h1").textContent()).toBe("多福社区");
        await see("02-home");

        await postNeed(page, baseUrl, offset, snap, javaScript);
        expect(await page.locator("h1").textContent()).toBe("服务需求：养老照护");
        expect(await page.getByText("<b>重阳节</b> 敬老活动").isVisible()).toBe(true);
        // Plain words, each social worker once; the points are folded away.
        const reasons = await page.locator("ul.why li").allTextContents();
        expect(reasons.some((line) => /^(同在|来自)/.test(line))).toBe(true);
        expect(reasons.some((line) => /^持.级证书/.test(line))).toBe(true);
        const names = await page.locator("li.cand h3").allTextContents();
        expect(new Set(names).size).toBe(names.length);
        expect(names.length).toBeGreaterThan(1);
        await see("05-candidates");

        // 选择 the second social worker: a confirmation first, nothing booked yet.
        const worker = (names[1] ?? "").replace(/（.*$/, "");
        await page
          .getByRole("link", { name: /^选择：/ })
          .nth(1)
          .click();
        await page.waitForURL(/\/confirm\?/);
        expect(await page.locator("h1").textContent()).toBe("确认预约");
        await page.getByLabel("志愿者名额").fill("1");
        await page.getByLabel("集合地点").fill("社区服务中心一楼大厅");
        await page.getByLabel("联系方式").fill("王老师 024-12345678");
        await see("06-confirm");
        await page.getByRole("button", { name: "确认预约" }).click();
        await page.waitForURL(/\/staff\/events\/[0-9a-f-]{36}\?done=booked$/);
        const eventId = /events\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
        expect(await page.getByRole("status").textContent()).toContain("已创建活动");
        expect(await page.locator("dl.facts").textContent()).toContain(worker);
        expect(await page.getByLabel(/报名页链接/).inputValue()).toBe(
          `${baseUrl}/events/${eventId}`,
        );
        await see("07-event-page");

        await page.getByRole("link", { name: "打印报名海报（A4）" }).click();
        await page.waitForURL(/\/poster$/);
        expect(await page.getByRole("img", { name: /^报名二维码/ }).count()).toBe(1);
        expect(await page.getByText("社区服务中心一楼大厅").count()).toBe(1);
        await see("08-poster");
        await page.getByRole("link", { name: /返回活动页/ }).click();
        await page.waitForURL(`${baseUrl}/staff/events/${eventId}`);

        // Two volunteers sign up for the one place: the second waits.
        const first = await signUpVolunteer(baseUrl, eventId, javaScript ? "赵有位" : "钱有位");
        await signUpVolunteer(baseUrl, eventId, javaScript ? "孙候补" : "李候补");
        await page.getByRole("link", { name: "刷新" }).click();
        expect(await page.locator("#count-confirmed").textContent()).toBe("1 / 1");
        expect(await page.locator("#count-waitlisted").textContent()).toBe("1");
        await see("09-roster");

        // One more place: the waitlisted volunteer moves up at once.
        await page.getByText("调整名额与报名截止").click();
        await page.getByLabel("志愿者名额").fill("2");
        await page.getByRole("button", { name: "保存报名设置" }).click();
        await page.waitForURL(/done=settings/);
        expect(await page.getByRole("status").textContent()).toContain("报名设置已保存");
        expect(await page.locator("#count-confirmed").textContent()).toBe("2 / 2");
        expect(await page.locator("#count-waitlisted").textContent()).toBe("0");
        await see("10-more-places");

        // The check-in page lists who comes; a code opens only on the event's day (the lead social
        // worker's journey checks in on the day itself).
        await page.getByRole("link", { name: "签到", exact: true }).click();
        await page.waitForURL(/\/checkin$/);
        expect(await page.locator("#count-attended").textContent()).toBe("0");
        await page.getByLabel("确认码").fill(first.confirmationCode.toLowerCase());
        await page.getByRole("button", { name: "签到", exact: true }).click();
        expect(await page.locator("#code-error").textContent()).toContain("活动当天");
        await see("11-checkin-not-yet");

        if (javaScript) {
          await page.getByRole("link", { name: "English" }).click();
          expect(await page.locator("html").getAttribute("lang")).toBe("en");
          await page.goto(`${baseUrl}/staff`);
          expect(await page.getByRole("link", { name: "Post a service need" }).isVisible()).toBe(
            true,
          );
          await see("12-home-english");
          await page.goto(`${baseUrl}/staff/events/${eventId}`);
          await see("13-event-english");
          await page.goto(`${baseUrl}/staff?lang=zh`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
