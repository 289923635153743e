/**
 * Calendar months as the departments count them: in Asia/Shanghai (UTC+8 all year, no DST).
 * A month is written `YYYY-MM`; the database keeps its first day (`YYYY-MM-01`).
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM` from 2000-01 to 2100-12 (the years the app deals in; Postgres has no year 0). */
export const MONTH_PATTERN = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/;

/** The Asia/Shanghai calendar month an instant falls in, as `YYYY-MM`. */
export function shanghaiMonth(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** `YYYY-MM` → the database's `YYYY-MM-01`. */
export function monthStart(month: string): string {
  return `${month}-01`;
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to && months.length < 1200; month = nextMonth(month))
    months.push(month);
  return months;
}

/** The instant an Asia/Shanghai month begins. */
export function monthBeginsAt(month: string): Date {
  return new Date(Date.parse(`${month}-01T00:00:00+08:00`));
}
