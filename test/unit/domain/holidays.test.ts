import { describe, expect, it } from "vitest";
import { expandDates, workingCalendar } from "../../../src/domain/holidays";
import { addWorkingDays, workingDaysBetween } from "../../../src/domain/working-days";

const at = (text: string) => new Date(text);
const official = workingCalendar();

describe("the State Council's holidays (built in for 2025 and 2026)", () => {
  it("skips the National Day week: a request on 30 September 2026 has until the end of 9 October", () => {
    expect(addWorkingDays(at("2026-09-30T10:00:00+08:00"), 2, official)).toEqual(
      at("2026-10-10T00:00:00+08:00"),
    );
    // Without the calendar the same request would be due on the holiday's second day.
    expect(addWorkingDays(at("2026-09-30T10:00:00+08:00"), 2)).toEqual(
      at("2026-10-03T00:00:00+08:00"),
    );
  });

  it("counts a 调休 Saturday: Friday 13 February 2026 plus 2 is Saturday the 14th, then the 24th", () => {
    expect(addWorkingDays(at("2026-02-13T18:00:00+08:00"), 1, official)).toEqual(
      at("2026-02-15T00:00:00+08:00"),
    );
    expect(addWorkingDays(at("2026-02-13T18:00:00+08:00"), 2, official)).toEqual(
      at("2026-02-25T00:00:00+08:00"),
    );
  });

  it("has the 2025 Spring Festival: 28 January to 4 February off, 26 January and 8 February worked", () => {
    // From Friday 24 January: Sunday 26th (worked), Monday 27th, then Wednesday 5 February.
    expect(
      workingDaysBetween(
        at("2025-01-24T09:00:00+08:00"),
        at("2025-02-05T09:00:00+08:00"),
        official,
      ),
    ).toBe(3);
    expect(official.holidays?.has("2025-01-28")).toBe(true);
    expect(official.holidays?.has("2025-02-04")).toBe(true);
    expect(official.workingWeekends?.has("2025-02-08")).toBe(true);
  });

  it("gives each year exactly the 13 statutory days off of 2025's Holidays Law (元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 国庆 3, 中秋 1)", () => {
    // Days off that fall on a weekday, minus the weekends worked: the net days a worker gains.
    for (const year of ["2025", "2026"]) {
      const weekdaysOff = [...(official.holidays ?? [])].filter(
        (day) => day.startsWith(year) && ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()),
      ).length;
      const worked = [...(official.workingWeekends ?? [])].filter((day) => day.startsWith(year));
      for (const day of worked) expect([0, 6]).toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
      expect(weekdaysOff - worked.length, year).toBe(13);
    }
  });

  it("adds the configured entries to the built-in ones", () => {
    const calendar = workingCalendar({
      holidays: ["2027-01-01", "2027-02-06..2027-02-08"],
      workingWeekends: ["2027-02-20"],
    });
    expect(calendar.holidays?.has("2027-02-07")).toBe(true);
    expect(calendar.holidays?.has("2026-10-07")).toBe(true);
    expect(calendar.workingWeekends?.has("2027-02-20")).toBe(true);
  });

  it("refuses what is not a date or a short range", () => {
    for (const bad of [
      "2027-02-30",
      "2027-2-6",
      "tomorrow",
      "2027-02-08..2027-02-06",
      "2027-01-01..2027-12-31",
    ])
      expect(() => expandDates([bad]), bad).toThrow(/not a date/);
    expect(expandDates(["2027-02-27..2027-03-01"])).toEqual([
      "2027-02-27",
      "2027-02-28",
      "2027-03-01",
    ]);
  });
});
