import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  labelledList,
  labelledPicklist,
  parseImport,
  splitList,
} from "../../../src/directory/csv-import";
import { serviceTypeLabels, serviceTypes } from "../../../src/domain/vocabulary";

const columns = { name: ["姓名"], skills: ["技能"] } as const;
const Row = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  skills: v.optional(labelledList(serviceTypes, serviceTypeLabels, "service type"), ""),
});

describe("parseImport", () => {
  it("accepts Chinese headers, a BOM, quoted cells with commas and CRLF", () => {
    const { rows, issues } = parseImport(
      '\uFEFF姓名,技能\r\n"张, 三","心理疏导、法律援助"\r\n',
      columns,
      Row,
    );
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { row: 2, value: { name: "张, 三", skills: ["counselling", "legal_aid"] } },
    ]);
  });

  it("numbers rows as a spreadsheet does (header is row 1)", () => {
    const { issues } = parseImport("name,skills\nok,lecture\nbad,knitting\n", columns, Row);
    expect(issues).toEqual([{ row: 3, path: "skills.0", message: "is not a known service type" }]);
  });

  it("keeps spreadsheet row numbers across blank lines", () => {
    const { issues } = parseImport("name,skills\nok,lecture\n\n,\nbad,knitting\n", columns, Row);
    expect(issues).toEqual([{ row: 5, path: "skills.0", message: "is not a known service type" }]);
  });

  it("reports an unknown column and an empty file", () => {
    expect(parseImport("name,secret\nx,y", columns, Row).issues[0]).toMatchObject({
      path: "secret",
      message: "unknown column",
    });
    expect(parseImport("", columns, Row).issues[0]?.message).toBe("the file is empty");
    expect(parseImport("name\n", columns, Row).issues[0]?.message).toBe(
      "the file has no data rows",
    );
  });
});

describe("labelled vocabularies", () => {
  it("accepts the code, the Chinese label or the English label", () => {
    const schema = labelledPicklist(serviceTypes, serviceTypeLabels, "service type");
    expect(v.parse(schema, "first_aid")).toBe("first_aid");
    expect(v.parse(schema, "卫生救护")).toBe("first_aid");
    expect(v.parse(schema, "First aid")).toBe("first_aid");
  });

  it("splits on the separators people use", () => {
    expect(splitList("a;b、c，d|e, f")).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});
