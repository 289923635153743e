import { and, eq, inArray, like, or, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { regions, tallyCounty, tallyDistinctNow } from "../db/schema";
import { monthStart, monthsBetween } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import type { RegionLevel } from "../domain/vocabulary";
import { type CellMeasures, childCode, type Entry, num } from "./cells";
import type { TallyDimension, TallyRequest } from "./query";

/**
 * Tallies over whole counties and above, not split by service type or target group, from the
 * coarse tables (migration 0028): tally_county (one row per county and period, `YYYY-MM` or
 * `YYYY`, with its sums and its own distinct counts) and tally_distinct_now (the distinct counts of
 * cities, provinces and the country). A tally of all counties for a year reads one row per county,
 * in one statement with the totals, the distinct counts it needs and the counties' names.
 */

/** Levels the coarse tables hold: counties and the regions above them. */
const COARSE_LEVELS = new Set<string>(["country", "province", "city", "county"]);

export interface CoarsePlan {
  /** The tally_county periods to read: each month, or the one year. */
  periods: string[];
  /**
   * Whether every cell covers one period, so that its distinct counts are counters. Otherwise
   * (several months, not by month) they come from the fine rollups: counts do not add up.
   */
  counted: boolean;
}

/**
 * Whether the coarse tables can answer: no split by service type or target group, a region of
 * county level or above, broken down (if at all) to counties or above.
 */
export function coarsePlan(
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
): CoarsePlan | undefined {
  if (dims.includes("serviceType") || dims.includes("targetGroup")) return undefined;
  if (!COARSE_LEVELS.has(ownLevel(request) ?? "")) return undefined;
  if (dims.includes("region") && !COARSE_LEVELS.has(level)) return undefined;
  const months = monthsBetween(request.from, request.to);
  if (dims.includes("month") || months.length === 1) return { periods: months, counted: true };
  const year = request.from.slice(0, 4);
  if (request.from === `${year}-01` && request.to === `${year}-12`)
    return { periods: [year], counted: true };
  return { periods: months, counted: false };
}

const ownLevel = (request: TallyRequest) =>
  request.region ? regionLevelOf(request.region) : "country";

interface Wanted {
  groups?: { plan: CoarsePlan; entry: Entry };
  totals: { plan: CoarsePlan; measures: CellMeasures };
}

/** A child region of a tally broken down by region. */
export interface ChildRegion {
  code: string;
  name: string;
}

/**
 * The measures of tally_county in the order {@link coarseAggregate} reads them: the sums, the
 * county's distinct counts, and (for the totals only) the outcomes awaiting sign-off.
 */
const MEASURES = [
  "events",
  "person_times",
  "volunteers_attended",
  "volunteer_hours",
  "adjusted_person_times",
  "adjusted_volunteers_attended",
  "adjusted_volunteer_hours",
  "volunteers",
  "social_workers",
  "communities",
] as const;

/**
 * The cells (if `groups`) and the totals from the coarse tables, in one statement: the cells of
 * tally_county summed per cell (or, where each cell is one row of it, its rows as they are), the
 * totals summed over the cells in the same pass, the distinct counts of cities, provinces and
 * the country from tally_distinct_now where a cell or the totals need them, and the names of the
 * child regions at `names` (the level a `region` grouping lists, when asked). Distinct counts of
 * plans that are not `counted` are left to the caller. Returns how many outcomes of the region
 * and period wait for sign-off, and the child regions in code order if asked.
 *
 * The cells come back as one JSON text, an array of arrays written by string_agg (json_agg of
 * json_build_array cost the server ~2 µs more per cell), which JSON.parse reads at a fraction of
 * the cost of one protocol row per cell: for all of China's counties, the driver's decoding of
 * 2,975 rows cost more CPU than the query. Numbers are written as PostgreSQL writes them in any
 * row, and read as Number() reads those.
 */
export async function coarseAggregate(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  wanted: Wanted,
  names?: RegionLevel,
): Promise<{ awaiting: number; children?: ChildRegion[] }> {
  const { groups, totals } = wanted;
  const own = ownLevel(request);
  const read = groups ? groups.plan.periods : totals.plan.periods;
  const byMonth = groups !== undefined && dims.includes("month");
  const byRegion = groups !== undefined && dims.includes("region");
  // A county's own row holds its distinct counts: used where a cell is one county in one period.
  const countyCells = dims.includes("region") ? level === "county" : own === "county";
  const countyTotals =
    own === "county" &&
    totals.plan.periods.length === 1 &&
    read.join() === totals.plan.periods.join();
  const fromCounters = {
    groups: groups?.plan.counted && !countyCells ? groups : undefined,
    totals: totals.plan.counted && !countyTotals ? totals : undefined,
  };

  const t = tallyCounty;
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const where = and(
    read.length === 1 ? eq(t.period, read[0] as string) : inArray(t.period, read),
    prefix ? like(t.countyCode, `${prefix}%`) : undefined,
  );
  const keys: SQL[] = [];
  if (byMonth) keys.push(sql`${t.period}`);
  if (byRegion)
    keys.push(level === "county" ? sql`${t.countyCode}` : childCode(t.countyCode, level));
  const keyList = sql.join(
    keys.map((key, i) => sql`${key} as ${sql.identifier(`k${i}`)}`),
    sql`, `,
  );
  const columns = [...MEASURES, "awaiting"].map((m) => sql.identifier(m));
  // Every row of tally_county is one cell where the cells are counties (or the months of one
  // county) and each reads one period: its key is (period, county_code). Then no GROUP BY.
  const rowPerCell = keys.length > 0 && countyCells && (byMonth || read.length === 1);
  const cells = !keys.length
    ? sql`select ${sql.join(columns, sql`, `)} from ${t} where ${where}`
    : rowPerCell
      ? sql`select ${keyList}, ${sql.join(columns, sql`, `)} from ${t} where ${where}`
      : sql`select ${keyList}, ${sql.join(
          columns.map((c) => sql`sum(${c}) as ${c}`),
          sql`, `,
        )} from ${t} where ${where} group by ${sql.join(keys, sql`, `)}`;
  // A cell as a JSON array: its keys (codes and periods: digits and '-') quoted, then its numbers.
  const cellJson = () =>
    sql`'["' || ${sql.join(
      keys.map((_, i) => sql.identifier(`k${i}`)),
      sql` || '","' || `,
    )} || '",' || concat_ws(',', ${sql.join(
      MEASURES.map((m) => sql.identifier(m)),
      sql`, `,
    )}) || ']'`;

  const query = sql`select ${
    keys.length ? sql`'[' || string_agg(${cellJson()}, ',') || ']' as "cells", ` : sql``
  }${sql.join(
    [...MEASURES, "awaiting"].map((m) => sql`sum(${sql.identifier(m)}) as ${sql.identifier(m)}`),
    sql`, `,
  )}${
    fromCounters.groups || fromCounters.totals
      ? sql`, (${countersQuery(request, dims, level, fromCounters)}) as "counts"`
      : sql``
  }${names ? sql`, (${namesQuery(request.region, names)}) as "names"` : sql``}
    from (${cells}) as c`;
  // Every driver the app and its scripts use answers execute() with a node-postgres result.
  const result = (await db.execute(query)) as unknown as { rows: CoarseRow[] };
  const row = result.rows[0] ?? ({} as CoarseRow);

  if (groups && row.cells) {
    const counted = groups.plan.counted && countyCells;
    for (const f of JSON.parse(row.cells) as (string | number)[][]) {
      let i = 0;
      const values: Record<string, unknown> = {};
      if (byMonth) values.month = monthStart(f[i++] as string);
      if (byRegion) values.region = f[i++];
      setMeasures(groups.entry(values), f, i, counted);
    }
  }
  setMeasures(
    totals.measures,
    MEASURES.map((m) => row[m]),
    0,
    totals.plan.counted && countyTotals,
  );
  if (row.counts) setCounts(request, dims, level, fromCounters, row.counts);
  return {
    awaiting: num(row.awaiting),
    children: names ? childList(row.names) : undefined,
  };
}

/** The statement's one row: the cells as text, the totals' sums, counts and names as JSON. */
type CoarseRow = Partial<Record<(typeof MEASURES)[number] | "awaiting", string | number | null>> & {
  cells?: string | null;
  counts?: [string, string, string, string, number][] | null;
  names?: string[] | null;
};

/**
 * Sets a cell's sums (and, if `counted`, its distinct counts) from fields in the order of
 * {@link MEASURES}, starting at `at`.
 */
function setMeasures(m: CellMeasures, f: unknown[], at: number, counted: boolean | undefined) {
  m.events = num(f[at]);
  m.personTimes = num(f[at + 1]);
  m.volunteersAttended = num(f[at + 2]);
  m.volunteerHours = num(f[at + 3]);
  m.adjustments = {
    personTimes: num(f[at + 4]),
    volunteersAttended: num(f[at + 5]),
    volunteerHours: num(f[at + 6]),
  };
  if (counted) {
    m.uniqueVolunteers = num(f[at + 7]);
    m.activeSocialWorkers = num(f[at + 8]);
    m.communitiesReached = num(f[at + 9]);
  }
}

/** The child regions from {@link namesQuery}'s list, in code order. */
function childList(names: string[] | null | undefined): ChildRegion[] {
  const list: ChildRegion[] = [];
  for (const entry of names ?? []) {
    const space = entry.indexOf(" ");
    list.push({ code: entry.slice(0, space), name: entry.slice(space + 1) });
  }
  // Codes have digits only: code-unit order is code order (and childRegionsOf's).
  return list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * The regions at `level` within `region` as a JSON array of "code name" (a code has no space),
 * from the index on level, code and name.
 */
function namesQuery(region: string | undefined, level: RegionLevel): SQL {
  const prefix = region ? regionPrefix(region) : undefined;
  return sql`select json_agg(${regions.code} || ' ' || ${regions.name}) from ${regions}
    where ${and(eq(regions.level, level), prefix ? like(regions.code, `${prefix}%`) : undefined)}`;
}

/**
 * Distinct volunteers, social workers and communities from tally_distinct_now, as a JSON array of
 * [kind, level, code, period, n]: the cells' regions (at `level`, or the region itself by month)
 * and the region's own counts for the totals.
 */
function countersQuery(
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  wanted: { groups?: Wanted["groups"]; totals?: Wanted["totals"] },
): SQL {
  const t = tallyDistinctNow;
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const own = ownLevel(request) ?? "";
  const ownScope = and(eq(t.scopeLevel, own), eq(t.scopeCode, request.region ?? "000000"));
  const cellScope = dims.includes("region")
    ? and(eq(t.scopeLevel, level), prefix ? like(t.scopeCode, `${prefix}%`) : undefined)
    : ownScope;
  const { groups, totals } = wanted;
  return sql`select json_agg(json_build_array(${t.kind}, ${t.scopeLevel}, ${t.scopeCode}, ${t.period}, ${t.n}))
    from ${t}
    where ${or(
      groups ? and(cellScope, inArray(t.period, groups.plan.periods)) : undefined,
      totals ? and(ownScope, inArray(t.period, totals.plan.periods)) : undefined,
    )}`;
}

/** Sets the distinct counts {@link countersQuery} read on the cells and the totals. */
function setCounts(
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  wanted: { groups?: Wanted["groups"]; totals?: Wanted["totals"] },
  counts: [string, string, string, string, number][],
): void {
  const byRegion = dims.includes("region");
  const own = ownLevel(request) ?? "";
  const ownCode = request.region ?? "000000";
  const { groups, totals } = wanted;
  for (const [kind, scopeLevel, scopeCode, period, n] of counts) {
    const isOwn = scopeLevel === own && scopeCode === ownCode;
    if (totals && isOwn && totals.plan.periods.includes(period)) setCount(totals.measures, kind, n);
    const inScope = byRegion ? scopeLevel === level : isOwn;
    if (!groups || !inScope || !groups.plan.periods.includes(period)) continue;
    const values: Record<string, unknown> = {};
    if (dims.includes("month")) values.month = monthStart(period);
    if (byRegion) values.region = scopeCode;
    setCount(groups.entry(values), kind, n);
  }
}

function setCount(m: CellMeasures, kind: string, n: unknown): void {
  if (kind === "volunteer") m.uniqueVolunteers = num(n);
  else if (kind === "social_worker") m.activeSocialWorkers = num(n);
  else if (kind === "community") m.communitiesReached = num(n);
}
