import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { county, splitList, wholeNumber, words } from "../../../src/directory/imports/columns";
import { decodeUpload } from "../../../src/directory/imports/decode";
import { importMessages } from "../../../src/directory/imports/messages";
import { planImport, type References } from "../../../src/directory/imports/plan";
import { readTable, type Table } from "../../../src/directory/imports/table";
import { socialWorkerImport } from "../../../src/directory/social-workers/import";
import { writeXlsx } from "../../../src/lib/xlsx-write";

const t = importMessages("en");
const columns = socialWorkerImport.columns;

function table(rows: string[][]): Table {
  return { format: "csv", rows: rows.map((cells, i) => ({ row: i + 1, cells })), syntaxErrors: [] };
}

function decoded(bytes: Uint8Array): Table {
  const result = decodeUpload(bytes);
  if (!result.ok) throw new Error(result.problem);
  return result.table;
}

const HEADER = ["姓名", "证书编号", "证书等级", "所在县区代码"];

describe("decodeUpload", () => {
  const csv = `${HEADER.join(",")}\r\n张三,SW-1,中级,沈河区\r\n`;

  it("reads GBK (as iconv-lite writes it), UTF-8 and UTF-8 with a BOM to the same rows", () => {
    const gbk = decoded(new Uint8Array(iconv.encode(csv, "gbk")));
    const utf8 = decoded(new TextEncoder().encode(csv));
    const bom = decoded(new TextEncoder().encode(`\uFEFF${csv}`));
    expect([gbk.encoding, utf8.encoding, bom.encoding]).toEqual(["gb18030", "utf-8", "utf-8-bom"]);
    expect(gbk.rows).toEqual(utf8.rows);
    expect(bom.rows).toEqual(utf8.rows);
    expect(utf8.rows[1]?.cells).toEqual(["张三", "SW-1", "中级", "沈河区"]);
  });

  it("honours a declared GB charset where detection could take GBK bytes for UTF-8", () => {
    const bytes = new Uint8Array(iconv.encode("姓名", "gbk"));
    const result = decodeUpload(bytes, "gbk");
    expect(result.ok && result.table.rows[0]?.cells).toEqual(["姓名"]);
  });

  it("reads the first visible sheet of a workbook written by ExcelJS: text, numbers, formulas", async () => {
    const workbook = new ExcelJS.Workbook();
    const hidden = workbook.addWorksheet("隐藏");
    hidden.state = "hidden";
    hidden.addRow(["not this one"]);
    const sheet = workbook.addWorksheet("名单");
    sheet.addRow(HEADER);
    sheet.addRow(["张三 & <李>", "SW-1", "中级", 210103]);
    sheet.getCell("E2").value = { formula: "1+2", result: 3 };
    sheet.getCell("A4").value = {
      richText: [{ text: "王" }, { text: "五", font: { bold: true } }],
    };
    const rows = decoded(new Uint8Array(await workbook.xlsx.writeBuffer())).rows;
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(rows[1]?.cells).toEqual(["张三 & <李>", "SW-1", "中级", "210103", "3"]);
    expect(rows[2]?.cells).toEqual(["王五"]);
  });

  it("refuses .xls, .ods, UTF-16, binary and broken zip files by name", () => {
    const problem = (bytes: number[]) => {
      const result = decodeUpload(new Uint8Array(bytes));
      return result.ok ? "ok" : result.problem;
    };
    expect(problem([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])).toBe("legacy_excel");
    expect(problem([0xff, 0xfe, 0x41, 0x00])).toBe("utf16");
    expect(problem([0x89, 0x50, 0x4e, 0x47, 0x00])).toBe("binary");
    expect(problem([0x50, 0x4b, 0x03, 0x04, 0x00])).toBe("not_a_workbook");
    expect(problem([])).toBe("empty");
    const ods = [0x50, 0x4b, 0x03, 0x04, ...new Array(26).fill(1)];
    const mime = new TextEncoder().encode("mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
    expect(problem([...ods, ...mime])).toBe("opendocument");
  });
});

describe("writeXlsx", () => {
  it("writes a workbook ExcelJS reads back: hidden sheet, defined name, list validation", async () => {
    const bytes = writeXlsx({
      sheets: [
        {
          name: "名单",
          rows: [
            ["等级", "备注"],
            ["中级", 'a & <b> "c"'],
          ],
          validations: [
            {
              range: "A2:A10",
              source: "list_level",
              strictness: "stop",
              prompt: { title: "等级", text: "从列表选择" },
            },
          ],
        },
        { name: "可选值", hidden: true, rows: [["等级"], ["初级"], ["中级"]] },
      ],
      names: [{ name: "list_level", ref: "'可选值'!$A$2:$A$3" }],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const [sheet, lists] = workbook.worksheets;
    expect(lists?.state).toBe("hidden");
    expect(sheet?.getCell("B2").value).toBe('a & <b> "c"');
    expect(sheet?.getCell("A5").dataValidation).toMatchObject({
      type: "list",
      formulae: ["list_level"],
      showErrorMessage: true,
      prompt: "从列表选择",
    });
    // And our own reader reads what our writer wrote.
    expect(decoded(bytes).rows[1]?.cells).toEqual(["中级", 'a & <b> "c"']);
  });

  it("drops what XML 1.0 cannot hold (controls, U+FFFE, U+FFFF) and keeps the rest", async () => {
    // Names in the directory may hold these (PostgreSQL stores them); the template lists names.
    const name = "社区\u0001\u000b\ufffe\uffff\u{1F600}\u0085服务站";
    const bytes = writeXlsx({
      sheets: [{ name: "名单", rows: [["名称"], [name]] }],
      names: [],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    expect(workbook.worksheets[0]?.getCell("A2").value).toBe("社区\u{1F600}\u0085服务站");
  });
});

describe("readTable", () => {
  it("finds the header below a title row and keeps the spreadsheet's row numbers", () => {
    const read = readTable(
      table([
        ["2025 年名单"],
        [],
        HEADER,
        ["张三", "sw 1 2 3", "中级", "210103"],
        [],
        ["李四", "SW-9", "初级社工", "沈河区"],
      ]),
      columns,
      t,
    );
    expect(read.problems).toEqual([]);
    expect(read.rows.map((r) => [r.row, r.values.certificate_level])).toEqual([
      [4, "intermediate"],
      [6, "junior"],
    ]);
    expect(read.rows[0]?.values.certificate_number).toBe("SW123");
    expect(read.columns.certificate_level).toEqual({ header: "证书等级", letter: "C" });
  });

  it("reads headers as people vary them: English keys, stars, (必填), full-width", () => {
    const read = readTable(
      table([
        ["name*", "证书编号（必填）", "ｃｅｒｔｉｆｉｃａｔｅ＿ｌｅｖｅｌ", " 所在县区 "],
        ["a", "SW-1", "senior", "210103"],
      ]),
      columns,
      t,
    );
    expect(read.problems).toEqual([]);
  });

  it("reports a missing required column, a repeated one and a cell without a header", () => {
    const read = readTable(
      table([
        ["姓名", "姓名", "证书等级", "所在县区代码"],
        ["a", "b", "中级", "210103", "x"],
      ]),
      columns,
      t,
    );
    expect(read.problems.map((p) => `${p.row}:${p.path}`)).toEqual([
      "1:name",
      "1:certificate_number",
    ]);
    const stray = readTable(table([HEADER, ["a", "SW-1", "中级", "210103", "x"]]), columns, t);
    expect(stray.problems).toEqual([
      { row: 2, path: "E", message: "column E has a value but no header" },
    ]);
  });

  it("checks every cell of a row, not only the first bad one", () => {
    const read = readTable(table([HEADER, ["", "!", "硕士", "1234567"]]), columns, t);
    expect(read.problems.map((p) => p.path).sort()).toEqual([
      "certificate_level",
      "certificate_number",
      "home_county_code",
      "name",
    ]);
  });
});

describe("cells", () => {
  it("reads everyday words and lists, each once, in the order written", () => {
    expect(words("serviceType", 10)("心理咨询、急救；心理疏导")).toEqual({
      ok: true,
      value: ["counselling", "first_aid"],
    });
    expect(splitList("a;b、c，d|e/f")).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("reads a county by code, code and name, or name", () => {
    expect(county("210103")).toEqual({ ok: true, value: { code: "210103" } });
    expect(county("沈河区（210103）")).toEqual({ ok: true, value: { code: "210103" } });
    expect(county("沈阳市 沈河区")).toEqual({ ok: true, value: { name: "沈阳市沈河区" } });
    expect(county("2101")).toMatchObject({ ok: false });
  });

  it("reads whole numbers as a spreadsheet gives them", () => {
    expect(wholeNumber(1, 20)("３")).toEqual({ ok: true, value: 3 });
    expect(wholeNumber(1, 20)("4.0")).toEqual({ ok: true, value: 4 });
    expect(wholeNumber(1, 20)("2.5")).toMatchObject({ ok: false });
  });
});

describe("planImport", () => {
  const references = (existing: References["existing"], inScope = (_: string) => true) => ({
    counties: [
      { code: "210103", name: "沈河区", cityName: "沈阳市" },
      { code: "210106", name: "铁西区", cityName: "沈阳市" },
      { code: "210303", name: "铁西区", cityName: "鞍山市" },
    ],
    organisations: new Map<string, string>(),
    existing,
    inScope,
  });
  const rows = (...cells: string[][]) => readTable(table([HEADER, ...cells]), columns, t).rows;
  const stored = (id: string, fields: Record<string, unknown>) => ({
    id,
    fields: {
      certificateNumber: null,
      certificateLevel: "junior",
      skills: [],
      homeCountyCode: "210103",
      organisationId: null,
      weeklyCapacity: 3,
      active: true,
      ...fields,
    },
  });

  it("creates, updates by certificate number, leaves equal records, and adopts a keyless twin", () => {
    const plan = planImport(
      socialWorkerImport,
      rows(
        ["甲", "SW-1", "初级", "210103"],
        ["乙", "SW-2", "中级", "210103"],
        ["丙", "SW-3", "初级", "210103"],
        ["丁", "SW-4", "初级", "210103"],
      ),
      references([
        stored("a", { name: "甲", certificateNumber: "SW-1" }),
        stored("b", { name: "乙", certificateNumber: "SW-2" }),
        stored("c", { name: "丙" }),
      ]),
      t,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.items.map((i) => [i.action, i.id ?? "-"])).toEqual([
      ["unchanged", "a"],
      ["update", "b"],
      ["update", "c"],
      ["create", "-"],
    ]);
    expect(plan.items[1]?.changes).toEqual([
      { field: "certificateLevel", from: "junior", to: "intermediate" },
    ]);
  });

  it("reactivates a record that is back on the list", () => {
    const plan = planImport(
      socialWorkerImport,
      rows(["甲", "SW-1", "初级", "210103"]),
      references([stored("a", { name: "甲", certificateNumber: "SW-1", active: false })]),
      t,
    );
    expect(plan.items[0]?.changes).toEqual([{ field: "active", from: false, to: true }]);
  });

  it("refuses a key twice in a file, an ambiguous county name and a record outside the region", () => {
    const plan = planImport(
      socialWorkerImport,
      rows(
        ["甲", "SW-1", "初级", "210103"],
        ["乙", "SW-1", "初级", "210103"],
        ["丙", "SW-3", "初级", "铁西区"],
        ["丁", "SW-4", "初级", "210103"],
      ),
      references(
        [stored("d", { name: "丁", certificateNumber: "SW-4", homeCountyCode: "210303" })],
        (code) => code.startsWith("2101"),
      ),
      t,
    );
    expect(plan.problems.map((p) => `${p.row}:${p.path}`)).toEqual([
      "3:certificate_number",
      "5:certificate_number",
    ]);
    // 铁西区 is ambiguous province-wide, but only one of them lies in 沈阳.
    expect(plan.items.find((i) => i.row === 4)?.fields.homeCountyCode).toBe("210106");
  });
});
