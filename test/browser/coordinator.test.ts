import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD, demoLogins } from "../../scripts/seed/demo";
import { dayFromNow, launchChromium, phoneContext, phoneSnapshots } from "./chromium";

const snap = phoneSnapshots("");

describe("coordinator pages in headless Chromium on a 360-px phone", () => {
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
    it(`signs in, posts a need, picks the second candidate and sees the event (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await phoneContext(browser, javaScript);
      const page = await context.newPage();
      try {
        await page.goto(`${baseUrl}/staff`);
        expect(new URL(page.url()).pathname).toBe("/staff/login");
        await snap(page, "01-login", javaScript);
        // Keyboard users first meet the skip link, with a visible focus ring.
        await page.keyboard.press("Tab");
        expect(await page.evaluate(() => document.activeElement?.className)).toBe("skip");
        await snap(page, "01b-login-keyboard-focus", javaScript);

        await page.getByLabel("登录名").fill(demoLogins.duofuCoordinator);
        await page.getByLabel("密码").fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "登录", exact: true }).click();
        await page.waitForURL(`${baseUrl}/staff`);
        expect(await page.locator("h1").textContent()).toBe("多福社区");
        await snap(page, "02-home", javaScript);

        await page.getByRole("link", { name: "发布服务需求" }).click();
        await page.waitForURL(`${baseUrl}/staff/needs/new`);
        await page.getByLabel("服务类型").selectOption("elderly_care");
        await page.getByLabel("老年人").check();
        await page.getByLabel("预计服务人数").fill("30");
        await page.locator("#window-0-date").fill(dayFromNow(offset));
        await page.locator("#window-0-from").fill("09:00");
        await page.locator("#window-0-to").fill("08:00");
        await page.getByLabel("备注").fill("<b>重阳节</b> 敬老活动");
        await snap(page, "03-need-form", javaScript);

        // The latest start is before the earliest: the server says so beside the window.
        await page.getByRole("button", { name: "发布需求" }).last().click();
        expect(await page.locator("#window-0-error").textContent()).toBe(
          "最晚开始时间须晚于最早开始时间",
        );
        expect(await page.getByRole("alert").textContent()).toContain("时间段 1");
        expect(await page.getByLabel("预计服务人数").inputValue()).toBe("30");
        await snap(page, "04-need-form-error", javaScript);

        await page.locator("#window-0-to").fill("11:30");
        await page.getByRole("button", { name: "发布需求" }).last().click();
        await page.waitForURL(/\/staff\/needs\/[0-9a-f-]{36}$/);
        expect(await page.locator("h1").textContent()).toBe("服务需求：养老照护");
        expect(await page.getByText("<b>重阳节</b> 敬老活动").isVisible()).toBe(true);
        const choices = page.getByRole("button", { name: /^选择第 \d+ 名/ });
        expect(await choices.count()).toBeGreaterThan(1);
        await snap(page, "05-candidates", javaScript);

        const second = page.getByRole("listitem").filter({ has: page.locator("#candidate-2") });
        const worker = ((await second.locator("dd").first().textContent()) ?? "").replace(
          /（.*$/,
          "",
        );
        await page.getByRole("button", { name: /^选择第 2 名/ }).click();
        await page.waitForURL(/\/staff\?booked=/);
        const notice = await page.getByRole("status").textContent();
        expect(notice).toContain("已创建活动");
        expect(notice).toContain(worker);
        expect(await page.locator("#events-title + ul").textContent()).toContain(worker);
        await snap(page, "06-booked", javaScript);

        if (javaScript) {
          await page.getByRole("link", { name: "English" }).click();
          expect(await page.locator("html").getAttribute("lang")).toBe("en");
          expect(await page.getByRole("link", { name: "Post a service need" }).isVisible()).toBe(
            true,
          );
          await snap(page, "07-home-english", javaScript);
          await page.goto(`${baseUrl}/staff/needs/new`);
          await snap(page, "08-need-form-english", javaScript);
        }
      } finally {
        await context.close();
      }
    });
  }
});
