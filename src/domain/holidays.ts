import type { WorkingCalendar } from "./working-days";

/**
 * The State Council's public holidays and their 调休 weekend working days, as published each
 * year in 国务院办公厅关于 YYYY 年部分节假日安排的通知. 2025 and 2026 are built in; a later year's
 * list is added in the configuration (`HOLIDAYS`, `WORKING_WEEKENDS`) until it is built in too.
 * Each entry is a date or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`.
 */
export const OFFICIAL_HOLIDAYS = [
  // 2025: 元旦; 春节 1月28日–2月4日; 清明; 劳动节 5月1日–5日; 端午 5月31日–6月2日; 国庆、中秋 10月1日–8日.
  "2025-01-01",
  "2025-01-28..2025-02-04",
  "2025-04-04..2025-04-06",
  "2025-05-01..2025-05-05",
  "2025-05-31..2025-06-02",
  "2025-10-01..2025-10-08",
  // 2026: 元旦 1月1日–3日; 春节 2月15日–23日; 清明; 劳动节; 端午; 中秋; 国庆 10月1日–7日.
  "2026-01-01..2026-01-03",
  "2026-02-15..2026-02-23",
  "2026-04-04..2026-04-06",
  "2026-05-01..2026-05-05",
  "2026-06-19..2026-06-21",
  "2026-09-25..2026-09-27",
  "2026-10-01..2026-10-07",
] as const;

/** Weekend days worked in exchange (调休), from the same notices. */
export const OFFICIAL_WORKING_WEEKENDS = [
  "2025-01-26",
  "2025-02-08",
  "2025-04-27",
  "2025-09-28",
  "2025-10-11",
  "2026-01-04",
  "2026-02-14",
  "2026-02-28",
  "2026-05-09",
  "2026-09-20",
  "2026-10-10",
] as const;

/** One entry of a list: `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD` (both ends included). */
export const CALENDAR_ENTRY = /^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/;

const DAY_MS = 86_400_000;

/** The dates of the entries, each range spelled out; throws on an entry that is not a date. */
export function expandDates(entries: readonly string[]): string[] {
  const dates: string[] = [];
  for (const entry of entries) {
    const [first, last = first] = entry.split("..") as [string, string?];
    const start = Date.parse(`${first}T00:00:00Z`);
    const end = Date.parse(`${last}T00:00:00Z`);
    if (
      !CALENDAR_ENTRY.test(entry) ||
      Number.isNaN(start) ||
      Number.isNaN(end) ||
      new Date(start).toISOString().slice(0, 10) !== first ||
      new Date(end).toISOString().slice(0, 10) !== last ||
      end < start ||
      end - start > 31 * DAY_MS
    )
      throw new Error(`not a date or a range of at most a month: ${entry}`);
    for (let day = start; day <= end; day += DAY_MS)
      dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

/** Splits a configured list (commas or whitespace between entries). */
export function calendarEntries(list: string | undefined): string[] {
  return (list ?? "").split(/[\s,]+/).filter(Boolean);
}

/** The built-in calendar with the configured entries added. */
export function workingCalendar(
  extra: { holidays?: readonly string[]; workingWeekends?: readonly string[] } = {},
): WorkingCalendar {
  return {
    holidays: new Set(expandDates([...OFFICIAL_HOLIDAYS, ...(extra.holidays ?? [])])),
    workingWeekends: new Set(
      expandDates([...OFFICIAL_WORKING_WEEKENDS, ...(extra.workingWeekends ?? [])]),
    ),
  };
}
