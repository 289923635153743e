import { describe, expect, it } from "vitest";
import { addWorkingDays, workingDaysBetween } from "../../../src/domain/working-days";

const at = (text: string) => new Date(text);

describe("addWorkingDays (Asia/Shanghai)", () => {
  it("counts 2 working days from a Wednesday to the end of Friday", () => {
    expect(addWorkingDays(at("2026-12-02T10:00:00+08:00"), 2).toISOString()).toBe(
      "2026-12-04T16:00:00.000Z",
    );
  });

  it("skips the weekend: Friday evening plus 2 is the end of Tuesday", () => {
    expect(addWorkingDays(at("2026-12-04T20:00:00+08:00"), 2).toISOString()).toBe(
      "2026-12-08T16:00:00.000Z",
    );
  });

  it("takes the Shanghai date, not UTC's: 01:00 Saturday in Shanghai is still Saturday", () => {
    // 2026-12-04T17:00Z is Saturday 01:00 in Shanghai: Monday and Tuesday count.
    expect(addWorkingDays(at("2026-12-04T17:00:00Z"), 2).toISOString()).toBe(
      "2026-12-08T16:00:00.000Z",
    );
  });

  it("skips listed holidays and counts listed working weekends", () => {
    const holidays = new Set(["2026-12-07"]);
    const workingWeekends = new Set(["2026-12-05"]);
    // Friday + 2: Saturday (调休) and Tuesday (Monday is a holiday).
    expect(
      addWorkingDays(at("2026-12-04T09:00:00+08:00"), 2, { holidays, workingWeekends }),
    ).toEqual(at("2026-12-09T00:00:00+08:00"));
  });

  it("counts 15 working days as three weeks", () => {
    expect(addWorkingDays(at("2026-12-01T09:00:00+08:00"), 15)).toEqual(
      at("2026-12-23T00:00:00+08:00"),
    );
  });
});

describe("workingDaysBetween", () => {
  it("is 0 on the same day and skips weekends", () => {
    expect(
      workingDaysBetween(at("2026-12-04T09:00:00+08:00"), at("2026-12-04T18:00:00+08:00")),
    ).toBe(0);
    expect(
      workingDaysBetween(at("2026-12-04T09:00:00+08:00"), at("2026-12-07T09:00:00+08:00")),
    ).toBe(1);
  });
});
