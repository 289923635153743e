import { and, count, eq, gt, inArray, lt, ne } from "drizzle-orm";
import type { Queryable } from "../db/client";
import type { TimeWindow } from "../db/schema";
import { events, eventTeams, socialWorkers, volunteerTeams } from "../db/schema";
import type { CertificateLevel, ServiceType } from "../domain/vocabulary";
import type { Interval, NeedFacts, TeamFacts, WorkerFacts } from "./types";

const WEEK_MS = 7 * 86_400_000;

/** A need as the matcher sees it. */
export function toNeedFacts(need: {
  id: string;
  communityId: string;
  communityCode: string;
  serviceType: ServiceType;
  requiredSkills: ServiceType[];
  minCertificateLevel: CertificateLevel;
  windows: TimeWindow[];
  durationMinutes: number;
  volunteersNeeded: number;
}): NeedFacts {
  return {
    ...need,
    windows: need.windows.map((w) => ({ start: new Date(w.start), end: new Date(w.end) })),
  };
}

function groupIntervals<K extends string>(
  rows: { key: K; start: Date; end: Date }[],
): Map<K, Interval[]> {
  const byKey = new Map<K, Interval[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ start: row.start, end: row.end });
    byKey.set(row.key, list);
  }
  return byKey;
}

function groupCounts(
  rows: { key: string; communityId: string; n: number }[],
): Map<string, Record<string, number>> {
  const byKey = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = byKey.get(row.key) ?? {};
    counts[row.communityId] = row.n;
    byKey.set(row.key, counts);
  }
  return byKey;
}

/**
 * The social workers who declined an event of each need (its lead said no): by need id, for
 * {@link NeedFacts.declinedBy}. One query, whatever the number of needs.
 */
export async function declinedWorkers(
  db: Queryable,
  needIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byNeed = new Map<string, string[]>();
  if (needIds.length === 0) return byNeed;
  const rows = await db
    .selectDistinct({ needId: events.needId, workerId: events.leadSocialWorkerId })
    .from(events)
    .where(and(inArray(events.needId, [...needIds]), eq(events.leadResponse, "declined")));
  for (const row of rows) {
    if (!row.needId) continue;
    byNeed.set(row.needId, [...(byNeed.get(row.needId) ?? []), row.workerId]);
  }
  return byNeed;
}

/**
 * Loads the social workers and volunteer teams (every one, or only those named in `only`) with
 * what the matcher needs to know about them: their non-cancelled events around `period` (a week
 * either side, for weekly load) and how often each has served each community before. Six queries,
 * whatever the number of needs.
 */
export async function loadResources(
  db: Queryable,
  period: Interval,
  only: { workerIds?: string[]; teamIds?: string[] } = {},
): Promise<{ workers: WorkerFacts[]; teams: TeamFacts[] }> {
  const from = new Date(period.start.getTime() - WEEK_MS);
  const to = new Date(period.end.getTime() + WEEK_MS);
  const live = and(
    ne(events.status, "cancelled"),
    lt(events.startsAt, to),
    gt(events.endsAt, from),
  );
  const leads = only.workerIds ? inArray(events.leadSocialWorkerId, only.workerIds) : undefined;
  const teamsOf = only.teamIds ? inArray(eventTeams.teamId, only.teamIds) : undefined;
  const [workerRows, teamRows, workerBusy, teamBusy, workerPast, teamPast] = await Promise.all([
    db
      .select()
      .from(socialWorkers)
      .where(only.workerIds ? inArray(socialWorkers.id, only.workerIds) : undefined),
    db
      .select()
      .from(volunteerTeams)
      .where(only.teamIds ? inArray(volunteerTeams.id, only.teamIds) : undefined),
    db
      .select({ key: events.leadSocialWorkerId, start: events.startsAt, end: events.endsAt })
      .from(events)
      .where(and(live, leads)),
    db
      .select({ key: eventTeams.teamId, start: events.startsAt, end: events.endsAt })
      .from(eventTeams)
      .innerJoin(events, eq(events.id, eventTeams.eventId))
      .where(and(live, teamsOf)),
    db
      .select({ key: events.leadSocialWorkerId, communityId: events.communityId, n: count() })
      .from(events)
      .where(and(eq(events.status, "completed"), leads))
      .groupBy(events.leadSocialWorkerId, events.communityId),
    db
      .select({ key: eventTeams.teamId, communityId: events.communityId, n: count() })
      .from(eventTeams)
      .innerJoin(events, eq(events.id, eventTeams.eventId))
      .where(and(eq(events.status, "completed"), teamsOf))
      .groupBy(eventTeams.teamId, events.communityId),
  ]);
  const busyByWorker = groupIntervals(workerBusy);
  const busyByTeam = groupIntervals(teamBusy);
  const pastByWorker = groupCounts(workerPast);
  const pastByTeam = groupCounts(teamPast);
  return {
    workers: workerRows.map((w) => ({
      id: w.id,
      name: w.name,
      homeCountyCode: w.homeCountyCode,
      certificateLevel: w.certificateLevel,
      skills: w.skills,
      weeklyCapacity: w.weeklyCapacity,
      active: w.active,
      busy: busyByWorker.get(w.id) ?? [],
      pastEventsByCommunity: pastByWorker.get(w.id) ?? {},
    })),
    teams: teamRows.map((t) => ({
      id: t.id,
      name: t.name,
      countyCode: t.countyCode,
      skills: t.skills,
      size: t.size,
      active: t.active,
      busy: busyByTeam.get(t.id) ?? [],
      pastEventsByCommunity: pastByTeam.get(t.id) ?? {},
    })),
  };
}
