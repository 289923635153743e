import {
  and,
  asc,
  count,
  countDistinct,
  eq,
  gte,
  isNull,
  like,
  lt,
  lte,
  ne,
  or,
  sql,
} from "drizzle-orm";
import type { Queryable } from "../db/client";
import {
  communities,
  events,
  outcomes,
  regions,
  socialWorkers,
  volunteerTeams,
} from "../db/schema";
import { monthBeginsAt, monthStart, nextMonth } from "../domain/months";
import { regionPrefix } from "../domain/regions";

/** What is missing in a county: the "resources pushed down to every county" question. */
export const coverageGaps = [
  "no_event",
  "no_active_social_worker",
  "no_volunteer_team",
  "pilot_community_without_event",
] as const;
export type CoverageGap = (typeof coverageGaps)[number];

export const coverageGapLabels: Record<CoverageGap, { zh: string; en: string }> = {
  no_event: { zh: "无已开展的服务活动", en: "No event held" },
  no_active_social_worker: { zh: "无带队社工", en: "No active social worker" },
  no_volunteer_team: { zh: "无志愿服务队", en: "No volunteer team" },
  pilot_community_without_event: {
    zh: "试点社区无已开展的活动",
    en: "Pilot community without an event held",
  },
};

export interface CountyCoverage {
  code: string;
  name: string;
  /** Events held: signed-off outcomes of the period, exactly as the tallies count them. */
  events: number;
  /** Not (yet) held: non-cancelled events of the period without a signed-off outcome. */
  eventsNotYetHeld: number;
  /** Social workers who led an event held (the tallies' active social workers). */
  activeSocialWorkers: number;
  /** Active social workers in the directory whose home county this is. */
  socialWorkersBased: number;
  volunteerTeams: number;
  pilotCommunities: {
    id: string;
    code: string;
    name: string;
    events: number;
    eventsNotYetHeld: number;
  }[];
  gaps: CoverageGap[];
}

export interface Coverage {
  period: { from: string; to: string };
  counties: CountyCoverage[];
  summary: { counties: number } & Record<CoverageGap, number>;
}

/**
 * For every county in the region: events held, active social workers, volunteer teams and each
 * pilot community's events held in the period, and which of them are missing. "Held" is the one
 * definition every figure uses: a signed-off outcome whose event started in the period (as in the
 * tallies and the pilot summary). Events scheduled but not held (or not yet signed off) are
 * counted apart, under their own name, and fill no gap.
 */
export async function coverage(
  db: Queryable,
  region: string | undefined,
  period: { from: string; to: string },
): Promise<Coverage> {
  const prefix = region ? regionPrefix(region) : undefined;
  const start = monthBeginsAt(period.from);
  const end = monthBeginsAt(nextMonth(period.to));
  const inRegion = (column: Parameters<typeof like>[0]) =>
    prefix ? like(column, `${prefix}%`) : undefined;
  const held = and(
    eq(outcomes.status, "signed_off"),
    gte(outcomes.month, monthStart(period.from)),
    lte(outcomes.month, monthStart(period.to)),
  );
  // Scheduled in the period, not cancelled, and without a signed-off outcome (yet).
  const notYetHeld = and(
    ne(events.status, "cancelled"),
    gte(events.startsAt, start),
    lt(events.startsAt, end),
    or(isNull(outcomes.eventId), ne(outcomes.status, "signed_off")),
  );

  const counties = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.level, "county"), inRegion(regions.code)))
    .orderBy(asc(regions.code));
  const activity = await db
    .select({
      county: communities.countyCode,
      events: countDistinct(outcomes.eventId),
      workers: countDistinct(outcomes.leadSocialWorkerId),
    })
    .from(outcomes)
    .innerJoin(communities, eq(communities.id, outcomes.communityId))
    .where(and(held, inRegion(outcomes.regionCode)))
    .groupBy(communities.countyCode);
  const pending = await db
    .select({ county: communities.countyCode, events: countDistinct(events.id) })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .leftJoin(outcomes, eq(outcomes.eventId, events.id))
    .where(and(notYetHeld, inRegion(communities.regionCode)))
    .groupBy(communities.countyCode);
  const based = await db
    .select({ county: socialWorkers.homeCountyCode, n: countDistinct(socialWorkers.id) })
    .from(socialWorkers)
    .where(and(eq(socialWorkers.active, true), inRegion(socialWorkers.homeCountyCode)))
    .groupBy(socialWorkers.homeCountyCode);
  const teams = await db
    .select({ county: volunteerTeams.countyCode, n: countDistinct(volunteerTeams.id) })
    .from(volunteerTeams)
    .where(and(eq(volunteerTeams.active, true), inRegion(volunteerTeams.countyCode)))
    .groupBy(volunteerTeams.countyCode);
  // Joined, not a correlated subquery: drizzle leaves columns of a one-table select unqualified,
  // so inside a subquery they would bind to the inner table.
  const pilotHeld = db
    .select({ communityId: outcomes.communityId, n: count().as("held_n") })
    .from(outcomes)
    .where(held)
    .groupBy(outcomes.communityId)
    .as("pilot_held");
  const pilotPending = db
    .select({ communityId: events.communityId, n: count().as("pending_n") })
    .from(events)
    .leftJoin(outcomes, eq(outcomes.eventId, events.id))
    .where(notYetHeld)
    .groupBy(events.communityId)
    .as("pilot_pending");
  const pilots = await db
    .select({
      id: communities.id,
      code: communities.regionCode,
      name: communities.name,
      county: communities.countyCode,
      events: sql<number>`coalesce(${pilotHeld.n}, 0)`.mapWith(Number),
      eventsNotYetHeld: sql<number>`coalesce(${pilotPending.n}, 0)`.mapWith(Number),
    })
    .from(communities)
    .leftJoin(pilotHeld, eq(pilotHeld.communityId, communities.id))
    .leftJoin(pilotPending, eq(pilotPending.communityId, communities.id))
    .where(
      and(
        eq(communities.isPilot, true),
        eq(communities.active, true),
        inRegion(communities.regionCode),
      ),
    )
    .orderBy(asc(communities.regionCode));

  const byCounty = <T extends { county: string }>(rows: T[]) =>
    new Map(rows.map((row) => [row.county, row]));
  const activityOf = byCounty(activity);
  const pendingOf = byCounty(pending);
  const basedOf = byCounty(based);
  const teamsOf = byCounty(teams);
  const result: CountyCoverage[] = counties.map((county) => {
    const a = activityOf.get(county.code);
    const pilotCommunities = pilots
      .filter((p) => p.county === county.code)
      .map(({ id, code, name, events, eventsNotYetHeld }) => ({
        id,
        code,
        name,
        events,
        eventsNotYetHeld,
      }));
    const row: CountyCoverage = {
      code: county.code,
      name: county.name,
      events: Number(a?.events ?? 0),
      eventsNotYetHeld: Number(pendingOf.get(county.code)?.events ?? 0),
      activeSocialWorkers: Number(a?.workers ?? 0),
      socialWorkersBased: Number(basedOf.get(county.code)?.n ?? 0),
      volunteerTeams: Number(teamsOf.get(county.code)?.n ?? 0),
      pilotCommunities,
      gaps: [],
    };
    if (row.events === 0) row.gaps.push("no_event");
    if (row.activeSocialWorkers === 0) row.gaps.push("no_active_social_worker");
    if (row.volunteerTeams === 0) row.gaps.push("no_volunteer_team");
    if (pilotCommunities.some((p) => p.events === 0))
      row.gaps.push("pilot_community_without_event");
    return row;
  });
  const summary = {
    counties: result.length,
    no_event: 0,
    no_active_social_worker: 0,
    no_volunteer_team: 0,
    pilot_community_without_event: 0,
  };
  for (const row of result) for (const gap of row.gaps) summary[gap]++;
  return { period, counties: result, summary };
}
