import { mkdirSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoLogins } from "../../scripts/seed/demo";
import { ARTIFACTS, launchChromium, signIn } from "./chromium";

/** A department's list as Excel writes it, numbers as numbers. */
async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("名单");
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("the import page in headless Chromium on a desktop, without JavaScript", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("uploads a list, reads the preview, confirms and sees the records", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: "zh-CN",
      javaScriptEnabled: false,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const tag = `浏览器${Date.now().toString(36).slice(-5)}`;
    const number = `BR-${Date.now().toString(36).toUpperCase()}`;
    try {
      await signIn(page, baseUrl, demoLogins.shenyangDepartment);
      await page.waitForURL(`${baseUrl}/staff/tallies`);
      await page.goto(`${baseUrl}/staff/imports`);
      expect(await page.locator("h1").textContent()).toBe("导入名单");

      // The template downloads as a workbook.
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "下载 Excel 模板" }).first().click();
      expect((await download).suggestedFilename()).toBe("专业社工导入模板.xlsx");
      await page.screenshot({ path: `${ARTIFACTS}imports-01-page.png`, fullPage: true });

      const file = await workbook([
        ["姓名", "证书编号", "证书等级", "技能", "所在县区代码", "每周可服务场次"],
        [`${tag}甲`, `${number}-1`, "中级", "心理咨询、法律援助", "沈河区", 4],
        [`${tag}乙`, `${number}-2`, "初级社工", "急救", 210104, ""],
      ]);
      await page
        .getByLabel("专业社工名单文件")
        .setInputFiles({ name: "沈阳市社工名单.xlsx", mimeType: "", buffer: file });
      await page.getByRole("button", { name: "上传并预览" }).first().click();
      await page.waitForURL(`${baseUrl}/staff/imports/social-workers/preview`);
      expect(await page.locator("h1").textContent()).toBe("导入预览：专业社工");
      expect(await page.locator("#count-create").textContent()).toBe("2");
      expect(await page.locator("#count-update").textContent()).toBe("0");
      const rows = page.getByRole("table", { name: "每一行将如何处理" });
      expect(await rows.textContent()).toContain(`${tag}甲`);
      await page.screenshot({ path: `${ARTIFACTS}imports-02-preview.png`, fullPage: true });

      await page.getByRole("button", { name: "确认导入" }).click();
      await page.waitForURL(`${baseUrl}/staff/imports/social-workers/confirm`);
      expect(await page.getByRole("status").textContent()).toBe(
        "已保存：新增 2 条，更新 0 条，0 条不变。",
      );
      const records = page.getByRole("table", { name: "名单中的记录" });
      expect(await records.textContent()).toContain(`${tag}乙`);
      expect(await records.textContent()).toContain(`${number}-2`);
      await page.screenshot({ path: `${ARTIFACTS}imports-03-done.png`, fullPage: true });

      // The same file again: nothing to store.
      await page.goto(`${baseUrl}/staff/imports`);
      await page
        .getByLabel("专业社工名单文件")
        .setInputFiles({ name: "沈阳市社工名单.xlsx", mimeType: "", buffer: file });
      await page.getByRole("button", { name: "上传并预览" }).first().click();
      expect(await page.locator("#count-unchanged").textContent()).toBe("2");
      expect(await page.getByText("名单与目录完全一致").isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "确认导入" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
