import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { attachment } from "../../../src/lib/download";
import { tallyCsv, toCsv } from "../../../src/tallies/csv";
import type { Tally, TallyMeasures } from "../../../src/tallies/query";

const BOM = "\uFEFF";

/** Parsed back by an independent parser (csv-parse), the BOM taken off by it. */
function parsed(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

function measures(values: Partial<TallyMeasures> = {}): TallyMeasures {
  return {
    events: 0,
    personTimes: 0,
    uniqueVolunteers: 0,
    volunteersAttended: 0,
    volunteerHours: 0,
    activeSocialWorkers: 0,
    communitiesReached: 0,
    adjustments: { personTimes: 0, volunteersAttended: 0, volunteerHours: 0 },
    ...values,
  };
}

function makeTally(overrides: Partial<Tally>): Tally {
  return {
    region: { code: "210103", name: "沈河区", level: "county" },
    period: { from: "2022-01", to: "2022-02" },
    groupBy: [],
    level: null,
    totals: measures(),
    rows: [],
    awaitingSignOff: 0,
    suppression: { applied: false, threshold: 5 },
    ...overrides,
  };
}

describe("toCsv", () => {
  it("starts with the UTF-8 byte-order mark and ends every line with CRLF", () => {
    const text = toCsv(["地区", "服务群众（人次）"], [["沈河区", 12]]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(text).toBe(`${BOM}地区,服务群众（人次）\r\n沈河区,12\r\n`);
  });

  it("quotes commas, quotes and line breaks (RFC 4180) so they parse back unchanged", () => {
    const cells = ["和平,社区", '"北苑"社区', "多福\r\n社区", " 空格 "];
    const text = toCsv(
      ["名称"],
      cells.map((c) => [c]),
    );
    expect(text).toContain('"和平,社区"');
    expect(text).toContain('"""北苑""社区"');
    expect(
      parsed(text)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(cells);
  });

  it("defuses cells that start like a formula with a leading apostrophe", () => {
    const cells = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"];
    const text = toCsv(
      ["名称"],
      cells.map((c) => [c]),
    );
    expect(
      parsed(text)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(cells.map((c) => `'${c}`));
    for (const line of text.split("\r\n").slice(1, -1)) expect(line).not.toMatch(/^[=+\-@]/);
  });

  it("writes numbers as numbers, negative ones too, and null as an empty cell", () => {
    const text = toCsv(["a", "b", "c", "d"], [[-5, 2.5, null, 0]]);
    expect(parsed(text)[1]).toEqual(["-5", "2.5", "", "0"]);
  });
});

describe("tallyCsv", () => {
  it("has Chinese headers and labels, one line per row and a total line", () => {
    const tally = makeTally({
      groupBy: ["month", "serviceType"],
      rows: [
        {
          ...measures({ events: 2, personTimes: 40, volunteerHours: 7.5 }),
          month: "2022-01",
          serviceType: "first_aid",
        },
        { ...measures({ events: 1, personTimes: 3 }), month: "2022-02", serviceType: "lecture" },
      ],
      totals: measures({ events: 3, personTimes: 43, volunteerHours: 7.5 }),
    });
    const rows = parsed(tallyCsv(tally, "zh"));
    const header = rows[0] as string[];
    expect(header.slice(0, 4)).toEqual(["月份", "服务类型", "服务活动（场）", "服务群众（人次）"]);
    expect(header).toContain("志愿服务时长（小时）");
    expect(rows).toHaveLength(4);
    const col = (name: string) => header.indexOf(name);
    expect(rows[1]?.[col("服务类型")]).toBe("卫生救护");
    expect(rows[1]?.[col("服务群众（人次）")]).toBe("40");
    expect(rows[1]?.[col("志愿服务时长（小时）")]).toBe("7.5");
    expect(rows[2]?.[col("月份")]).toBe("2022-02");
    expect(rows[3]?.[0]).toBe("合计");
    expect(rows[3]?.[col("服务群众（人次）")]).toBe("43");
    expect(rows[3]?.[col("服务活动（场）")]).toBe("3");
  });

  it("has English headers with lang=en", () => {
    const tally = makeTally({
      groupBy: ["targetGroup"],
      rows: [{ ...measures(), targetGroup: "elderly" }],
    });
    const rows = parsed(tallyCsv(tally, "en"));
    expect(rows[0]?.slice(0, 3)).toEqual(["Target group", "Events held", "Person-times served"]);
    expect(rows[1]?.[0]).toBe("Older people");
    expect(rows[2]?.[0]).toBe("Total");
  });

  it("writes the region code and name as two columns, names quoted or defused", () => {
    const tally = makeTally({
      groupBy: ["region"],
      level: "community",
      rows: [
        {
          ...measures({ personTimes: 5 }),
          region: { code: "210103001001", name: '和平,"新"社区' },
        },
        { ...measures({ personTimes: 6 }), region: { code: "210103001002", name: "=1+1" } },
      ],
      totals: measures({ personTimes: 11 }),
    });
    const rows = parsed(tallyCsv(tally, "zh"));
    expect(rows[0]?.slice(0, 3)).toEqual(["地区代码", "地区", "服务活动（场）"]);
    expect(rows[1]?.slice(0, 2)).toEqual(["210103001001", '和平,"新"社区']);
    expect(rows[2]?.slice(0, 2)).toEqual(["210103001002", "'=1+1"]);
    // The total line keeps the columns aligned: label, empty name, then the measures.
    expect(rows[3]?.slice(0, 2)).toEqual(["合计", ""]);
    expect(rows[3]?.[rows[0]?.indexOf("服务群众（人次）") ?? -1]).toBe("11");
  });

  it("shows a withheld cell as <5, in the person-times and its adjustment column", () => {
    const tally = makeTally({
      groupBy: ["targetGroup"],
      rows: [
        {
          ...measures({ events: 1, personTimes: null, uniqueVolunteers: null }),
          targetGroup: "elderly",
          suppressed: ["personTimes"],
        },
        {
          ...measures({ events: 1, personTimes: 12, uniqueVolunteers: null }),
          targetGroup: "residents",
        },
      ],
    });
    const rows = parsed(tallyCsv(tally, "zh"));
    const header = rows[0] as string[];
    expect(rows[1]?.[header.indexOf("服务群众（人次）")]).toBe("<5");
    expect(rows[1]?.[header.indexOf("其中调整：服务群众（人次）")]).toBe("<5");
    expect(rows[1]?.[header.indexOf("服务活动（场）")]).toBe("1");
    // Measures that do not split by target group are empty there, not 0.
    expect(rows[1]?.[header.indexOf("参与志愿者（人，去重）")]).toBe("");
    expect(rows[2]?.[header.indexOf("服务群众（人次）")]).toBe("12");
  });

  it("has a header and one total line when nothing is grouped", () => {
    const rows = parsed(tallyCsv(makeTally({ totals: measures({ events: 4 }) }), "zh"));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[0]).toBe("服务活动（场）");
    expect(rows[1]?.[0]).toBe("4");
  });
});

describe("attachment", () => {
  it("names the download in ASCII and in UTF-8", () => {
    expect(attachment("服务统计-a.csv", "a.csv")).toBe(
      `attachment; filename="a.csv"; filename*=UTF-8''${encodeURIComponent("服务统计-a.csv")}`,
    );
  });
});
