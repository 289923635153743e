import { and, desc, eq, gte, like, lt, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { communities, regions, requests, stations } from "../db/schema";
import { monthBeginsAt, nextMonth, shanghaiMonth } from "../domain/months";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import { serviceTypeLabels } from "../domain/vocabulary";
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
}

const hours = (later: SQL | unknown, earlier: SQL | unknown) =>
  sql`extract(epoch from (${later} - ${earlier})) / 3600.0`;

/** The measures of 研判, over any set of requests. */
const measures = {
  received: sql<number>`count(*)`.mapWith(Number),
  accepted: sql<number>`count(${requests.firstAnsweredAt})`.mapWith(Number),
  turnedIntoNeeds: sql<number>`count(${requests.needId})`.mapWith(Number),
  resolved: sql<number>`count(${requests.resolvedAt})`.mapWith(Number),
  resolvedWithinLimit:
    sql<number>`count(*) filter (where ${requests.resolvedAt} <= ${requests.resolveDueAt})`.mapWith(
      Number,
    ),
  medianHoursToFirstAnswer: sql<
    number | null
  >`percentile_cont(0.5) within group (order by ${hours(requests.firstAnsweredAt, requests.createdAt)})`.mapWith(
    (value) => (value === null ? null : Math.round(Number(value) * 10) / 10),
  ),
  medianHoursToResolution: sql<
    number | null
  >`percentile_cont(0.5) within group (order by ${hours(requests.resolvedAt, requests.createdAt)})`.mapWith(
    (value) => (value === null ? null : Math.round(Number(value) * 10) / 10),
  ),
  averageRating: sql<number | null>`round(avg(${requests.rating}), 2)`.mapWith((value) =>
    value === null ? null : Number(value),
  ),
  ratings: sql<number>`count(${requests.rating})`.mapWith(Number),
};

/** The level below the region a `region` split shows, as an SQL expression of the request. */
function childRegion(region: string | undefined): SQL<string> {
  const level = region ? regionLevelOf(region) : undefined;
  if (!region) return sql<string>`left(${requests.countyCode}, 2) || '0000'`;
  if (level === "province") return sql<string>`left(${requests.countyCode}, 4) || '00'`;
  if (level === "city") return sql<string>`${requests.countyCode}`;
  return sql<string>`${communities.regionCode}`;
}

function keyOf(groupBy: RequestDimension, region: string | undefined): SQL<string> {
  switch (groupBy) {
    case "month":
      return sql<string>`to_char(${requests.createdAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
    case "kind":
      return sql<string>`${requests.kind}::text`;
    case "askerKind":
      return sql<string>`${requests.askerKind}::text`;
    case "region":
      return childRegion(region);
  }
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

/**
 * 研判: requests received in a period in a region, split by month, kind, asker or the region's
 * next level: received, accepted (first answer given), turned into needs, resolved, resolved
 * within the limit, overdue now, median hours to first answer and to resolution, average rating.
 * Suggestions are listed for reading. Computed from the request rows (no rollup yet).
 */
export async function requestFigures(db: Queryable, input: FiguresRequest) {
  const period = {
    from: input.from ?? defaultPeriod(input.now).from,
    to: input.to ?? defaultPeriod(input.now).to,
  };
  const prefix = input.region ? regionPrefix(input.region) : undefined;
  const where = and(
    prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
    gte(requests.createdAt, monthBeginsAt(period.from)),
    lt(requests.createdAt, monthBeginsAt(nextMonth(period.to))),
  );
  const overdueNow =
    sql<number>`count(*) filter (where (${requests.status} = 'received' and ${requests.answerDueAt} < ${input.now.toISOString()}::timestamptz) or (${requests.status} in ('received', 'accepted') and ${requests.resolveDueAt} < ${input.now.toISOString()}::timestamptz))`.mapWith(
      Number,
    );
  const key = keyOf(input.groupBy, input.region);
  const [rows, totals, suggestions] = await Promise.all([
    db
      .select({ key, ...measures, overdue: overdueNow })
      .from(requests)
      .innerJoin(communities, eq(communities.id, requests.communityId))
      .where(where)
      .groupBy(key)
      .orderBy(key),
    db
      .select({ ...measures, overdue: overdueNow })
      .from(requests)
      .innerJoin(communities, eq(communities.id, requests.communityId))
      .where(where),
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
      .where(and(where, eq(requests.kind, "suggestion")))
      .orderBy(desc(requests.createdAt))
      .limit(50),
  ]);
  const names = new Map<string, string>();
  if (input.groupBy === "region" && rows.length > 0) {
    const found = await db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(sql`${regions.code} in ${rows.map((row) => row.key)}`);
    for (const region of found) names.set(region.code, region.name);
  }
  const total = totals[0] ?? {
    received: 0,
    accepted: 0,
    turnedIntoNeeds: 0,
    resolved: 0,
    resolvedWithinLimit: 0,
    medianHoursToFirstAnswer: null,
    medianHoursToResolution: null,
    averageRating: null,
    ratings: 0,
    overdue: 0,
  };
  return {
    region: input.region ?? null,
    period,
    groupBy: input.groupBy,
    rows: rows.map((row) => ({
      ...row,
      label: labelOf(input.groupBy, row.key, input.lang, names),
    })),
    total: { key: "total", label: input.lang === "zh" ? "合计" : "Total", ...total },
    suggestions,
  };
}
