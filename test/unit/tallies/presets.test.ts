import { describe, expect, it } from "vitest";
import { periodPresets, previousMonth, quarterStart } from "../../../src/tallies/presets";

const at = (local: string) => new Date(`${local}+08:00`);

describe("periodPresets", () => {
  it("resolves this month, last month, this quarter, this year and 2025 in Beijing time", () => {
    expect(periodPresets(at("2026-05-14T10:00:00"))).toEqual([
      { kind: "thisMonth", from: "2026-05", to: "2026-05" },
      { kind: "lastMonth", from: "2026-04", to: "2026-04" },
      { kind: "thisQuarter", from: "2026-04", to: "2026-05" },
      { kind: "thisYear", from: "2026-01", to: "2026-05" },
      { kind: "year", year: "2025", from: "2025-01", to: "2025-12" },
    ]);
  });

  it("takes last month across the new year, and the first quarter in January", () => {
    const presets = periodPresets(at("2026-01-02T09:00:00"));
    expect(presets[1]).toEqual({ kind: "lastMonth", from: "2025-12", to: "2025-12" });
    expect(presets[2]).toEqual({ kind: "thisQuarter", from: "2026-01", to: "2026-01" });
  });

  it("counts the month by Beijing time, not UTC", () => {
    // 2026-07-01 00:30 in Beijing is still June in UTC.
    expect(periodPresets(at("2026-07-01T00:30:00"))[0]).toMatchObject({ from: "2026-07" });
  });

  it("offers every whole year since the pilot's first, newest first, but not the current one", () => {
    const years = periodPresets(at("2028-03-01T12:00:00"))
      .filter((preset) => preset.kind === "year")
      .map((preset) => preset.year);
    expect(years).toEqual(["2027", "2026", "2025"]);
    expect(periodPresets(at("2025-06-01T12:00:00")).some((p) => p.kind === "year")).toBe(false);
  });
});

describe("month helpers", () => {
  it("steps back a month and finds a quarter's first month", () => {
    expect(previousMonth("2025-01")).toBe("2024-12");
    expect(previousMonth("2025-10")).toBe("2025-09");
    expect(quarterStart("2025-12")).toBe("2025-10");
    expect(quarterStart("2025-03")).toBe("2025-01");
  });
});
