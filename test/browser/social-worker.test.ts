import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import { dayFromNow, launchChromium, phoneContext, phoneSnapshots, signIn } from "./chromium";
import {
  auditor,
  bookForDemoSocialWorker,
  moveIntoThePast,
  signUpVolunteer,
} from "./staff-helpers";

const snap = phoneSnapshots("social-worker-");

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** Midnight, Beijing time, of the day `at` falls on: when check-in opens for an event then. */
function beijingMidnight(at: number): number {
  return Math.floor((at + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS;
}

/**
 * A start later today (Beijing), so that its check-in is open: twenty minutes from now, or a
 * quarter to midnight if that is sooner. Past a quarter to midnight it is tomorrow's 00:20, and
 * the check-in steps wait for midnight.
 */
function laterToday(now: number): number {
  const lastStart = beijingMidnight(now) + DAY_MS - 15 * 60_000;
  const start = Math.min(now + 20 * 60_000, lastStart);
  return start > now + 60_000 ? start : beijingMidnight(now) + DAY_MS + 20 * 60_000;
}

/**
 * The lead social worker's journey: answer an assignment, subscribe the calendar, check
 * volunteers in at the door — on a 360-px phone with JavaScript on and off. Two events are
 * booked for them through the API first: one later today (check-in opens on the event's day),
 * one weeks ahead. A third, booked ahead too, is then moved into the past in the database (no
 * route moves an event into the past), so that its outcome can be recorded and signed off now.
 */
describe("a lead social worker's journey in headless Chromium on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  const tokens = inject("tokens");
  let browser: Browser;
  let today: { id: string; title: string };
  let later: { id: string; title: string };
  let held: { id: string; title: string };
  let codes: string[];
  let startsAt: number;

  beforeAll(async () => {
    browser = await launchChromium();
    startsAt = laterToday(Date.now());
    today = await bookForDemoSocialWorker(baseUrl, tokens, new Date(startsAt));
    later = await bookForDemoSocialWorker(
      baseUrl,
      tokens,
      new Date(`${dayFromNow(50)}T14:00:00+08:00`),
    );
    held = await bookForDemoSocialWorker(
      baseUrl,
      tokens,
      new Date(`${dayFromNow(80)}T10:00:00+08:00`),
    );
    await moveIntoThePast(inject("databaseUrl"), held.id);
    codes = [
      (await signUpVolunteer(baseUrl, today.id, "陈到场")).confirmationCode,
      (await signUpVolunteer(baseUrl, today.id, "林到场")).confirmationCode,
    ];
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(javaScript: boolean) {
    const context = await phoneContext(browser, javaScript);
    const page = await context.newPage();
    const audit = auditor(browser, page, javaScript);
    const see = async (name: string) => {
      await snap(page, name, javaScript);
      await audit(name);
    };
    await signIn(page, baseUrl, demoLogins.socialWorker);
    await page.waitForURL(`${baseUrl}/staff`);
    return { page, see, close: () => context.close() };
  }

  async function checkIn(page: Page, eventId: string, code: string) {
    const opens = beijingMidnight(startsAt);
    if (Date.now() < opens) await new Promise((resolve) => setTimeout(resolve, opens - Date.now()));
    await page.goto(`${baseUrl}/staff`);
    await page
      .locator(`#event-${eventId}`)
      .getByRole("link", { name: /^签到：/ })
      .click();
    await page.waitForURL(/\/checkin$/);
    await page.getByLabel("确认码").fill(code);
    await page.getByRole("button", { name: "签到", exact: true }).click();
    expect(await page.getByRole("status").textContent()).toContain("已签到");
  }

  it("accepts from the home list, makes a calendar link and checks in (JavaScript on)", async () => {
    const { page, see, close } = await open(true);
    try {
      expect(await page.getByText("我负责的服务活动").count()).toBe(1);
      const card = page.locator(`#event-${today.id}`);
      expect(await card.textContent()).toContain("待确认");
      await see("01-home");
      await card.getByRole("button", { name: /^接受安排/ }).click();
      await page.waitForURL(/\/staff\?accepted=/);
      expect(await page.getByRole("status").textContent()).toContain("您已接受这项安排");
      expect(await page.locator(`#event-${today.id}`).textContent()).toContain("已接受");
      await see("02-accepted");

      await page.getByRole("link", { name: "订阅我的日历" }).click();
      await page.waitForURL(`${baseUrl}/staff/calendar`);
      await see("03-calendar");
      await page.getByRole("button", { name: /^生成/ }).click();
      const subscribe = page.getByRole("link", { name: "在日历应用中订阅" });
      expect(await subscribe.getAttribute("href")).toMatch(/^webcal:\/\/.+\/calendar\/.+\.ics$/);
      expect(await page.getByRole("img", { name: "日历订阅地址二维码" }).count()).toBe(1);
      const feedUrl = await page.getByLabel("订阅地址", { exact: true }).inputValue();
      const feed = await page.request.get(feedUrl);
      expect(feed.status()).toBe(200);
      expect(await feed.text()).toContain(`UID:${today.id}@shuangyi`);
      await see("04-calendar-link");

      await checkIn(page, today.id, codes[0] ?? "");
      await see("05-checked-in");
    } finally {
      await close();
    }
  });

  it("accepts on the event page, sees the calendar link kept, checks in (JavaScript off)", async () => {
    const { page, see, close } = await open(false);
    try {
      await page
        .locator(`#event-${later.id}`)
        .getByRole("link", { name: /^活动详情/ })
        .click();
      await page.waitForURL(`${baseUrl}/staff/events/${later.id}`);
      expect(await page.getByRole("heading", { name: "是否接受这项安排？" }).count()).toBe(1);
      await see("06-event-page");
      await page.getByRole("button", { name: /^接受安排/ }).click();
      await page.waitForURL(/done=accepted/);
      expect(await page.getByRole("status").textContent()).toContain("您已接受这项安排");
      await see("07-event-accepted");

      await page.goto(`${baseUrl}/staff/calendar`);
      expect(await page.getByText(/仍然有效/).count()).toBe(1);
      await see("08-calendar-kept");

      await checkIn(page, today.id, codes[1] ?? "");
      await see("09-checked-in");
    } finally {
      await close();
    }
  });
  it("records the outcome of an event that has ended and signs it off (JavaScript off)", async () => {
    const { page, see, close } = await open(false);
    try {
      // The home list shows the ended event with its outcome link.
      await page
        .locator(`#event-${held.id}`)
        .getByRole("link", { name: /^服务记录：/ })
        .click();
      await page.waitForURL(`${baseUrl}/staff/events/${held.id}/outcome`);
      expect(await page.getByText("尚未填写").count()).toBeGreaterThan(0);
      await see("10-outcome-form");
      await page.getByLabel("老年人", { exact: true }).fill("18");
      await page.getByLabel("儿童", { exact: true }).fill("4");
      const member = page.locator('input[name="volunteerIds"]').first();
      if ((await member.count()) > 0) await member.check();
      else await page.getByLabel("志愿者参与人数（选填）").fill("1");
      await page.getByRole("button", { name: "保存服务记录" }).click();
      await page.waitForURL(/\/outcome\?saved/);
      expect(await page.getByRole("status").textContent()).toContain("服务记录已保存");
      await see("11-outcome-saved");
      await page.getByRole("button", { name: /^签认/ }).click();
      await page.waitForURL(/\/outcome\?/);
      expect(await page.locator("main").textContent()).toContain("已签认");
      await see("12-outcome-signed-off");
    } finally {
      await close();
    }
  });
});
