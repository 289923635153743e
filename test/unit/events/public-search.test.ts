import { describe, expect, it } from "vitest";
import {
  dateWindow,
  likePattern,
  readPublicSearch,
  searchPath,
  treeDistance,
} from "../../../src/events/public-search";

/** A Beijing wall-clock time as an instant. */
const beijing = (text: string) => new Date(`${text}+08:00`);

describe("reading the list's address", () => {
  it("takes a city or county as the region, and reads the older city/county parameters", () => {
    expect(readPublicSearch({ region: "210103" }).region).toBe("210103");
    expect(readPublicSearch({ city: "210100", county: "210103" }).region).toBe("210103");
    expect(readPublicSearch({ city: "210100" }).region).toBe("210100");
    expect(readPublicSearch({ region: "210103001001" }).region).toBeUndefined();
  });

  it("keeps at most five words of at most twenty characters, and ignores a bad page or chip", () => {
    const search = readPublicSearch({ q: "  心理　多福 a b c d e ", page: "0", when: "soon" });
    expect(search.words).toEqual(["心理", "多福", "a", "b", "c"]);
    expect(search.page).toBe(1);
    expect(search.when).toBe("all");
    expect(readPublicSearch({ q: "长".repeat(30) }).words[0]).toHaveLength(20);
  });

  it("writes the address back with only what was chosen", () => {
    const search = readPublicSearch({ region: "210103", q: "心理", when: "week", page: "2" });
    expect(searchPath(search)).toBe("/events?region=210103&q=%E5%BF%83%E7%90%86&when=week&page=2");
    expect(searchPath(search, { when: "all", page: 1 })).toBe(
      "/events?region=210103&q=%E5%BF%83%E7%90%86",
    );
  });
});

describe("date chips in Beijing time", () => {
  it("today runs to midnight in Beijing, even late in the evening UTC", () => {
    const now = beijing("2027-03-05T23:30:00"); // 15:30 UTC, a Friday in Beijing
    expect(dateWindow("today", now)).toEqual({ from: now, to: beijing("2027-03-06T00:00:00") });
  });

  it("this week runs to Monday 00:00; on a Sunday that is the next day", () => {
    expect(dateWindow("week", beijing("2027-03-03T10:00:00"))?.to).toEqual(
      beijing("2027-03-08T00:00:00"),
    );
    expect(dateWindow("week", beijing("2027-03-07T10:00:00"))?.to).toEqual(
      beijing("2027-03-08T00:00:00"),
    );
  });

  it("the weekend is Saturday and Sunday, from now once it has begun", () => {
    const wednesday = beijing("2027-03-03T10:00:00");
    expect(dateWindow("weekend", wednesday)).toEqual({
      from: beijing("2027-03-06T00:00:00"),
      to: beijing("2027-03-08T00:00:00"),
    });
    const sunday = beijing("2027-03-07T15:00:00");
    expect(dateWindow("weekend", sunday)).toEqual({
      from: sunday,
      to: beijing("2027-03-08T00:00:00"),
    });
    expect(dateWindow("all", wednesday)).toBeUndefined();
  });
});

describe("nearness in the region tree", () => {
  it("counts how high the two places part", () => {
    const duofu = "210103005024";
    expect(treeDistance(duofu, duofu)).toBe(0);
    expect(treeDistance(duofu, "210103005001")).toBe(1);
    expect(treeDistance(duofu, "210103001001")).toBe(2);
    expect(treeDistance(duofu, "210104001001")).toBe(3);
    expect(treeDistance(duofu, "210202001001")).toBe(4);
    expect(treeDistance(duofu, "110101001001")).toBe(5);
  });
});

describe("words in ILIKE", () => {
  it("escapes the pattern characters", () => {
    expect(likePattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
  });
});
