import {
  type AnyColumn,
  and,
  desc,
  eq,
  gte,
  inArray,
  like,
  lt,
  lte,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Queryable } from "../db/client";
import {
  communities,
  regions,
  requestDurationRollup,
  requestRollup,
  requests,
  stations,
} from "../db/schema";
import { monthBeginsAt, monthStart, nextMonth, shanghaiMonth } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import { serviceTypeLabels } from "../domain/vocabulary";
import { suppressionCounty } from "../tallies/suppression";
import { askerKindLabels, suggestionLabel } from "./vocabulary";

export type RequestDimension = "month" | "kind" | "askerKind" | "region";

export interface FiguresRequest {
  /** The region the figures cover (already checked against the caller's scope); none = all. */
  region: string | undefined;
  from?: string;
  to?: string;
  groupBy: RequestDimension;
  lang: "zh" | "en";
  now: Date;
  /** Who asks: small counts may withhold the split by asker ({@link askerSplitWithheld}). */
  principal: Principal;
}

/**
 * Small counts (the README, "Small counts"): a department of a county, or of a street or community
 * in it, sees requests split by asker only for its whole county (and above), never for a street
 * or a community. A community receives a handful of requests a month, so the split would single
 * out the family of an older person or a child, or one rider, who asked; and unlike the tallies'
 * person-times no cell rule helps there: even which askers appear at all tells who asked. The
 * county's split is the figure it reports upward, as the tallies' county split by target group
 * is. Admins, city and province departments and a coordinator (its own community) see it.
 */
export function askerSplitWithheld(
  principal: Principal,
  region: string | undefined,
  groupBy: RequestDimension,
): boolean {
  if (groupBy !== "askerKind" || !suppressionCounty(principal)) return false;
  const level = region ? regionLevelOf(region) : undefined;
  return level === "street" || level === "community";
}

/** Where a figure's grouping key comes from: the rollups, or a request row (overdue now). */
interface KeySource {
  month: SQL<string>;
  kind: SQL<string>;
  askerKind: SQL<string>;
  countyCode: SQL<string>;
  regionCode: SQL<string>;
}

const fromRollup: KeySource = {
  month: sql<string>`to_char(${requestRollup.month}, 'YYYY-MM')`,
  kind: sql<string>`${requestRollup.kind}::text`,
  askerKind: sql<string>`${requestRollup.askerKind}::text`,
  countyCode: sql<string>`${requestRollup.countyCode}`,
  regionCode: sql<string>`${requestRollup.regionCode}`,
};

const fromDurations: KeySource = {
  month: sql<string>`to_char(${requestDurationRollup.month}, 'YYYY-MM')`,
  kind: sql<string>`${requestDurationRollup.kind}::text`,
  askerKind: sql<string>`${requestDurationRollup.askerKind}::text`,
  countyCode: sql<string>`${requestDurationRollup.countyCode}`,
  regionCode: sql<string>`${requestDurationRollup.regionCode}`,
};

const fromRecords: KeySource = {
  month: sql<string>`to_char(${requests.createdAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`,
  kind: sql<string>`${requests.kind}::text`,
  askerKind: sql<string>`${requests.askerKind}::text`,
  countyCode: sql<string>`${requests.countyCode}`,
  regionCode: sql<string>`${communities.regionCode}`,
};

/** The grouping key: a month, kind, asker, or the region's next level down. */
function keyOf(
  groupBy: RequestDimension,
  region: string | undefined,
  from: KeySource,
): SQL<string> {
  if (groupBy !== "region") return from[groupBy];
  const level = region ? regionLevelOf(region) : undefined;
  if (!region) return sql<string>`left(${from.countyCode}, 2) || '0000'`;
  if (level === "province") return sql<string>`left(${from.countyCode}, 4) || '00'`;
  if (level === "city") return from.countyCode;
  return from.regionCode;
}

function labelOf(
  groupBy: RequestDimension,
  key: string,
  lang: "zh" | "en",
  names: Map<string, string>,
) {
  if (groupBy === "kind")
    return key === "suggestion"
      ? suggestionLabel[lang]
      : (serviceTypeLabels[key as keyof typeof serviceTypeLabels]?.[lang] ?? key);
  if (groupBy === "askerKind")
    return askerKindLabels[key as keyof typeof askerKindLabels]?.[lang] ?? key;
  if (groupBy === "region") return names.get(key) ?? key;
  return key;
}

/** The default period: the twelve months up to and including the current one. */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const to = shanghaiMonth(now);
  let from = to;
  for (let i = 0; i < 11; i++) {
    const [year, month] = from.split("-").map(Number) as [number, number];
    from = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
  }
  return { from, to };
}

/** The counts of 研判 over some cells, before the medians are read off their durations. */
interface Counts {
  received: number;
  accepted: number;
  turnedIntoNeeds: number;
  resolved: number;
  resolvedWithinLimit: number;
  ratings: number;
  ratingSum: number;
  overdue: number;
}

const noCounts = (): Counts => ({
  received: 0,
  accepted: 0,
  turnedIntoNeeds: 0,
  resolved: 0,
  resolvedWithinLimit: 0,
  ratings: 0,
  ratingSum: 0,
  overdue: 0,
});

type Measure = "first_answer" | "resolution";
/** Tenths of an hour → how many requests took that long, ascending. */
type Durations = Map<number, number>;

/**
 * The median (PostgreSQL's `percentile_cont(0.5)`: halfway between the two middle values of an
 * even count) of durations given as counts per tenth of an hour, in hours to one decimal.
 */
export function medianHours(durations: Durations | undefined): number | null {
  if (!durations) return null;
  const values = [...durations.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const count = values.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const [tenths, n] of values) {
      seen += n;
      if (index < seen) return tenths;
    }
    return values[values.length - 1]?.[0] ?? 0;
  };
  const middle = (count - 1) / 2;
  const tenths = (at(Math.floor(middle)) + at(Math.ceil(middle))) / 2;
  return Math.round(tenths) / 10;
}

/**
 * The average of `ratings` ratings adding up to `sum`, to two decimals, rounded from the exact
 * quotient as PostgreSQL's `round(avg(rating), 2)` is (133 / 40 = 3.325 gives 3.33, where
 * 3.325 as a float would give 3.32); none without a rating.
 */
export function averageRating(sum: number, ratings: number): number | null {
  return ratings > 0 ? Math.round((sum * 100) / ratings) / 100 : null;
}

/** Adds `n` requests of `tenths` to the durations of one measure in `spread`. */
function addDurations(
  spread: Partial<Record<Measure, Durations>>,
  measure: Measure,
  tenths: number,
  n: number,
) {
  const into = spread[measure] ?? new Map<number, number>();
  spread[measure] = into;
  into.set(tenths, (into.get(tenths) ?? 0) + n);
}

function measuresOf(counts: Counts, durations: Partial<Record<Measure, Durations>>) {
  const { ratingSum, ...rest } = counts;
  return {
    ...rest,
    medianHoursToFirstAnswer: medianHours(durations.first_answer),
    medianHoursToResolution: medianHours(durations.resolution),
    averageRating: averageRating(ratingSum, counts.ratings),
  };
}

/**
 * 研判: requests received in a period in a region, split by month, kind, asker or the region's
 * next level: received, accepted (first answer given), turned into needs, resolved, resolved
 * within the limit, overdue now, median hours to first answer and to resolution, average rating.
 * Every figure but "overdue now" comes from the rollups (migration 0033), which the tests check
 * against the records; overdue is the live state of the open requests, counted from them.
 * Suggestions are listed for reading.
 */
export async function requestFigures(db: Queryable, input: FiguresRequest) {
  const period = {
    from: input.from ?? defaultPeriod(input.now).from,
    to: input.to ?? defaultPeriod(input.now).to,
  };
  const prefix = input.region ? regionPrefix(input.region) : undefined;
  const [from, to] = [monthStart(period.from), monthStart(period.to)];
  const withheld = askerSplitWithheld(input.principal, input.region, input.groupBy);
  const now = input.now.toISOString();
  const rollupKey = keyOf(input.groupBy, input.region, fromRollup);
  const durationKey = keyOf(input.groupBy, input.region, fromDurations);
  const recordKey = keyOf(input.groupBy, input.region, fromRecords);
  const sum = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
  const [counted, durations, overdue, suggestions] = await Promise.all([
    db
      .select({
        key: rollupKey,
        received: sum(requestRollup.received),
        accepted: sum(requestRollup.accepted),
        turnedIntoNeeds: sum(requestRollup.turnedIntoNeeds),
        resolved: sum(requestRollup.resolved),
        resolvedWithinLimit: sum(requestRollup.resolvedWithinLimit),
        ratings: sum(requestRollup.ratings),
        ratingSum: sum(requestRollup.ratingSum),
      })
      .from(requestRollup)
      .where(
        and(
          prefix ? like(requestRollup.regionCode, `${prefix}%`) : undefined,
          gte(requestRollup.month, from),
          lte(requestRollup.month, to),
        ),
      )
      .groupBy(rollupKey),
    db
      .select({
        key: durationKey,
        measure: requestDurationRollup.measure,
        tenths: requestDurationRollup.tenths,
        requests: sum(requestDurationRollup.requests),
      })
      .from(requestDurationRollup)
      .where(
        and(
          prefix ? like(requestDurationRollup.regionCode, `${prefix}%`) : undefined,
          gte(requestDurationRollup.month, from),
          lte(requestDurationRollup.month, to),
        ),
      )
      .groupBy(durationKey, requestDurationRollup.measure, requestDurationRollup.tenths),
    // Overdue is now, not a count that rolls up: the open requests that passed a limit.
    db
      .select({ key: recordKey, overdue: sql<number>`count(*)`.mapWith(Number) })
      .from(requests)
      .innerJoin(communities, eq(communities.id, requests.communityId))
      .where(
        and(
          prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
          gte(requests.createdAt, monthBeginsAt(period.from)),
          lt(requests.createdAt, monthBeginsAt(nextMonth(period.to))),
          sql`((${requests.status} = 'received' and ${requests.answerDueAt} < ${now}::timestamptz) or (${requests.status} in ('received', 'accepted') and ${requests.resolveDueAt} < ${now}::timestamptz))`,
        ),
      )
      .groupBy(recordKey),
    db
      .select({
        trackingCode: requests.trackingCode,
        communityName: communities.name,
        stationName: stations.name,
        description: requests.description,
        createdAt: requests.createdAt,
      })
      .from(requests)
      .innerJoin(communities, eq(communities.id, requests.communityId))
      .leftJoin(stations, eq(stations.id, requests.stationId))
      .where(
        and(
          prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
          gte(requests.createdAt, monthBeginsAt(period.from)),
          lt(requests.createdAt, monthBeginsAt(nextMonth(period.to))),
          eq(requests.kind, "suggestion"),
        ),
      )
      .orderBy(desc(requests.createdAt))
      .limit(50),
  ]);
  const counts = new Map<string, Counts>();
  const countsOf = (key: string) => {
    const found = counts.get(key) ?? noCounts();
    counts.set(key, found);
    return found;
  };
  const total = noCounts();
  for (const { key, ...row } of counted) {
    const into = countsOf(key);
    for (const name of Object.keys(row) as (keyof typeof row)[]) {
      into[name] += row[name];
      total[name] += row[name];
    }
  }
  for (const row of overdue) {
    countsOf(row.key).overdue += row.overdue;
    total.overdue += row.overdue;
  }
  const spread = new Map<string, Partial<Record<Measure, Durations>>>();
  const totalSpread: Partial<Record<Measure, Durations>> = {};
  for (const row of durations) {
    const measure = row.measure as Measure;
    const ofKey = spread.get(row.key) ?? {};
    spread.set(row.key, ofKey);
    addDurations(ofKey, measure, row.tenths, row.requests);
    addDurations(totalSpread, measure, row.tenths, row.requests);
  }
  const keys = withheld ? [] : [...counts.keys()].sort();
  const names = new Map<string, string>();
  if (input.groupBy === "region" && keys.length > 0) {
    const found = await db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(inArray(regions.code, keys));
    for (const region of found) names.set(region.code, region.name);
  }
  return {
    region: input.region ?? null,
    period,
    groupBy: input.groupBy,
    suppression: { applied: withheld },
    rows: keys.map((key) => ({
      key,
      label: labelOf(input.groupBy, key, input.lang, names),
      ...measuresOf(counts.get(key) ?? noCounts(), spread.get(key) ?? {}),
    })),
    total: {
      key: "total",
      label: input.lang === "zh" ? "合计" : "Total",
      ...measuresOf(total, totalSpread),
    },
    suggestions,
  };
}
