import { and, asc, count, eq, gte, inArray, like, lte, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import {
  communities,
  outcomes,
  regions,
  tallyArea,
  tallyDistinct,
  tallyGroupRollup,
  tallyRollup,
  tallySocialWorkers,
  tallyVolunteers,
} from "../db/schema";
import { monthStart, monthsBetween } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import {
  type RegionLevel,
  type ServiceType,
  serviceTypes,
  type TargetGroup,
  targetGroups,
} from "../domain/vocabulary";

/** What a tally can be grouped by; any combination, in this order in every row. */
export const tallyDimensions = ["month", "serviceType", "targetGroup", "region"] as const;
export type TallyDimension = (typeof tallyDimensions)[number];

/** Levels a tally can be broken down to by `region`. */
export const childLevels = ["province", "city", "county", "street", "community"] as const;

export interface TallyRequest {
  /** Region code (any level); undefined means the whole country (admin). */
  region: string | undefined;
  /** First and last month, `YYYY-MM`, in Asia/Shanghai. */
  from: string;
  to: string;
  groupBy: TallyDimension[];
  /** The level `region` grouping breaks down to; by default the one below `region`. */
  level?: RegionLevel;
}

export interface TallyOptions {
  /** Read only the fine rollups (tests compare both ways of answering). */
  fineOnly?: boolean;
}

/** The measures of one cell. Measures that cannot be split by target group are null there. */
export interface TallyMeasures {
  events: number;
  personTimes: number | null;
  uniqueVolunteers: number | null;
  volunteersAttended: number | null;
  volunteerHours: number | null;
  activeSocialWorkers: number | null;
  communitiesReached: number;
  /** The part of each figure that comes from adjustments booked in the period. */
  adjustments: {
    personTimes: number;
    volunteersAttended: number | null;
    volunteerHours: number | null;
  };
}

export interface TallyRow extends TallyMeasures {
  month?: string;
  serviceType?: ServiceType;
  targetGroup?: TargetGroup;
  region?: { code: string; name: string };
  /** Measures withheld by small-count suppression (their value is null). */
  suppressed?: (keyof TallyMeasures)[];
}

export interface Tally {
  region: { code: string | null; name: string; level: RegionLevel | "country" };
  period: { from: string; to: string };
  groupBy: TallyDimension[];
  level: RegionLevel | null;
  totals: TallyMeasures;
  rows: TallyRow[];
  /** Recorded outcomes in the period that still wait for the lead social worker's sign-off. */
  awaitingSignOff: number;
  suppression: { applied: boolean; threshold: number };
}

const LEVEL_DEPTH: Record<RegionLevel, number> = {
  province: 0,
  city: 1,
  county: 2,
  street: 3,
  community: 4,
};

/** The level a `region` grouping breaks down to by default: the next one, skipping streets. */
export function defaultChildLevel(region: string | undefined): RegionLevel {
  const level = region ? regionLevelOf(region) : undefined;
  switch (level) {
    case undefined:
      return "province";
    case "province":
      return "city";
    case "city":
      return "county";
    default:
      return "community";
  }
}

/** True when `level` lies below (or at, for a community) the level of `region`. */
export function isBelow(region: string | undefined, level: RegionLevel): boolean {
  const own = region ? regionLevelOf(region) : undefined;
  if (!own) return true;
  return LEVEL_DEPTH[level] > LEVEL_DEPTH[own] || (own === "community" && level === "community");
}

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
function keyOf(row: Record<string, unknown>, dims: TallyDimension[]): string {
  return dims.map((dim) => String(row[dim] ?? "")).join("\u0001");
}

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

type Partial = Omit<TallyMeasures, "adjustments"> & { adjustments: TallyMeasures["adjustments"] };

function emptyMeasures(byGroup: boolean): Partial {
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
 * Sums the rollups for one set of dimensions: additive measures from tally_rollup (or
 * tally_group_rollup when split by target group), distinct social workers and volunteers from
 * their presence tables. Returns measures by dimension key, with the dimension values.
 */
async function aggregate(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  options: TallyOptions,
): Promise<Map<string, { values: Record<string, unknown>; measures: Partial }>> {
  const byGroup = dims.includes("targetGroup");
  const out = new Map<string, { values: Record<string, unknown>; measures: Partial }>();
  const entry = (values: Record<string, unknown>) => {
    const key = keyOf(values, dims);
    let found = out.get(key);
    if (!found) {
      found = { values, measures: emptyMeasures(byGroup) };
      out.set(key, found);
    }
    return found.measures;
  };

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
  const groupBy = Object.values(expressions);
  const rows = await db
    .select({
      ...expressions,
      events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
      personTimes: sql<number>`sum(${t.personTimes})`,
      volunteersAttended: sql<number>`sum(${t.volunteersAttended})`,
      volunteerHours: sql<number>`sum(${t.volunteerHours})`,
      adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
      adjustedVolunteers: sql<number>`sum(${t.volunteersAttended}) filter (where ${t.adjustment})`,
      adjustedHours: sql<number>`sum(${t.volunteerHours}) filter (where ${t.adjustment})`,
      communities: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
    })
    .from(t)
    .where(scopeFilter(t, request))
    .groupBy(...groupBy);
  for (const row of rows) {
    const m = entry(row);
    m.events = num(row.events);
    m.personTimes = num(row.personTimes);
    m.volunteersAttended = num(row.volunteersAttended);
    m.volunteerHours = num(row.volunteerHours);
    m.communitiesReached = num(row.communities);
    m.adjustments = {
      personTimes: num(row.adjustedPersonTimes),
      volunteersAttended: num(row.adjustedVolunteers),
      volunteerHours: num(row.adjustedHours),
    };
  }
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

/** Sums and adjustments from tally_area (per county and month). */
async function additiveFromArea(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
): Promise<void> {
  const t = tallyArea;
  const expressions: Record<string, SQL | PgColumn> = {};
  if (dims.includes("month")) expressions.month = t.month;
  if (dims.includes("region")) expressions.region = childCode(t.countyCode, level);
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const rows = await db
    .select({
      ...expressions,
      events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
      personTimes: sql<number>`sum(${t.personTimes})`,
      volunteersAttended: sql<number>`sum(${t.volunteersAttended})`,
      volunteerHours: sql<number>`sum(${t.volunteerHours})`,
      adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
      adjustedVolunteers: sql<number>`sum(${t.volunteersAttended}) filter (where ${t.adjustment})`,
      adjustedHours: sql<number>`sum(${t.volunteerHours}) filter (where ${t.adjustment})`,
    })
    .from(t)
    .where(
      and(
        prefix ? like(t.countyCode, `${prefix}%`) : undefined,
        gte(t.month, monthStart(request.from)),
        lte(t.month, monthStart(request.to)),
      ),
    )
    .groupBy(...Object.values(expressions));
  for (const row of rows) {
    const m = entry(row);
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
}

/** Distinct volunteers, social workers and communities from the counters (tally_distinct). */
async function distinctFromCounters(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  periods: string[],
  entry: Entry,
): Promise<void> {
  const t = tallyDistinct;
  const byRegion = dims.includes("region");
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const scope = byRegion
    ? and(eq(t.scopeLevel, level), prefix ? like(t.scopeCode, `${prefix}%`) : undefined)
    : and(
        eq(t.scopeLevel, request.region ? (regionLevelOf(request.region) ?? "") : "country"),
        eq(t.scopeCode, request.region ?? "000000"),
      );
  const rows = await db
    .select({ kind: t.kind, scopeCode: t.scopeCode, period: t.period, n: t.n })
    .from(t)
    .where(and(scope, inArray(t.period, periods)));
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    if (dims.includes("month")) values.month = `${row.period}-01`;
    if (byRegion) values.region = row.scopeCode;
    const m = entry(values);
    if (row.kind === "volunteer") m.uniqueVolunteers = num(row.n);
    else if (row.kind === "social_worker") m.activeSocialWorkers = num(row.n);
    else if (row.kind === "community") m.communitiesReached = num(row.n);
  }
}

/** Above this many cells, groups without any figures are left out rather than listed as zeros. */
const MAX_FILLED_ROWS = 20_000;

/** The child regions a `region` grouping lists, with names, in code order. */
export async function childRegionsOf(
  db: Queryable,
  region: string | undefined,
  level: RegionLevel,
): Promise<{ code: string; name: string }[]> {
  const prefix = region ? regionPrefix(region) : undefined;
  if (level === "community") {
    // The communities that take part (the directory), not every village in the region tree.
    return db
      .select({ code: communities.regionCode, name: communities.name })
      .from(communities)
      .where(prefix ? like(communities.regionCode, `${prefix}%`) : undefined)
      .orderBy(asc(communities.regionCode));
  }
  return db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.level, level), prefix ? like(regions.code, `${prefix}%`) : undefined))
    .orderBy(asc(regions.code));
}

/** Names for region codes that are not in the lists (e.g. a community left the directory). */
async function regionNames(db: Queryable, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, codes));
  return new Map(rows.map((r) => [r.code, r.name]));
}

function product(domains: Record<string, unknown>[][]): Record<string, unknown>[] {
  return domains.reduce<Record<string, unknown>[]>(
    (acc, domain) => acc.flatMap((partial) => domain.map((value) => ({ ...partial, ...value }))),
    [{}],
  );
}

/** The region the tally is for, with its name (the whole country when none). */
export async function describeRegion(
  db: Queryable,
  region: string | undefined,
): Promise<Tally["region"] | undefined> {
  if (!region) return { code: null, name: "全国", level: "country" };
  const level = regionLevelOf(region);
  if (!level) return undefined;
  if (level === "community") {
    const [row] = await db
      .select({ name: communities.name })
      .from(communities)
      .where(eq(communities.regionCode, region));
    if (row) return { code: region, name: row.name, level };
  }
  const [row] = await db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, region));
  return row ? { code: region, name: row.name, level } : undefined;
}

/**
 * Tallies the signed-off outcomes of a region and period from the rollups, grouped as asked.
 * Rows cover every combination of the dimensions' values (zeros included) unless that would be
 * more than MAX_FILLED_ROWS cells. Suppression is applied by the caller (suppression.ts).
 */
export async function tally(
  db: Queryable,
  request: TallyRequest,
  regionInfo: Tally["region"],
  options: TallyOptions = {},
): Promise<Tally> {
  const dims = tallyDimensions.filter((dim) => request.groupBy.includes(dim));
  const level = request.level ?? defaultChildLevel(request.region);
  // One after another: a request has one database connection.
  const grouped = dims.length ? await aggregate(db, request, dims, level, options) : new Map();
  const totals = await aggregate(db, request, [], level, options);
  const pending = await db
    .select({ n: count() })
    .from(outcomes)
    .where(
      and(
        eq(outcomes.status, "recorded"),
        request.region ? like(outcomes.regionCode, `${regionPrefix(request.region)}%`) : undefined,
        gte(outcomes.month, monthStart(request.from)),
        lte(outcomes.month, monthStart(request.to)),
      ),
    );

  const domains: Record<string, unknown>[][] = [];
  let children: { code: string; name: string }[] = [];
  for (const dim of dims) {
    if (dim === "month")
      domains.push(monthsBetween(request.from, request.to).map((m) => ({ month: monthStart(m) })));
    if (dim === "serviceType") domains.push(serviceTypes.map((serviceType) => ({ serviceType })));
    if (dim === "targetGroup") domains.push(targetGroups.map((targetGroup) => ({ targetGroup })));
    if (dim === "region") {
      children = await childRegionsOf(db, request.region, level);
      domains.push(children.map((child) => ({ region: child.code })));
    }
  }
  const cells = domains.reduce((n, domain) => n * domain.length, 1);
  const byGroup = dims.includes("targetGroup");
  const keys = new Map<string, Record<string, unknown>>();
  if (dims.length && cells <= MAX_FILLED_ROWS) {
    for (const values of product(domains)) keys.set(keyOf(values, dims), values);
  }
  for (const [key, { values }] of grouped) if (!keys.has(key)) keys.set(key, values);

  const names = new Map(children.map((child) => [child.code, child.name]));
  if (dims.includes("region")) {
    const unnamed = [...keys.values()]
      .map((values) => String(values.region))
      .filter((code) => !names.has(code));
    for (const [code, name] of await regionNames(db, unnamed)) names.set(code, name);
  }

  const rows: TallyRow[] = [...keys.entries()].map(([key, values]) => {
    const measures = grouped.get(key)?.measures ?? emptyMeasures(byGroup);
    const row: TallyRow = { ...measures };
    if (dims.includes("month")) row.month = String(values.month).slice(0, 7);
    if (dims.includes("serviceType")) row.serviceType = values.serviceType as ServiceType;
    if (dims.includes("targetGroup")) row.targetGroup = values.targetGroup as TargetGroup;
    if (dims.includes("region")) {
      const code = String(values.region);
      row.region = { code, name: names.get(code) ?? code };
    }
    return row;
  });
  const order = (row: TallyRow) => [
    row.month ?? "",
    row.serviceType ? serviceTypes.indexOf(row.serviceType) : 0,
    row.targetGroup ? targetGroups.indexOf(row.targetGroup) : 0,
    row.region?.code ?? "",
  ];
  rows.sort((a, b) => {
    const x = order(a);
    const y = order(b);
    for (let i = 0; i < x.length; i++) {
      const p = x[i] as string | number;
      const q = y[i] as string | number;
      if (p < q) return -1;
      if (p > q) return 1;
    }
    return 0;
  });

  return {
    region: regionInfo,
    period: { from: request.from, to: request.to },
    groupBy: dims,
    level: dims.includes("region") ? level : null,
    totals: totals.get("")?.measures ?? emptyMeasures(false),
    rows,
    awaitingSignOff: num(pending[0]?.n),
    suppression: { applied: false, threshold: 0 },
  };
}
