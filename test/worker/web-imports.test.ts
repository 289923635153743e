import { like } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { socialWorkers } from "../../src/db/schema";
import { fetchWorker } from "./contract-setup";
import { makeCommunity, unique } from "./factories";
import { withDb } from "./helpers";
import { gbkCsv, type Sheet, XLSX, xlsxFile } from "./import-files";
import { getPage, makeStaffLogin, ORIGIN, signIn } from "./web-helpers";

const HEADER = ["姓名", "证书编号", "证书等级", "技能", "所在县区代码"];

/** Uploads a file through the page's multipart form, from this site's origin. */
function upload(path: string, cookie: string, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.set("file", new File([bytes], name));
  return fetchWorker(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN },
    body: form,
    redirect: "manual",
  });
}

/** Posts the preview's confirm form back as the browser would. */
function confirm(path: string, cookie: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return fetchWorker(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN },
    body: form,
    redirect: "manual",
  });
}

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";

const count = (html: string, action: string) =>
  Number(new RegExp(`id="count-${action}">(\\d+)<`).exec(html)?.[1]);

async function workersNamed(tag: string) {
  return withDb((db) =>
    db
      .select({ name: socialWorkers.name, level: socialWorkers.certificateLevel })
      .from(socialWorkers)
      .where(like(socialWorkers.name, `${tag}%`)),
  );
}

describe("the import page (/staff/imports)", () => {
  let admin: string;
  let department: string;
  beforeAll(async () => {
    admin = await signIn(await makeStaffLogin({ role: "admin" }));
    department = await signIn(await makeStaffLogin({ role: "department", regionCode: "210100" }));
  });

  it("shows both lists with a template link and an upload form that needs no script", async () => {
    const response = await getPage("/staff/imports", { cookie: department });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('href="/staff/imports/social-workers/template"');
    expect(html).toContain('action="/staff/imports/volunteer-teams/preview"');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).not.toContain("<script");
  });

  it("downloads a template with Chinese headers, an example row and drop-down lists on a hidden sheet", async () => {
    const response = await getPage("/staff/imports/social-workers/template", {
      cookie: department,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const [sheet, lists] = workbook.worksheets;
    expect(sheet?.state).toBe("visible");
    expect(lists?.state).toBe("hidden");
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      "姓名",
      "证书编号",
      "证书等级",
      "技能",
      "所在县区代码",
      "所属机构",
      "每周可服务场次",
    ]);
    expect(String(sheet?.getCell("A2").value)).toMatch(/^（示例）/);
    const level = sheet?.getCell("C2").dataValidation;
    expect(level).toMatchObject({ type: "list", formulae: ["list_certificateLevel"] });
    const levels = lists?.getColumn(1).values.filter(Boolean);
    expect(levels).toEqual(["证书等级", "助理社会工作师", "社会工作师", "高级社会工作师"]);
    // A department's counties are its own: 沈阳's, and no 大连 county.
    const counties = (lists?.getColumn(3).values ?? []).map(String);
    expect(counties).toContain("210103 沈阳市沈河区");
    expect(counties.some((c) => c.startsWith("2102"))).toBe(false);
    const names = (workbook.definedNames as unknown as { model: { name: string }[] }).model.map(
      (n) => n.name,
    );
    expect(names).toEqual(expect.arrayContaining(["list_certificateLevel", "list_county"]));
  });

  it("imports the untouched template as nothing: its example row is ignored", async () => {
    const template = await getPage("/staff/imports/social-workers/template", { cookie: admin });
    const bytes = new Uint8Array(await template.arrayBuffer());
    const response = await upload(
      "/staff/imports/social-workers/preview",
      admin,
      bytes,
      "模板.xlsx",
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("第 2 行是模板示例，已忽略");
    expect(html).toContain("文件中只有表头，没有数据行");
    expect(html).not.toContain('action="/staff/imports/social-workers/confirm"');
  });

  it("previews a GBK CSV, stores it on confirm, and shows the records", async () => {
    const tag = unique("页面");
    const number = `P-${tag.slice(-8).toUpperCase()}`;
    const sheet: Sheet = [
      HEADER,
      [`${tag}甲`, `${number}-1`, "中级", "心理咨询", "沈河区"],
      [`${tag}乙`, `${number}-2`, "初级", "", "210104"],
    ];
    const preview = await upload(
      "/staff/imports/social-workers/preview",
      department,
      gbkCsv(sheet),
      "名单.csv",
    );
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("GBK/GB18030");
    expect(count(html, "create")).toBe(2);
    expect(await workersNamed(tag)).toEqual([]);

    const fields = { table: hidden(html, "table"), plan: hidden(html, "plan") };
    const done = await confirm("/staff/imports/social-workers/confirm", department, fields);
    expect(done.status).toBe(200);
    const doneHtml = await done.text();
    expect(doneHtml).toContain("已保存：新增 2 条，更新 0 条，0 条不变。");
    expect(doneHtml).toContain(`${tag}甲`);
    expect(doneHtml).toContain(`${number}-2`);
    expect((await workersNamed(tag)).map((w) => w.level).sort()).toEqual([
      "intermediate",
      "junior",
    ]);

    // Sending the same confirmation again stores nothing: the preview it came from is stale.
    const again = await confirm("/staff/imports/social-workers/confirm", department, fields);
    expect(again.status).toBe(409);
    const againHtml = await again.text();
    expect(againHtml).toContain("预览之后目录已有变化");
    expect(count(againHtml, "unchanged")).toBe(2);
    expect(await workersNamed(tag)).toHaveLength(2);
  });

  it("lists every problem by row and column and offers no confirm", async () => {
    const tag = unique("问题");
    const sheet: Sheet = [
      HEADER,
      [`${tag}甲`, "X", "硕士", "", "210202"],
      ["", `Q-${tag.slice(-8)}`, "中级", "", "210103"],
    ];
    const response = await upload(
      "/staff/imports/social-workers/preview?lang=en",
      department,
      await xlsxFile(sheet),
      "list.xlsx",
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("证书编号 (column B)");
    expect(html).toContain("is not a known certificate level; accepted: junior");
    expect(html).toContain("this county is outside your region");
    expect(html).toContain("姓名 (column A)");
    expect(html).not.toContain("/confirm");
  });

  it("shows what a file holds escaped, never as markup", async () => {
    const sheet: Sheet = [
      HEADER,
      ['<script>alert("x")</script>', "<b>1</b>", "中级", "", "210103"],
    ];
    const response = await upload(
      "/staff/imports/social-workers/preview",
      admin,
      gbkCsv(sheet),
      "<img src=x>.csv",
    );
    const html = await response.text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>1</b>");
  });

  it("refuses an old .xls with what to do, beside the form", async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3, 4]);
    const response = await upload("/staff/imports/volunteer-teams/preview", admin, xls, "a.xls");
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="file-volunteer-teams-error"');
    expect(html).toContain("另存为");
  });

  it("refuses a confirm whose carried table was tampered with", async () => {
    const response = await confirm("/staff/imports/social-workers/confirm", admin, {
      table: "bm90IGEgdGFibGU=",
      plan: "0".repeat(32),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("预览已失效");
  });

  it("is not for coordinators (403)", async () => {
    const community = await makeCommunity("210103");
    const coordinator = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: community.id }),
    );
    expect((await getPage("/staff/imports", { cookie: coordinator })).status).toBe(403);
  });
});
