import type { Browser } from "playwright-core";
import { demoLogins } from "../../scripts/seed/demo";
import { dayFromNow, signIn } from "./chromium";

/**
 * The test books its own event: a coordinator books one through the staff pages (post a need,
 * pick the first candidate, confirm), as in real use. Returns the new event's id.
 */
export async function bookEvent(
  browser: Browser,
  baseUrl: string,
  offset: number,
): Promise<string> {
  const context = await browser.newContext({ locale: "zh-CN" });
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
    // 选择 the first social worker, then 确认预约 on the confirmation step: the event page opens.
    await page
      .getByRole("link", { name: /^选择：/ })
      .first()
      .click();
    await page.waitForURL(/\/confirm\?/);
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.waitForURL(/\/staff\/events\/[0-9a-f-]{36}\?done=booked$/);
    const id = /\/staff\/events\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    if (!id) throw new Error("no event was booked");
    return id;
  } finally {
    await context.close();
  }
}
