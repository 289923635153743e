import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import { stableUuid } from "../../scripts/seed/random";
import { expectAccessible, expectLightPage, servedDocuments } from "./axe";
import { dayFromNow, launchChromium, phoneContext, phoneSnapshots, signIn } from "./chromium";
import { api, moveIntoThePast } from "./staff-helpers";

const snap = phoneSnapshots("requests-");

/** The demo's 爱心驿站 of 多福社区 (沈河区), as scripts/seed/demo-requests.ts names it. */
const DUOFU_STATION = stableUuid("station:210103005024:love");

interface Figures {
  total: {
    received: number;
    turnedIntoNeeds: number;
    resolved: number;
    averageRating: number | null;
  };
}

describe("a rider's request (问需) from a station's QR code to the service, on a 360-px phone", () => {
  const baseUrl = inject("baseUrl");
  const tokens = inject("tokens");
  /** The department of 沈河区's figures for this month (Asia/Shanghai). */
  const figures = () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    return api<Figures>(
      baseUrl,
      "GET",
      `/api/v1/requests/figures?region=210103&from=${month}&to=${month}`,
      { token: tokens.shenheDepartment },
    );
  };
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("asks at the station, follows the progress to the service held, rates it, and the department counts it", async () => {
    const before = (await figures()).total;
    const rider = await phoneContext(browser, false);
    const staff = await phoneContext(browser, false);
    try {
      const page = await rider.newPage();
      const served = servedDocuments(page);
      /** The rider's pages: under 20 KB, no script, no serious axe-core finding. */
      const check = async (name: string) => {
        await snap(page, name, false);
        const html = await served();
        expectLightPage(html, name);
        await expectAccessible(page, name, { javaScript: false, html, browser });
      };
      await page.goto(`${baseUrl}/ask?s=${DUOFU_STATION}`);
      expect(await page.getByText("多福社区 · 爱心驿站").count()).toBe(1);
      await check("01-form");
      await page.getByLabel("外卖骑手").check();
      await page.getByLabel("需求类型").selectOption("first_aid");
      await page.getByLabel("具体情况").fill("骑手路上常遇到摔车，想学急救。");
      await page.getByLabel("手机号（选填）").fill("13900001234");
      await page.getByRole("checkbox").check();
      await page.getByRole("button", { name: "提交需求" }).click();
      await page.waitForURL(/\/requests\/[A-Za-z0-9_-]+\?new=1$/);
      const progressUrl = page.url().replace("?new=1", "");
      expect(await page.getByText("待答复").count()).toBeGreaterThan(0);
      expect(await page.getByText("139****1234").count()).toBe(1);
      const code = (await page.locator("strong.score").textContent()) ?? "";
      expect(code).toMatch(/^Q[A-Z0-9]{7}$/);
      await check("02-progress");

      const desk = await staff.newPage();
      await signIn(desk, baseUrl, demoLogins.duofuCoordinator);
      await desk.waitForURL(`${baseUrl}/staff`);
      await desk.getByRole("link", { name: code }).first().click();
      await desk.waitForURL(/\/staff\/requests\/[0-9a-f-]{36}$/);
      await snap(desk, "03-desk-request", false);
      await desk.getByRole("link", { name: "受理并转为服务需求" }).click();
      await desk.waitForURL(/\/staff\/needs\/new\?request=/);
      expect(await desk.getByLabel("服务类型").inputValue()).toBe("first_aid");
      await desk.getByLabel("预计服务人数").fill("20");
      await desk.locator("#window-0-date").fill(dayFromNow(40));
      await desk.locator("#window-0-from").fill("09:00");
      await desk.locator("#window-0-to").fill("11:30");
      await desk.getByRole("button", { name: "发布需求" }).last().click();
      await desk.waitForURL(/\/staff\/needs\/[0-9a-f-]{36}$/);
      // 选择 the first social worker, then 确认预约 on the confirmation step.
      await desk
        .getByRole("link", { name: /^选择：/ })
        .first()
        .click();
      await desk.waitForURL(/\/confirm\?/);
      await desk.getByRole("button", { name: "确认预约" }).click();
      await desk.waitForURL(/\/staff\/events\/[0-9a-f-]{36}\?done=booked$/);
      const eventId = /\/staff\/events\/([0-9a-f-]{36})/.exec(desk.url())?.[1] ?? "";

      await page.goto(progressUrl);
      expect(await page.getByText("已受理，已转为服务需求").count()).toBe(1);
      expect(await page.getByText("已安排").count()).toBe(1);
      await check("04-progress-booked");

      // The service is held (moved into the past: no route does that), the coordinator records
      // its outcome on the phone, and an admin signs it off in the lead's place.
      await moveIntoThePast(inject("databaseUrl"), eventId, 4);
      await desk.goto(`${baseUrl}/staff/events/${eventId}/outcome`);
      await desk.getByLabel("外卖骑手", { exact: true }).fill("12");
      const member = desk.locator('input[name="volunteerIds"]').first();
      if ((await member.count()) > 0) await member.check();
      else await desk.getByLabel("志愿者参与人数（选填）").fill("2");
      await desk.getByRole("button", { name: "保存服务记录" }).click();
      await desk.waitForURL(/\/outcome\?saved/);
      await api(baseUrl, "POST", `/api/v1/events/${eventId}/outcome/sign-off`, {
        token: tokens.admin,
        json: { reason: "带队社工外出，由管理员代为签认" },
      });

      // The rider sees the service done, and rates it once.
      await page.goto(progressUrl);
      expect(await page.getByText("服务已完成").count()).toBeGreaterThan(0);
      await check("05-progress-done");
      await page.getByLabel("5 分").check();
      await page.getByLabel("意见（选填）").fill("教得很实用，谢谢！");
      await page.getByRole("button", { name: "提交评价" }).click();
      await page.waitForLoadState();
      expect(await page.getByText("您的评价：5 分").count()).toBeGreaterThan(0);
      await check("06-rated");

      // The department's figures for the month count it: received, into a need, resolved, rated.
      const after = (await figures()).total;
      expect(after.received).toBe(before.received + 1);
      expect(after.turnedIntoNeeds).toBe(before.turnedIntoNeeds + 1);
      expect(after.resolved).toBe(before.resolved + 1);
      expect(after.averageRating).not.toBeNull();
    } finally {
      await rider.close();
      await staff.close();
    }
  });
});
