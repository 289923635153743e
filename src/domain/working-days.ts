/**
 * Time limits counted in working days in Asia/Shanghai (限时办结): Monday to Friday, except the
 * dates listed as holidays, plus weekend dates listed as working days (调休). The official lists
 * are published each year by the State Council; pass them in when known.
 */
export interface WorkingCalendar {
  /** `YYYY-MM-DD` dates that are not working days although on a weekday. */
  holidays?: ReadonlySet<string>;
  /** `YYYY-MM-DD` weekend dates that are working days (调休). */
  workingWeekends?: ReadonlySet<string>;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Shanghai calendar date of an instant, as days since 1970-01-01. */
function shanghaiDay(at: Date): number {
  return Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a Shanghai calendar day (days since the epoch) is a working day. */
export function isWorkingDay(day: number, calendar: WorkingCalendar = {}): boolean {
  const iso = isoOf(day);
  if (calendar.workingWeekends?.has(iso)) return true;
  if (calendar.holidays?.has(iso)) return false;
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The deadline `days` working days after `from`: the end of the `days`-th working day after the
 * day it arrived (a request made on Friday evening with 2 days is due at the end of Tuesday),
 * returned as the instant the next Shanghai day starts.
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar = {}): Date {
  let day = shanghaiDay(from);
  let left = days;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(day, calendar)) left -= 1;
  }
  return new Date((day + 1) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Working days from `from` to `to` (Shanghai dates; 0 on the same day), for figures. */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar = {}): number {
  const start = shanghaiDay(from);
  const end = shanghaiDay(to);
  let count = 0;
  for (let day = start + 1; day <= end; day++) if (isWorkingDay(day, calendar)) count++;
  return count;
}
