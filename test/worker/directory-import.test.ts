import { and, asc, count, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, socialWorkers, volunteerTeams } from "../../src/db/schema";
import { type Actor, makeActor, makeOrganisation, makeSocialWorker, unique } from "./factories";
import { errorOf, withDb } from "./helpers";
import { gbkCsv, type Sheet, sendFile, utf8Csv, XLSX, xlsxFile } from "./import-files";

const SW = "/api/v1/social-workers/import";
const TEAMS = "/api/v1/volunteer-teams/import";

interface Report {
  dryRun: boolean;
  stored: boolean;
  file: { format: string; encoding: string | null; exampleRows: number[] };
  counts: { create: number; update: number; unchanged: number };
  problems: { row?: number; path: string; message: string }[];
  items: { row: number; action: string; id?: string; name: string; key: string }[];
  plan: string;
}

const HEADER = [
  "姓名",
  "证书编号",
  "证书等级",
  "技能",
  "所在县区代码",
  "所属机构",
  "每周可服务场次",
];

/** A certificate number for a test's `tag` (from unique(): its last 8 characters are hex). */
const num = (tag: string, n: string) => `SW-${tag.slice(-8).toUpperCase()}-${n}`;

/** A department's list of social workers, in the words people use, keyed by `tag`. */
function workerSheet(tag: string, agency: string): Sheet {
  return [
    HEADER,
    [`${tag}甲`, num(tag, "001"), "中级", "心理咨询、法律援助", 210103, agency, 4],
    [`${tag}乙`, num(tag, "002"), "初级社工", "急救", "210202 大连市中山区", "", ""],
    [`${tag}丙`, num(tag, "003"), "高级社会工作师", "", "沈河区", "", 2],
  ];
}

async function workersTagged(tag: string) {
  return withDb((db) =>
    db
      .select({
        name: socialWorkers.name,
        certificateNumber: socialWorkers.certificateNumber,
        certificateLevel: socialWorkers.certificateLevel,
        skills: socialWorkers.skills,
        homeCountyCode: socialWorkers.homeCountyCode,
        organisationId: socialWorkers.organisationId,
        weeklyCapacity: socialWorkers.weeklyCapacity,
        updatedAt: socialWorkers.updatedAt,
      })
      .from(socialWorkers)
      .where(like(socialWorkers.name, `${tag}%`))
      .orderBy(asc(socialWorkers.certificateNumber)),
  );
}

/** The records without what depends on the tag or the clock, to compare formats. */
const comparable = (rows: Awaited<ReturnType<typeof workersTagged>>, tag: string) =>
  rows.map(({ updatedAt: _, ...row }) => ({
    ...row,
    name: row.name.replace(tag, ""),
    certificateNumber: row.certificateNumber?.replace(tag.slice(-8).toUpperCase(), ""),
  }));

async function importAuditEntries(accountId: string) {
  return withDb((db) =>
    db
      .select({ after: auditLog.after, entityId: auditLog.entityId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.accountId, accountId),
          eq(auditLog.action, "import"),
          eq(auditLog.entity, "social_worker"),
        ),
      )
      .orderBy(asc(auditLog.id)),
  );
}

describe("directory import: files as offices save them", () => {
  let admin: Actor;
  let agency: string;
  let agencyId: string;
  beforeAll(async () => {
    admin = await makeActor({ role: "admin" });
    const organisation = await makeOrganisation("agency");
    agency = organisation.name;
    agencyId = organisation.id;
  });

  it("imports the same list as UTF-8 CSV, UTF-8 with BOM, GBK CSV and .xlsx into the same records", async () => {
    const formats: [string, (sheet: Sheet) => Promise<Uint8Array> | Uint8Array, string][] = [
      ["utf8", (s) => utf8Csv(s), "text/csv"],
      ["bom", (s) => utf8Csv(s, true), "text/csv"],
      ["gbk", gbkCsv, "text/csv"],
      ["xlsx", xlsxFile, XLSX],
    ];
    const results = [];
    for (const [name, write, type] of formats) {
      const tag = unique(`三式${name}`);
      const response = await sendFile(SW, admin.token, await write(workerSheet(tag, agency)), type);
      expect(response.status, name).toBe(201);
      const report = (await response.json()) as Report;
      expect(report.counts, name).toEqual({ create: 3, update: 0, unchanged: 0 });
      expect(report.file.format).toBe(name === "xlsx" ? "xlsx" : "csv");
      results.push(comparable(await workersTagged(tag), tag));
    }
    expect(results[0]).toHaveLength(3);
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    expect(results[0]?.[0]).toMatchObject({
      certificateLevel: "intermediate",
      skills: ["counselling", "legal_aid"],
      homeCountyCode: "210103",
      organisationId: agencyId,
      weeklyCapacity: 4,
    });
    expect(results[0]?.[1]).toMatchObject({
      certificateLevel: "junior",
      skills: ["first_aid"],
      homeCountyCode: "210202",
      weeklyCapacity: 3,
    });
    expect(results[0]?.[2]).toMatchObject({ certificateLevel: "senior", homeCountyCode: "210103" });
  });

  it("reads the encoding of each CSV: GBK as GB18030, UTF-8 with and without a BOM", async () => {
    const sheet = workerSheet(unique("编码"), agency);
    const seen = [];
    for (const bytes of [gbkCsv(sheet), utf8Csv(sheet), utf8Csv(sheet, true)]) {
      const response = await sendFile(`${SW}?dryRun=true`, admin.token, bytes);
      seen.push(((await response.json()) as Report).file.encoding);
    }
    expect(seen).toEqual(["gb18030", "utf-8", "utf-8-bom"]);
  });

  it("imports 中级 as intermediate, and says which values are accepted when a word is unknown", async () => {
    const tag = unique("等级");
    const sheet: Sheet = [HEADER, [`${tag}甲`, num(tag, "1"), "中级", "", "210103", "", ""]];
    const response = await sendFile(SW, admin.token, utf8Csv(sheet));
    expect(response.status).toBe(201);
    expect((await workersTagged(tag))[0]?.certificateLevel).toBe("intermediate");

    const bad: Sheet = [HEADER, [`${tag}乙`, num(tag, "2"), "硕士", "编织", "210103", "", ""]];
    const zh = await sendFile(SW, admin.token, utf8Csv(bad), "text/csv", {
      "Accept-Language": "zh-CN,zh;q=0.9",
    });
    expect(zh.status).toBe(400);
    const zhIssues = (await errorOf(zh)).issues;
    expect(zhIssues).toContainEqual({
      row: 2,
      path: "certificate_level",
      message:
        "不是已知的证书等级。可填写：助理社会工作师（初级）、社会工作师（中级）、高级社会工作师（高级）",
    });
    expect(zhIssues.find((i) => i.path === "skills")?.message).toContain("理论宣讲、邻里守望");
    const en = await sendFile(`${SW}?lang=en`, admin.token, utf8Csv(bad));
    expect((await errorOf(en)).issues).toContainEqual({
      row: 2,
      path: "certificate_level",
      message:
        "is not a known certificate level; accepted: junior (Assistant social worker), intermediate (Social worker), senior (Senior social worker)",
    });
    expect(await workersTagged(`${tag}乙`)).toEqual([]);
  });

  it("changes nothing when the same file is imported again", async () => {
    const tag = unique("重导");
    const file = await xlsxFile(workerSheet(tag, agency));
    const first = await sendFile(SW, admin.token, file, XLSX);
    expect(first.status).toBe(201);
    const before = await workersTagged(tag);
    const second = await sendFile(SW, admin.token, file, XLSX);
    expect(second.status).toBe(200);
    expect(((await second.json()) as Report).counts).toEqual({
      create: 0,
      update: 0,
      unchanged: 3,
    });
    expect(await workersTagged(tag)).toEqual(before);
  });

  it("updates a corrected row by its certificate number and never duplicates it", async () => {
    const tag = unique("更正");
    const sheet = workerSheet(tag, agency);
    await sendFile(SW, admin.token, utf8Csv(sheet));
    const corrected = sheet.map((row) => [...row]);
    (corrected[2] as (string | number)[])[2] = "中级社工师";
    (corrected[2] as (string | number)[])[0] = `${tag}乙（更正）`;
    const response = await sendFile(SW, admin.token, gbkCsv(corrected));
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    expect(report.counts).toEqual({ create: 0, update: 1, unchanged: 2 });
    const rows = await workersTagged(tag);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.certificateNumber === num(tag, "002"))).toMatchObject({
      name: `${tag}乙（更正）`,
      certificateLevel: "intermediate",
    });
  });

  it("gives a record stored without a certificate number its number instead of a twin", async () => {
    const existing = await makeSocialWorker("210104", { certificateLevel: "junior" });
    const number = unique("LEGACY-").toUpperCase();
    const sheet: Sheet = [HEADER, [existing.name, number, "中级", "", "210104", "", ""]];
    const response = await sendFile(SW, admin.token, utf8Csv(sheet));
    expect(response.status).toBe(200);
    expect(((await response.json()) as Report).items[0]).toMatchObject({
      action: "update",
      id: existing.id,
    });
    const [row] = await withDb((db) =>
      db.select().from(socialWorkers).where(eq(socialWorkers.id, existing.id)),
    );
    expect(row).toMatchObject({ certificateNumber: number, certificateLevel: "intermediate" });
    const twins = await withDb((db) =>
      db.select({ n: count() }).from(socialWorkers).where(eq(socialWorkers.name, existing.name)),
    );
    expect(twins[0]?.n).toBe(1);
  });

  it("records an import as ONE audit entry with its counts and changes", async () => {
    const importer = await makeActor({ role: "admin" });
    const tag = unique("审计");
    const sheet = workerSheet(tag, agency);
    await sendFile(SW, importer.token, utf8Csv(sheet));
    const changed = sheet.map((row) => [...row]);
    (changed[1] as (string | number)[])[6] = 5;
    await sendFile(SW, importer.token, utf8Csv(changed));
    const entries = await importAuditEntries(importer.accountId);
    expect(entries).toHaveLength(2);
    const [created, updated] = entries.map((e) => e.after as Record<string, unknown>);
    expect(created).toMatchObject({ counts: { create: 3, update: 0, unchanged: 0 } });
    expect(created?.created).toHaveLength(3);
    expect(updated).toMatchObject({
      counts: { create: 0, update: 1, unchanged: 2 },
      updated: [{ changes: { weeklyCapacity: [4, 5] } }],
    });
    const perRow = await withDb((db) =>
      db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.accountId, importer.accountId), eq(auditLog.action, "create"))),
    );
    expect(perRow[0]?.n).toBe(0);
  });

  it("previews with dryRun: created, updated and unchanged, every problem by row and column, nothing stored", async () => {
    const tag = unique("预览");
    const sheet = workerSheet(tag, agency);
    await sendFile(SW, admin.token, utf8Csv(sheet.slice(0, 3)));
    const next = sheet.map((row) => [...row]);
    (next[2] as (string | number)[])[6] = 9;
    next.push([`${tag}丁`, num(tag, "004"), "中级", "", "219999", "没有的机构", "30"]);
    next.push(["", num(tag, "001"), "中级", "", "210103", "", ""]);
    const response = await sendFile(`${SW}?dryRun=true`, admin.token, utf8Csv(next));
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    expect(report).toMatchObject({ dryRun: true, stored: false });
    expect(report.counts).toEqual({ create: 1, update: 1, unchanged: 1 });
    expect(report.items.map((i) => [i.row, i.action])).toEqual([
      [2, "unchanged"],
      [3, "update"],
      [4, "create"],
    ]);
    expect(report.problems.map((p) => `${p.row}:${p.path}`)).toEqual([
      "5:weekly_capacity",
      "5:home_county_code",
      "5:organisation",
      "6:name",
    ]);
    expect(report.plan).toMatch(/^[0-9a-f]{32}$/);
    expect(await workersTagged(tag)).toHaveLength(2);
  });

  it("stores nothing when one row is bad, and lists every problem", async () => {
    const tag = unique("全无");
    const sheet = workerSheet(tag, agency);
    sheet.push([`${tag}丁`, num(tag, "001"), "中级", "", "210103", "", ""]);
    const response = await sendFile(SW, admin.token, utf8Csv(sheet));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.message).toContain("nothing was stored");
    expect(error.issues).toEqual([
      {
        row: 5,
        path: "certificate_number",
        message: "the same record as row 2 (each may appear once)",
      },
    ]);
    expect(await workersTagged(tag)).toEqual([]);
  });

  it("refuses to store a plan that changed since its preview (409), and stores the one previewed", async () => {
    const tag = unique("计划");
    const file = utf8Csv(workerSheet(tag, agency));
    const preview = (await (
      await sendFile(`${SW}?dryRun=true`, admin.token, file)
    ).json()) as Report;
    await sendFile(SW, admin.token, utf8Csv(workerSheet(tag, agency).slice(0, 2)));
    const stale = await sendFile(`${SW}?plan=${preview.plan}`, admin.token, file);
    expect(stale.status).toBe(409);
    expect(await workersTagged(tag)).toHaveLength(1);
    const fresh = (await (await sendFile(`${SW}?dryRun=true`, admin.token, file)).json()) as Report;
    const confirmed = await sendFile(`${SW}?plan=${fresh.plan}`, admin.token, file);
    expect(confirmed.status).toBe(201);
    expect(await workersTagged(tag)).toHaveLength(3);
  });

  it("reads an .xlsx with a title row above the headers and ignores the template's example row", async () => {
    const tag = unique("标题");
    const sheet = workerSheet(tag, agency);
    sheet.splice(1, 0, ["（示例）王晓梅", "S2024210100123", "社会工作师", "", "210103", "", "3"]);
    const file = await xlsxFile(sheet, { title: "2025 年沈河区专业社工名单" });
    const response = await sendFile(`${SW}?dryRun=true`, admin.token, file, XLSX);
    const report = (await response.json()) as Report;
    expect(report.problems).toEqual([]);
    expect(report.file.exampleRows).toEqual([3]);
    expect(report.items.map((i) => i.row)).toEqual([4, 5, 6]);
  });

  it("imports a list of 3,000 rows in one go, and updates 3,000 when they change", async () => {
    const tag = unique("大表");
    const rows = (level: string): Sheet => [
      HEADER,
      ...Array.from({ length: 3000 }, (_, i) => [
        `${tag}${i}`,
        num(tag, String(i)),
        level,
        "应急救援",
        // Counties no other test file uses: 3,000 workers must not crowd their lists.
        i % 2 ? "210904" : "210905",
        "",
        "",
      ]),
    ];
    const first = await sendFile(SW, admin.token, await xlsxFile(rows("初级")), XLSX);
    expect(((await first.json()) as Report).counts.create).toBe(3000);
    const second = await sendFile(SW, admin.token, utf8Csv(rows("中级")));
    expect(((await second.json()) as Report).counts).toEqual({
      create: 0,
      update: 3000,
      unchanged: 0,
    });
    const levels = await withDb((db) =>
      db
        .selectDistinct({ level: socialWorkers.certificateLevel })
        .from(socialWorkers)
        .where(like(socialWorkers.name, `${tag}%`)),
    );
    expect(levels).toEqual([{ level: "intermediate" }]);
    // Every match and candidate list reads all social workers: leave none of these behind.
    await withDb((db) => db.delete(socialWorkers).where(like(socialWorkers.name, `${tag}%`)));
  }, 60_000);

  it("refuses an unknown column instead of dropping it", async () => {
    const sheet: Sheet = [
      [...HEADER, "身份证号"],
      ["张三", "SW-UNKNOWN-1", "初级", "", "210103", "", "", "210103199001011234"],
    ];
    const response = await sendFile(SW, admin.token, utf8Csv(sheet));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues).toEqual([
      {
        row: 1,
        path: "H",
        message: "column H is not a column that can be imported; use the template's headers",
      },
    ]);
  });

  it("checks counties and organisations against the directory before storing anything", async () => {
    const tag = unique("参照");
    const sheet: Sheet = [
      HEADER,
      [`${tag}甲`, num(tag, "1"), "初级", "", "219901", "", ""],
      [`${tag}乙`, num(tag, "2"), "初级", "", "210103", "没有这个机构", ""],
      [`${tag}丙`, num(tag, "3"), "初级", "", "铁西区", "", ""],
    ];
    const response = await sendFile(SW, admin.token, utf8Csv(sheet));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues).toEqual([
      { row: 2, path: "home_county_code", message: "no county-level region has this code or name" },
      { row: 3, path: "organisation", message: "no organisation has this name" },
      {
        row: 4,
        path: "home_county_code",
        message:
          "several counties have this name (210106 沈阳市铁西区, 210303 鞍山市铁西区): write the code",
      },
    ]);
    expect(await workersTagged(tag)).toEqual([]);
  });

  it("refuses files that are not a spreadsheet, saying what to do", async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const cases: [Uint8Array, string, string][] = [
      [xls, XLSX, "old Excel workbook (.xls)"],
      [new Uint8Array([0xff, 0xfe, 0x41, 0]), "text/csv", "UTF-16"],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), "text/csv", "not a spreadsheet"],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), XLSX, "not an Excel workbook"],
      [new Uint8Array([0xc3, 0x28, 0xff, 0xff]), "text/csv", "UTF-8 or GBK"],
    ];
    for (const [bytes, type, expected] of cases) {
      const response = await sendFile(SW, admin.token, bytes, type);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toContain(expected);
    }
    const typed = await sendFile(SW, admin.token, utf8Csv([HEADER]), "application/pdf");
    expect(typed.status).toBe(415);
  });
});

describe("directory import: departments within their region", () => {
  let department: Actor;
  beforeAll(async () => {
    department = await makeActor({ role: "department", regionCode: "210100" });
  });

  it("lets a department import its own region's social workers", async () => {
    const tag = unique("区内");
    const sheet: Sheet = [HEADER, [`${tag}甲`, num(tag, "1"), "初级", "", "沈河区", "", ""]];
    const response = await sendFile(SW, department.token, utf8Csv(sheet));
    expect(response.status).toBe(201);
    expect((await workersTagged(tag))[0]?.homeCountyCode).toBe("210103");
  });

  it("refuses rows outside its region, and a certificate registered outside it", async () => {
    const admin = await makeActor({ role: "admin" });
    const tag = unique("区外");
    await sendFile(
      SW,
      admin.token,
      utf8Csv([HEADER, [`${tag}甲`, num(tag, "1"), "初级", "", "210202", "", ""]]),
    );
    const sheet: Sheet = [
      HEADER,
      [`${tag}乙`, num(tag, "2"), "初级", "", "210202", "", ""],
      [`${tag}甲`, num(tag, "1"), "初级", "", "210103", "", ""],
    ];
    const response = await sendFile(SW, department.token, utf8Csv(sheet));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues).toEqual([
      { row: 2, path: "home_county_code", message: "this county is outside your region" },
      {
        row: 3,
        path: "certificate_number",
        message:
          "this certificate number is registered outside your region; ask the provincial department",
      },
    ]);
    const rows = await workersTagged(tag);
    expect(rows.map((r) => r.homeCountyCode)).toEqual(["210202"]);
  });

  it("keeps coordinators and social workers out (403)", async () => {
    const worker = await makeSocialWorker("210103");
    const socialWorker = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const response = await sendFile(SW, socialWorker.token, utf8Csv([HEADER]));
    expect(response.status).toBe(403);
  });
});

describe("directory import: volunteer teams", () => {
  it("finds a team again by its name within its county", async () => {
    const admin = await makeActor({ role: "admin" });
    const tag = unique("队");
    const sheet: Sheet = [
      ["队伍名称", "所在县区代码", "技能", "人数", "队长"],
      [`${tag}甲队`, "210103", "邻里互助;应急", 12, "刘队长"],
      [`${tag}乙队`, "大连市中山区", "文体", 8, ""],
    ];
    const first = await sendFile(TEAMS, admin.token, await xlsxFile(sheet), XLSX);
    expect(first.status).toBe(201);
    const resized = sheet.map((row) => [...row]);
    (resized[1] as (string | number)[])[3] = 15;
    (resized[1] as (string | number)[])[0] = ` ${tag}甲队 `;
    const second = await sendFile(TEAMS, admin.token, gbkCsv(resized));
    expect(((await second.json()) as Report).counts).toEqual({
      create: 0,
      update: 1,
      unchanged: 1,
    });
    const teams = await withDb((db) =>
      db
        .select({
          name: volunteerTeams.name,
          size: volunteerTeams.size,
          skills: volunteerTeams.skills,
        })
        .from(volunteerTeams)
        .where(like(volunteerTeams.name, `${tag}%`)),
    );
    expect(teams.sort((a, b) => a.size - b.size).reverse()).toEqual([
      { name: `${tag}甲队`, size: 15, skills: ["neighbourhood_watch", "emergency"] },
      { name: `${tag}乙队`, size: 8, skills: ["recreation"] },
    ]);
  });
});
