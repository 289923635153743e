import { and, eq, gte, inArray, like, lte, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import {
  tallyArea,
  tallyDistinctNow,
  tallyGroupRollup,
  tallyRollup,
  tallySocialWorkers,
  tallyVolunteers,
} from "../db/schema";
import { monthStart, monthsBetween } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import type { RegionLevel } from "../domain/vocabulary";
import type { TallyDimension, TallyMeasures, TallyOptions, TallyRequest } from "./query";

/**
 * Where a tally's numbers come from: the fine rollups (community × month × service type, by
 * target group, and who took part per cell) or, for whole counties and above not split by
 * service type or target group, the coarse ones (sums per county and month, distinct counts per
 * region and period). Each function adds its measures to the cells `entry` hands out.
 */

/** The code of the region at `level` that a community's 12-digit code lies in, in SQL. */
function childCode(column: PgColumn, level: RegionLevel): SQL<string> {
  switch (level) {
    case "province":
      return sql<string>`substring(${column}, 1, 2) || '0000'`;
    case "city":
      return sql<string>`substring(${column}, 1, 4) || '00'`;
    case "county":
      return sql<string>`substring(${column}, 1, 6)`;
    case "street":
      return sql<string>`substring(${column}, 1, 9)`;
    case "community":
      return sql<string>`${column}`;
  }
}

interface RollupColumns {
  regionCode: PgColumn;
  month: PgColumn;
  serviceType: PgColumn;
  targetGroup?: PgColumn;
}

/** The group-by expressions of the requested dimensions over one rollup table. */
function dimensionExpressions(
  table: RollupColumns,
  dims: TallyDimension[],
  level: RegionLevel,
): Record<string, SQL | PgColumn> {
  const out: Record<string, SQL | PgColumn> = {};
  for (const dim of dims) {
    if (dim === "month") out.month = table.month;
    if (dim === "serviceType") out.serviceType = table.serviceType;
    if (dim === "targetGroup" && table.targetGroup) out.targetGroup = table.targetGroup;
    if (dim === "region") out.region = childCode(table.regionCode, level);
  }
  return out;
}

function scopeFilter(table: RollupColumns, request: TallyRequest): SQL | undefined {
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  return and(
    prefix ? like(table.regionCode, `${prefix}%`) : undefined,
    gte(table.month, monthStart(request.from)),
    lte(table.month, monthStart(request.to)),
  );
}

/** A stable key for a combination of dimension values. */
export function keyOf(row: Record<string, unknown>, dims: TallyDimension[]): string {
  return dims.map((dim) => String(row[dim] ?? "")).join("\u0001");
}

export const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

export type Partial = Omit<TallyMeasures, "adjustments"> & {
  adjustments: TallyMeasures["adjustments"];
};

export function emptyMeasures(byGroup: boolean): Partial {
  return {
    events: 0,
    personTimes: 0,
    uniqueVolunteers: byGroup ? null : 0,
    volunteersAttended: byGroup ? null : 0,
    volunteerHours: byGroup ? null : 0,
    activeSocialWorkers: byGroup ? null : 0,
    communitiesReached: 0,
    adjustments: {
      personTimes: 0,
      volunteersAttended: byGroup ? null : 0,
      volunteerHours: byGroup ? null : 0,
    },
  };
}

/**
 * Sums the rollups for one set of dimensions, by dimension key with the dimension values: split
 * by target group from tally_group_rollup; for whole counties and above from the coarse tables
 * (coarsePlan); otherwise additive measures from tally_rollup and distinct social workers and
 * volunteers from their presence tables.
 */
async function aggregate(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  options: TallyOptions,
): Promise<Groups> {
  const byGroup = dims.includes("targetGroup");
  const out: Groups = new Map();
  const entry = groupEntry(out, dims, byGroup);

  if (byGroup) {
    const t = tallyGroupRollup;
    const expressions = dimensionExpressions(t, dims, level);
    const rows = await db
      .select({
        ...expressions,
        events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
        personTimes: sql<number>`sum(${t.personTimes})`,
        adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
        communities: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
      })
      .from(t)
      .where(scopeFilter(t, request))
      .groupBy(...Object.values(expressions));
    for (const row of rows) {
      const m = entry(row);
      m.events = num(row.events);
      m.personTimes = num(row.personTimes);
      m.communitiesReached = num(row.communities);
      m.adjustments.personTimes = num(row.adjustedPersonTimes);
    }
    return out;
  }

  const coarse = options.fineOnly ? undefined : coarsePlan(request, dims, level);
  if (coarse) {
    await additiveFromArea(db, request, dims, level, entry);
    if (coarse.periods) {
      await distinctFromCounters(db, request, dims, level, coarse.periods, entry);
      return out;
    }
  } else {
    await additiveFromRollup(db, request, dims, level, entry);
  }
  await distinctFromRollups(db, request, dims, level, entry, { communities: Boolean(coarse) });
  return out;
}

type Entry = (values: Record<string, unknown>) => Partial;

export type Groups = Map<string, { values: Record<string, unknown>; measures: Partial }>;

/**
 * The grouped cells and the totals of a tally. When the coarse tables answer both (counties and
 * above, by month and/or region, distinct counts from the counters), each table is read once for
 * both: sums with GROUPING SETS ((dims), ()), counters of both scopes in one statement. Otherwise
 * the grouped cells and the totals are two aggregate() calls.
 */
export async function aggregateWithTotals(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  options: TallyOptions,
): Promise<{ groups: Groups; totals: Partial }> {
  const grouped = dims.length && !options.fineOnly ? coarsePlan(request, dims, level) : undefined;
  const whole = options.fineOnly ? undefined : coarsePlan(request, [], level);
  if (grouped?.periods && whole?.periods) {
    const groups: Groups = new Map();
    const entry = groupEntry(groups, dims, false);
    const totals = emptyMeasures(false);
    await additiveFromArea(db, request, dims, level, entry, totals);
    await distinctFromCounters(db, request, dims, level, grouped.periods, entry, {
      periods: whole.periods,
      measures: totals,
    });
    return { groups, totals };
  }
  const groups: Groups = dims.length
    ? await aggregate(db, request, dims, level, options)
    : new Map();
  const totals = (await aggregate(db, request, [], level, options)).get("")?.measures;
  return { groups, totals: totals ?? emptyMeasures(false) };
}

function groupEntry(out: Groups, dims: TallyDimension[], byGroup: boolean): Entry {
  return (values) => {
    const key = keyOf(values, dims);
    let found = out.get(key);
    if (!found) {
      found = { values, measures: emptyMeasures(byGroup) };
      out.set(key, found);
    }
    return found.measures;
  };
}

/** Sums, adjustments and communities reached from the fine rollup. */
async function additiveFromRollup(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
): Promise<void> {
  const t = tallyRollup;
  const expressions = dimensionExpressions(t, dims, level);
  const rows = await db
    .select({
      ...expressions,
      ...additiveSums(t),
      communities: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
    })
    .from(t)
    .where(scopeFilter(t, request))
    .groupBy(...Object.values(expressions));
  for (const row of rows) {
    const m = entry(row);
    addSums(m, row);
    m.communitiesReached = num(row.communities);
  }
}

/** The additive measures of tally_rollup or tally_area (same columns), with their adjustments. */
function additiveSums(t: typeof tallyRollup | typeof tallyArea) {
  return {
    events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
    personTimes: sql<number>`sum(${t.personTimes})`,
    volunteersAttended: sql<number>`sum(${t.volunteersAttended})`,
    volunteerHours: sql<number>`sum(${t.volunteerHours})`,
    adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
    adjustedVolunteers: sql<number>`sum(${t.volunteersAttended}) filter (where ${t.adjustment})`,
    adjustedHours: sql<number>`sum(${t.volunteerHours}) filter (where ${t.adjustment})`,
  };
}

function addSums(m: Partial, row: Record<keyof ReturnType<typeof additiveSums>, unknown>): void {
  m.events = num(row.events);
  m.personTimes = num(row.personTimes);
  m.volunteersAttended = num(row.volunteersAttended);
  m.volunteerHours = num(row.volunteerHours);
  m.adjustments = {
    personTimes: num(row.adjustedPersonTimes),
    volunteersAttended: num(row.adjustedVolunteers),
    volunteerHours: num(row.adjustedHours),
  };
}

/** Distinct social workers and volunteers (and communities, if asked) from the fine rollups. */
async function distinctFromRollups(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
  options: { communities: boolean },
): Promise<void> {
  if (options.communities) {
    const t = tallyRollup;
    const expressions = dimensionExpressions(t, dims, level);
    const rows = await db
      .select({
        ...expressions,
        n: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
      })
      .from(t)
      .where(scopeFilter(t, request))
      .groupBy(...Object.values(expressions));
    for (const row of rows) entry(row).communitiesReached = num(row.n);
  }
  const workers = tallySocialWorkers;
  const workerExpressions = dimensionExpressions(workers, dims, level);
  const workerRows = await db
    .select({ ...workerExpressions, n: sql<number>`count(distinct ${workers.socialWorkerId})` })
    .from(workers)
    .where(scopeFilter(workers, request))
    .groupBy(...Object.values(workerExpressions));
  for (const row of workerRows) entry(row).activeSocialWorkers = num(row.n);

  const volunteers = tallyVolunteers;
  const volunteerExpressions = dimensionExpressions(volunteers, dims, level);
  const volunteerRows = await db
    .select({ ...volunteerExpressions, n: sql<number>`count(distinct ${volunteers.volunteerKey})` })
    .from(volunteers)
    .where(scopeFilter(volunteers, request))
    .groupBy(...Object.values(volunteerExpressions));
  for (const row of volunteerRows) entry(row).uniqueVolunteers = num(row.n);
}

/** Levels the coarse tables hold: counties and the regions above them. */
const COARSE_LEVELS = new Set<string>(["country", "province", "city", "county"]);

/**
 * Whether the coarse tables can answer: no split by service type or target group, a region of
 * county level or above, broken down (if at all) to counties or above. `periods` are the counter
 * periods for distinct counts: each month when grouped by month, the year when the period is
 * one whole calendar year; otherwise distinct counts come from the fine rollups.
 */
function coarsePlan(
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
): { periods?: string[] } | undefined {
  if (dims.includes("serviceType") || dims.includes("targetGroup")) return undefined;
  const own = request.region ? regionLevelOf(request.region) : "country";
  if (!own || !COARSE_LEVELS.has(own)) return undefined;
  if (dims.includes("region") && !COARSE_LEVELS.has(level)) return undefined;
  if (dims.includes("month")) return { periods: monthsBetween(request.from, request.to) };
  const year = request.from.slice(0, 4);
  const wholeYear = request.from === `${year}-01` && request.to === `${year}-12`;
  return { periods: wholeYear ? [year] : undefined };
}

/**
 * Sums and adjustments from tally_area (per county and month); with `totals`, the totals too, from
 * the same scan (GROUPING SETS ((dims), ())).
 */
async function additiveFromArea(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
  totals?: Partial,
): Promise<void> {
  const t = tallyArea;
  const expressions: Record<string, SQL | PgColumn> = {};
  if (dims.includes("month")) expressions.month = t.month;
  // tally_area's rows are counties: at county level the code itself (no expression to compute).
  if (dims.includes("region"))
    expressions.region = level === "county" ? t.countyCode : childCode(t.countyCode, level);
  const keys = Object.values(expressions);
  const withTotals = Boolean(totals && keys.length);
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const rows = await db
    .select({
      ...expressions,
      ...additiveSums(t),
      ...(withTotals ? { isTotal: sql<number>`grouping(${sql.join(keys, sql`, `)})` } : {}),
    })
    .from(t)
    .where(
      and(
        prefix ? like(t.countyCode, `${prefix}%`) : undefined,
        gte(t.month, monthStart(request.from)),
        lte(t.month, monthStart(request.to)),
      ),
    )
    .groupBy(...(withTotals ? [sql`grouping sets ((${sql.join(keys, sql`, `)}), ())`] : keys));
  for (const row of rows) {
    if (withTotals && totals && Number((row as { isTotal?: unknown }).isTotal) !== 0)
      addSums(totals, row);
    else addSums(entry(row), row);
  }
}

/**
 * Distinct volunteers, social workers and communities from the counters (tally_distinct_now: the
 * folded counts plus the changes since); with `totals`, the region's own counts for its periods
 * in the same statement.
 */
async function distinctFromCounters(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  periods: string[],
  entry: Entry,
  totals?: { periods: string[]; measures: Partial },
): Promise<void> {
  const t = tallyDistinctNow;
  const byRegion = dims.includes("region");
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const ownLevel = request.region ? (regionLevelOf(request.region) ?? "") : "country";
  const ownCode = request.region ?? "000000";
  const own = and(eq(t.scopeLevel, ownLevel), eq(t.scopeCode, ownCode));
  const scope = byRegion
    ? and(eq(t.scopeLevel, level), prefix ? like(t.scopeCode, `${prefix}%`) : undefined)
    : own;
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
      totals
        ? or(and(scope, inArray(t.period, periods)), and(own, inArray(t.period, totals.periods)))
        : and(scope, inArray(t.period, periods)),
    );
  const set = (m: Partial, kind: string, n: unknown) => {
    if (kind === "volunteer") m.uniqueVolunteers = num(n);
    else if (kind === "social_worker") m.activeSocialWorkers = num(n);
    else if (kind === "community") m.communitiesReached = num(n);
  };
  for (const row of rows) {
    const isOwn = row.scopeLevel === ownLevel && row.scopeCode === ownCode;
    if (totals && isOwn && totals.periods.includes(row.period))
      set(totals.measures, row.kind, row.n);
    const inScope = byRegion ? row.scopeLevel === level : isOwn;
    if (!inScope || !periods.includes(row.period)) continue;
    const values: Record<string, unknown> = {};
    if (dims.includes("month")) values.month = `${row.period}-01`;
    if (byRegion) values.region = row.scopeCode;
    set(entry(values), row.kind, row.n);
  }
}

/**
 * Folds the distinct-count changes the triggers appended into tally_distinct (the Cron job, so
 * that readers sum few of them); returns how many count rows changed.
 */
export async function foldDistinctCounts(db: Queryable): Promise<number> {
  // Every driver the app and its scripts use answers execute() with a node-postgres result.
  const result = (await db.execute(sql`select tally_fold_distinct() as n`)) as unknown as {
    rows: { n: number | string }[];
  };
  return Number(result.rows[0]?.n ?? 0);
}
