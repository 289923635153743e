import { describe, expect, it } from "vitest";
import { ColumnChart } from "../../../src/web/tallies/charts";

const items = [
  { label: "1", value: 18_000, display: "18,000" },
  { label: "2", value: 9_000, display: "9,000" },
];

const render = (lang: "zh" | "en") =>
  String(ColumnChart({ id: "m", title: "各月服务人次", items, separator: "、", lang }));

describe("the monthly chart", () => {
  it("writes its axis in the page's language: 2万 in Chinese, 20K in English", () => {
    expect(render("zh")).toContain(">2万</text>");
    expect(render("zh")).not.toContain("K</text>");
    expect(render("en")).toContain(">20K</text>");
  });

  it("says on the chart itself what the columns count", () => {
    expect(render("zh")).toMatch(/<text x="46" y="11" fill="#59636e">各月服务人次<\/text>/);
  });
});
