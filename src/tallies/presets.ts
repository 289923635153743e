import { shanghaiMonth } from "../domain/months";

/** The year the pilot began: every full year since then is offered as a period of its own. */
export const PILOT_YEAR = 2025;

/** A period a department asks for most: months as `YYYY-MM`, both included. */
export interface PeriodPreset {
  kind: "thisMonth" | "lastMonth" | "thisQuarter" | "thisYear" | "year";
  /** For `year`: which one. */
  year?: string;
  from: string;
  to: string;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, "0")}`;
}

/** The first month of the quarter `YYYY-MM` falls in. */
export function quarterStart(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  return `${year}-${String(first).padStart(2, "0")}`;
}

/**
 * The quick periods, in Beijing time: this month, last month, this quarter and this year so far
 * (to the current month), and each whole year from the pilot's first to last year.
 */
export function periodPresets(now: Date, firstYear = PILOT_YEAR): PeriodPreset[] {
  const month = shanghaiMonth(now);
  const year = Number(month.slice(0, 4));
  const last = previousMonth(month);
  const presets: PeriodPreset[] = [
    { kind: "thisMonth", from: month, to: month },
    { kind: "lastMonth", from: last, to: last },
    { kind: "thisQuarter", from: quarterStart(month), to: month },
    { kind: "thisYear", from: `${year}-01`, to: month },
  ];
  for (let y = year - 1; y >= firstYear; y--)
    presets.push({ kind: "year", year: String(y), from: `${y}-01`, to: `${y}-12` });
  return presets;
}
