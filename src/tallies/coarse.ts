import { and, eq, inArray, like, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import { tallyCounty, tallyDistinctNow } from "../db/schema";
import { monthStart, monthsBetween } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import type { RegionLevel } from "../domain/vocabulary";
import { type CellMeasures, childCode, type Entry, num, type SumsRow, setSums } from "./cells";
import type { TallyDimension, TallyRequest } from "./query";

/**
 * Tallies over whole counties and above, not split by service type or target group, from the
 * coarse tables (migration 0028): tally_county (one row per county and period, `YYYY-MM` or
 * `YYYY`, with its sums and its own distinct counts) and tally_distinct_now (the distinct counts of
 * cities, provinces and the country). A tally of all counties for a year reads one row per county.
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

/**
 * The cells (if `groups`) and the totals from the coarse tables: sums (and a single county's
 * distinct counts) from tally_county, with GROUPING SETS ((dims), ()) so one scan gives both; the
 * other distinct counts from tally_distinct_now, both scopes in one statement. Distinct counts of
 * plans that are not `counted` are left to the caller. Returns how many outcomes of the region
 * and period wait for sign-off.
 */
export async function coarseAggregate(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  wanted: Wanted,
): Promise<{ awaiting: number }> {
  const { groups, totals } = wanted;
  let awaiting = 0;
  const own = ownLevel(request);
  const read = groups ? groups.plan.periods : totals.plan.periods;
  // A county's own row holds its distinct counts: used where a cell is one county in one period.
  const countyCells = dims.includes("region") ? level === "county" : own === "county";
  const countyTotals =
    own === "county" &&
    totals.plan.periods.length === 1 &&
    read.join() === totals.plan.periods.join();
  const rows = await countyRows(db, request, groups ? dims : [], level, read);
  for (const row of rows) {
    const isTotal = groups ? Number(row.isTotal) !== 0 : true;
    const values: Record<string, unknown> = {};
    if (groups && dims.includes("month")) values.month = monthStart(String(row.period));
    if (groups && dims.includes("region")) values.region = row.region;
    if (isTotal) awaiting = num(row.awaiting);
    const m = isTotal ? totals.measures : (groups as NonNullable<Wanted["groups"]>).entry(values);
    setSums(m, row);
    const counted = isTotal
      ? totals.plan.counted && countyTotals
      : groups?.plan.counted && countyCells;
    if (counted) {
      m.uniqueVolunteers = num(row.volunteers);
      m.activeSocialWorkers = num(row.socialWorkers);
      m.communitiesReached = num(row.communities);
    }
  }
  const fromCounters = {
    groups: groups?.plan.counted && !countyCells ? groups : undefined,
    totals: totals.plan.counted && !countyTotals ? totals : undefined,
  };
  if (fromCounters.groups || fromCounters.totals)
    await counters(db, request, dims, level, fromCounters);
  return { awaiting };
}

/** A row of {@link countyRows}: sums as the driver returns them (numeric as text). */
type CountyRow = SumsRow &
  Record<"volunteers" | "socialWorkers" | "communities" | "awaiting" | "isTotal", unknown> & {
    period?: string;
    region?: string;
  };

/**
 * tally_county's rows of the region and periods, summed per cell, with the totals (isTotal).
 * Through execute(), not the query builder: for all of China's counties the builder's mapping of
 * each field of each row cost more CPU than the query.
 */
async function countyRows(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  periods: string[],
): Promise<CountyRow[]> {
  const t = tallyCounty;
  const keys: [string, SQL | PgColumn][] = [];
  if (dims.includes("month")) keys.push(["period", t.period]);
  // At county level the code itself: no expression to compute, and rows come in key order.
  if (dims.includes("region"))
    keys.push(["region", level === "county" ? t.countyCode : childCode(t.countyCode, level)]);
  const grouped = sql.join(
    keys.map(([, expression]) => expression),
    sql`, `,
  );
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const query = sql`select ${sql.join(
    keys.map(([name, expression]) => sql`${expression} as ${sql.identifier(name)}`),
    sql`, `,
  )}${keys.length ? sql`, ` : sql``}
      sum(${t.events}) as "events", sum(${t.personTimes}) as "personTimes",
      sum(${t.volunteersAttended}) as "volunteersAttended",
      sum(${t.volunteerHours}) as "volunteerHours",
      sum(${t.adjustedPersonTimes}) as "adjustedPersonTimes",
      sum(${t.adjustedVolunteersAttended}) as "adjustedVolunteers",
      sum(${t.adjustedVolunteerHours}) as "adjustedHours",
      sum(${t.volunteers}) as "volunteers", sum(${t.socialWorkers}) as "socialWorkers",
      sum(${t.communities}) as "communities", sum(${t.awaiting}) as "awaiting"
      ${keys.length ? sql`, grouping(${grouped}) as "isTotal"` : sql``}
    from ${t}
    where ${periods.length === 1 ? eq(t.period, periods[0] as string) : inArray(t.period, periods)}
      ${prefix ? sql`and ${like(t.countyCode, `${prefix}%`)}` : sql``}
    ${keys.length ? sql`group by grouping sets ((${grouped}), ())` : sql``}`;
  // Every driver the app and its scripts use answers execute() with a node-postgres result.
  const result = (await db.execute(query)) as unknown as { rows: CountyRow[] };
  return result.rows;
}

/**
 * Distinct volunteers, social workers and communities from tally_distinct_now: the cells' regions
 * (at `level`, or the region itself by month) and the region's own counts for the totals.
 */
async function counters(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  wanted: { groups?: Wanted["groups"]; totals?: Wanted["totals"] },
): Promise<void> {
  const t = tallyDistinctNow;
  const byRegion = dims.includes("region");
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const own = ownLevel(request) ?? "";
  const ownCode = request.region ?? "000000";
  const ownScope = and(eq(t.scopeLevel, own), eq(t.scopeCode, ownCode));
  const cellScope = byRegion
    ? and(eq(t.scopeLevel, level), prefix ? like(t.scopeCode, `${prefix}%`) : undefined)
    : ownScope;
  const { groups, totals } = wanted;
  const rows = await db
    .select({
      kind: t.kind,
      scopeLevel: t.scopeLevel,
      scopeCode: t.scopeCode,
      period: t.period,
      n: t.n,
    })
    .from(t)
    .where(
      or(
        groups ? and(cellScope, inArray(t.period, groups.plan.periods)) : undefined,
        totals ? and(ownScope, inArray(t.period, totals.plan.periods)) : undefined,
      ),
    );
  for (const row of rows) {
    const isOwn = row.scopeLevel === own && row.scopeCode === ownCode;
    if (totals && isOwn && totals.plan.periods.includes(row.period))
      setCount(totals.measures, row.kind, row.n);
    const inScope = byRegion ? row.scopeLevel === level : isOwn;
    if (!groups || !inScope || !groups.plan.periods.includes(row.period)) continue;
    const values: Record<string, unknown> = {};
    if (dims.includes("month")) values.month = monthStart(row.period);
    if (byRegion) values.region = row.scopeCode;
    setCount(groups.entry(values), row.kind, row.n);
  }
}

function setCount(m: CellMeasures, kind: string, n: unknown): void {
  if (kind === "volunteer") m.uniqueVolunteers = num(n);
  else if (kind === "social_worker") m.activeSocialWorkers = num(n);
  else if (kind === "community") m.communitiesReached = num(n);
}
