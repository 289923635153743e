import { describe, expect, it } from "vitest";
import {
  ancestorCodes,
  countyOf,
  regionContains,
  regionLevelOf,
  regionPrefix,
} from "../../../src/domain/regions";

describe("region codes", () => {
  it.each([
    ["210000", "province", "21"],
    ["210100", "city", "2101"],
    ["210103", "county", "210103"],
    ["210103005", "street", "210103005"],
    ["210103005024", "community", "210103005024"],
  ])("reads %s as a %s with prefix %s", (code, level, prefix) => {
    expect(regionLevelOf(code)).toBe(level);
    expect(regionPrefix(code)).toBe(prefix);
  });

  it("rejects malformed codes", () => {
    for (const code of ["21", "2101000", "abcdef", "", "2101030050241"])
      expect(regionPrefix(code)).toBeUndefined();
  });

  it("contains a region and everything below it, nothing beside it", () => {
    expect(regionContains("210100", "210103005024")).toBe(true);
    expect(regionContains("210000", "210202")).toBe(true);
    expect(regionContains("210103", "210104001")).toBe(false);
    expect(regionContains("210100", "210200")).toBe(false);
  });

  it("lists ancestors from the province down", () => {
    expect(ancestorCodes("210103005024")).toEqual(["210000", "210100", "210103", "210103005"]);
    expect(ancestorCodes("210103")).toEqual(["210000", "210100"]);
    expect(ancestorCodes("210000")).toEqual([]);
  });

  it("finds the county of a community and none for a city", () => {
    expect(countyOf("210202001002")).toBe("210202");
    expect(countyOf("210200")).toBeUndefined();
  });
});
