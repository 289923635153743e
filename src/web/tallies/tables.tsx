import type { Child } from "hono/jsx";
import type { Tally, TallyMeasures, TallyRow } from "../../tallies/query";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import type { ChartItem } from "./charts";

/** A region and period on the dashboard: what every link and download of it keeps. */
export interface DashboardQuery {
  region: string;
  from: string;
  to: string;
}

export const numbers: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }),
};

/** A figure as shown: `<5` when withheld, `—` when there is none. */
export function show(
  value: number | null,
  lang: Lang,
  suppressed: boolean,
  threshold: number,
): string {
  if (suppressed) return `<${threshold}`;
  return value === null ? "—" : numbers[lang].format(value);
}

/**
 * The dashboard's own address for a region and period (drill-down, presets, print): only the
 * query, which the browser puts on this same page's path (shorter, on a page of many links).
 */
export function dashboardHref(query: DashboardQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ region: query.region, from: query.from, to: query.to });
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `?${params}`;
}

/** The download link of one section, for the same region and period. */
function exportHref(table: string, query: DashboardQuery, format: "csv" | "xlsx"): string {
  const params = new URLSearchParams({
    table,
    region: query.region,
    from: query.from,
    to: query.to,
    ...(format === "xlsx" ? { format } : {}),
  });
  return `/staff/tallies/export?${params}`;
}

export function Download(props: { t: Messages; table: string; query: DashboardQuery }) {
  return (
    <p class="download">
      {props.t.tallies.downloadTable}
      <a href={exportHref(props.table, props.query, "xlsx")} download>
        {props.t.tallies.xlsxShort}
      </a>
      {" · "}
      <a href={exportHref(props.table, props.query, "csv")} download>
        {props.t.tallies.csvShort}
      </a>
    </p>
  );
}

export const isSuppressed = (row: TallyRow) => row.suppressed?.includes("personTimes") ?? false;

export function chartItems(
  rows: TallyRow[],
  label: (row: TallyRow) => string,
  tally: Tally,
  lang: Lang,
  name?: (row: TallyRow) => string,
) {
  return rows.map(
    (row): ChartItem => ({
      label: label(row),
      name: name?.(row),
      value: isSuppressed(row) ? null : row.personTimes,
      display: show(row.personTimes, lang, isSuppressed(row), tally.suppression.threshold),
    }),
  );
}

/**
 * A table that may be wider than the screen: it scrolls sideways inside a region that takes
 * keyboard focus (so it can be scrolled without a mouse) and is named by its caption.
 */
export function ScrollTable(props: { id: string; caption: string; children: Child }) {
  return (
    <section class="scroll" tabindex={0} aria-labelledby={`${props.id}-caption`}>
      <table class="data" id={props.id}>
        <caption id={`${props.id}-caption`}>{props.caption}</caption>
        {props.children}
      </table>
    </section>
  );
}

/** One row of a measure table: its label, its figures, and where it drills down to. */
export interface MeasureRow {
  label: string;
  row: TallyRow;
  href?: string;
}

/** A plain table with the same numbers as a chart (or the region breakdown). */
export function MeasureTable(props: {
  t: Messages;
  lang: Lang;
  id: string;
  caption: string;
  label: string;
  rows: MeasureRow[];
  tally: Tally;
  full: boolean;
}) {
  const { t, lang, tally } = props;
  const columns: (keyof TallyMeasures)[] = props.full
    ? [
        "events",
        "personTimes",
        "uniqueVolunteers",
        "volunteerHours",
        "activeSocialWorkers",
        "communitiesReached",
      ]
    : ["events", "personTimes"];
  return (
    <ScrollTable id={props.id} caption={props.caption}>
      <thead>
        <tr>
          <th>{props.label}</th>
          {columns.map((column) => (
            <th>{t.tallies[column as keyof Messages["tallies"]] as string}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(({ label, row, href }) => (
          <tr>
            <th scope="row">{href ? <a href={href}>{label}</a> : label}</th>
            {columns.map((column) => (
              <td>
                {show(
                  row[column] as number | null,
                  lang,
                  row.suppressed?.includes(column) ?? false,
                  tally.suppression.threshold,
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
