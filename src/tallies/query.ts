import { and, asc, count, eq, gte, inArray, like, lte, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { communities, outcomes, regions, tallyCounty } from "../db/schema";
import { monthStart, monthsBetween } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import {
  type RegionLevel,
  type ServiceType,
  serviceTypes,
  type TargetGroup,
  targetGroups,
} from "../domain/vocabulary";
import { emptyMeasures, keyOf, num } from "./cells";
import { aggregateWithTotals } from "./sources";

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
  /** Null only in a row withheld by small-count suppression (suppression.ts), as is communitiesReached. */
  events: number | null;
  personTimes: number | null;
  uniqueVolunteers: number | null;
  volunteersAttended: number | null;
  volunteerHours: number | null;
  activeSocialWorkers: number | null;
  communitiesReached: number | null;
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
  // Through execute(): for all of China's counties the query builder's mapping of each row cost
  // more CPU than the query. In code-unit order, as JavaScript compares codes (coarse.ts reads the
  // same names), from the index on level, code and name.
  const result = (await db.execute(
    sql`select ${regions.code} as "code", ${regions.name} as "name" from ${regions}
         where ${and(eq(regions.level, level), prefix ? like(regions.code, `${prefix}%`) : undefined)}
         order by ${regions.code} using ~<~`,
  )) as unknown as { rows: { code: string; name: string }[] };
  return result.rows;
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
  if (domains.length === 1) return domains[0] as Record<string, unknown>[];
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

/** Recorded outcomes of a region and period that wait for sign-off, counted from the records. */
async function countAwaiting(db: Queryable, request: TallyRequest): Promise<number> {
  const [row] = await db
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
  return num(row?.n);
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
  const {
    groups: grouped,
    totals,
    awaiting,
    children: named,
  } = await aggregateWithTotals(db, request, dims, level, options);
  const awaitingSignOff = awaiting ?? (await countAwaiting(db, request));

  const domains: Record<string, unknown>[][] = [];
  let children: { code: string; name: string }[] = [];
  for (const dim of dims) {
    if (dim === "month")
      domains.push(monthsBetween(request.from, request.to).map((m) => ({ month: monthStart(m) })));
    if (dim === "serviceType") domains.push(serviceTypes.map((serviceType) => ({ serviceType })));
    if (dim === "targetGroup") domains.push(targetGroups.map((targetGroup) => ({ targetGroup })));
    if (dim === "region") {
      children = named ?? (await childRegionsOf(db, request.region, level));
      domains.push(children.map((child) => ({ region: child.code })));
    }
  }
  const cells = domains.reduce((n, domain) => n * domain.length, 1);
  const byGroup = dims.includes("targetGroup");
  const keys = new Map<string, Record<string, unknown>>();
  if (dims.length && cells <= MAX_FILLED_ROWS) {
    for (const values of product(domains)) keys.set(keyOf(values, dims), values);
  }
  const listed = keys.size;
  for (const [key, { values }] of grouped) if (!keys.has(key)) keys.set(key, values);
  // Cells outside the domains: a region not in the lists, or every cell when they are too many.
  const outside = keys.size > listed;

  const names = new Map(children.map((child) => [child.code, child.name]));
  if (dims.includes("region") && outside) {
    const unnamed = [...keys.values()]
      .map((values) => String(values.region))
      .filter((code) => !names.has(code));
    for (const [code, name] of await regionNames(db, unnamed)) names.set(code, name);
  }

  // One loop and one object shape per row: this runs ~3,000 times for a tally by county.
  const by = {
    month: dims.includes("month"),
    serviceType: dims.includes("serviceType"),
    targetGroup: dims.includes("targetGroup"),
    region: dims.includes("region"),
  };
  const rows: TallyRow[] = [];
  for (const [key, values] of keys) {
    const m = grouped.get(key)?.measures ?? emptyMeasures(byGroup);
    const row: TallyRow = {
      events: m.events,
      personTimes: m.personTimes,
      uniqueVolunteers: m.uniqueVolunteers,
      volunteersAttended: m.volunteersAttended,
      volunteerHours: m.volunteerHours,
      activeSocialWorkers: m.activeSocialWorkers,
      communitiesReached: m.communitiesReached,
      adjustments: m.adjustments,
    };
    if (by.month) row.month = String(values.month).slice(0, 7);
    if (by.serviceType) row.serviceType = values.serviceType as ServiceType;
    if (by.targetGroup) row.targetGroup = values.targetGroup as TargetGroup;
    if (by.region) {
      const code = String(values.region);
      row.region = { code, name: names.get(code) ?? code };
    }
    rows.push(row);
  }
  // Rows zero-filled from the domains come in order already (months, the vocabularies, the child
  // regions in code order); only cells outside them move.
  const inOrder =
    !outside && children.every((c, i) => i === 0 || (children[i - 1] as typeof c).code < c.code);
  const sorted = inOrder
    ? rows
    : rows
        .map((row) => ({ row, key: sortKey(row) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map(({ row }) => row);

  return {
    region: regionInfo,
    period: { from: request.from, to: request.to },
    groupBy: dims,
    level: dims.includes("region") ? level : null,
    totals,
    rows: sorted,
    awaitingSignOff,
    suppression: { applied: false, threshold: 0 },
  };
}

/**
 * A row's place: month, service type and target group in vocabulary order, region code. Months
 * and codes compare as text; indexes are padded; parts are joined by a character below them all.
 */
function sortKey(row: TallyRow): string {
  const service = row.serviceType ? serviceTypes.indexOf(row.serviceType) : 0;
  const group = row.targetGroup ? targetGroups.indexOf(row.targetGroup) : 0;
  return `${row.month ?? ""}\u0001${String(service).padStart(2, "0")}\u0001${String(group).padStart(2, "0")}\u0001${row.region?.code ?? ""}`;
}

/**
 * The latest month in which a county, city, province or the country (no code) held an event,
 * from the county rollup: what a dashboard whose period holds nothing points to. Undefined below
 * the county (the county's month need not be the community's) and when nothing was ever held.
 */
export async function latestMonthHeld(
  db: Queryable,
  region: string | undefined,
): Promise<string | undefined> {
  const level = region ? regionLevelOf(region) : "country";
  if (level !== "country" && level !== "province" && level !== "city" && level !== "county")
    return undefined;
  const prefix = region ? regionPrefix(region) : undefined;
  const [row] = await db
    .select({ month: sql<string | null>`max(${tallyCounty.period})` })
    .from(tallyCounty)
    .where(
      and(
        sql`length(${tallyCounty.period}) = 7`,
        sql`${tallyCounty.events} > 0`,
        prefix ? like(tallyCounty.countyCode, `${prefix}%`) : undefined,
      ),
    );
  return row?.month ?? undefined;
}
