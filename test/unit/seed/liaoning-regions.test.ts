import { describe, expect, it } from "vitest";
import { communityName } from "../../../scripts/regions/extract";
import { readLiaoningRegions } from "../../../scripts/seed/regions";
import { regionLevelOf, regionPrefix } from "../../../src/domain/regions";

const rows = readLiaoningRegions();
const byCode = new Map(rows.map((row) => [row.code, row]));
const position = new Map(rows.map((row, index) => [row.code, index]));
const countOf = (level: string) => rows.filter((row) => row.level === level).length;

describe("liaoning-regions.csv", () => {
  it("has one province, 14 cities and exactly 100 counties", () => {
    expect(countOf("province")).toBe(1);
    expect(byCode.get("210000")?.name).toBe("辽宁省");
    expect(countOf("city")).toBe(14);
    expect(countOf("county")).toBe(100);
  });

  it("has the streets and communities of the published data", () => {
    expect(countOf("street")).toBe(1_406);
    expect(countOf("community")).toBeGreaterThan(16_000);
  });

  it("gives every row a code whose shape matches its level", () => {
    const misshapen = rows.filter((row) => regionLevelOf(row.code) !== row.level);
    expect(misshapen).toEqual([]);
  });

  it("has no duplicate codes", () => {
    expect(byCode.size).toBe(rows.length);
  });

  it("gives only the province no parent", () => {
    const orphans = rows.filter((row) => (row.parentCode === null) !== (row.level === "province"));
    expect(orphans).toEqual([]);
  });

  it("gives every other row an earlier parent whose prefix its code starts with", () => {
    const misplaced = rows.filter((row) => {
      if (row.parentCode === null) return false;
      const prefix = regionPrefix(row.parentCode);
      const parentAt = position.get(row.parentCode);
      return (
        prefix === undefined ||
        !row.code.startsWith(prefix) ||
        parentAt === undefined ||
        parentAt >= (position.get(row.code) ?? 0)
      );
    });
    expect(misplaced).toEqual([]);
  });

  it("contains the pilot communities named in the 2025 report", () => {
    expect(byCode.get("210103005024")?.name).toBe("多福社区");
    expect(byCode.get("210104002014")?.name).toBe("北苑社区");
    expect(byCode.get("210202001002")?.name).toBe("春海社区");
    expect(byCode.get("210103")?.name).toBe("沈河区");
    expect(byCode.get("210104")?.name).toBe("大东区");
    expect(byCode.get("210202")?.name).toBe("中山区");
  });

  it("names communities without their committee suffix", () => {
    const suffixed = rows.filter((row) => /(居委会|居民委员会|村委会|村民委员会)$/.test(row.name));
    expect(suffixed).toEqual([]);
  });
});

describe("communityName", () => {
  it("strips a residents' committee suffix", () => {
    expect(communityName("春海社区居委会")).toBe("春海社区");
    expect(communityName("银闸社区居民委员会")).toBe("银闸社区");
  });

  it("keeps the place word a bare name would lose", () => {
    expect(communityName("胜利居委会")).toBe("胜利社区");
    expect(communityName("三家子村民委员会")).toBe("三家子村");
    expect(communityName("满融村村委会")).toBe("满融村");
  });

  it("keeps a trailing note and leaves other names alone", () => {
    expect(communityName("北扎兰营子村委会（一分场）")).toBe("北扎兰营子村（一分场）");
    expect(communityName("多福社区")).toBe("多福社区");
    expect(communityName("青年农场虚拟生活区")).toBe("青年农场虚拟生活区");
  });
});
