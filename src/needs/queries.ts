import { and, asc, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../auth/principal";
import { communityScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communities, events, needs, socialWorkers } from "../db/schema";
import type { NeedStatus } from "../domain/vocabulary";
import { eventColumns } from "../events/queries";
import { equalsIfGiven, regionFilter } from "../lib/filters";
import type { ListNeedsQuery } from "./schemas";

/** What the API shows of a need, with its community's name and code. */
export const needColumns = {
  id: needs.id,
  communityId: needs.communityId,
  communityName: communities.name,
  communityCode: communities.regionCode,
  serviceType: needs.serviceType,
  targetGroups: needs.targetGroups,
  expectedPeople: needs.expectedPeople,
  windows: needs.windows,
  durationMinutes: needs.durationMinutes,
  volunteersNeeded: needs.volunteersNeeded,
  requiredSkills: needs.requiredSkills,
  minCertificateLevel: needs.minCertificateLevel,
  notes: needs.notes,
  status: needs.status,
  createdAt: needs.createdAt,
  updatedAt: needs.updatedAt,
};

export const needScope = (scope: Scope) =>
  communityScope(scope, {
    communityId: needs.communityId,
    communityRegionCode: communities.regionCode,
  });

export async function listNeeds(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListNeedsQuery>,
) {
  return db
    .select({ ...needColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(needs)
    .innerJoin(communities, eq(communities.id, needs.communityId))
    .where(
      and(
        needScope(scope),
        regionFilter(query.region, communities.regionCode),
        equalsIfGiven(needs.communityId, query.communityId),
        equalsIfGiven(needs.status, query.status),
        equalsIfGiven(needs.serviceType, query.serviceType),
        query.from ? gt(needs.windowEnd, query.from) : undefined,
        query.to ? lt(needs.windowStart, query.to) : undefined,
      ),
    )
    .orderBy(desc(needs.windowStart), desc(needs.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** Needs still to be worked on: waiting for candidates, matched, or with their event booked. */
export const pendingNeedStatuses = ["open", "matched", "scheduled"] as const satisfies NeedStatus[];
/** Needs done with: held and closed, or withdrawn. */
export const endedNeedStatuses = ["closed", "withdrawn"] as const satisfies NeedStatus[];

/**
 * A page of the needs in scope with the given statuses (every status when none are given), in the
 * staff's order: those still to be worked on first, soonest window first, then the ended and
 * withdrawn ones, latest window first; each row with the total.
 */
export function needsByStatus(
  db: Queryable,
  scope: Scope,
  query: { statuses?: readonly NeedStatus[]; limit: number; offset: number },
) {
  const pending = inArray(needs.status, [...pendingNeedStatuses]);
  return db
    .select({ ...needColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(needs)
    .innerJoin(communities, eq(communities.id, needs.communityId))
    .where(
      and(
        needScope(scope),
        query.statuses ? inArray(needs.status, [...query.statuses]) : undefined,
      ),
    )
    .orderBy(
      // Those still to work on first, soonest window first (both `case`s are null for the rest)…
      sql`case when ${pending} then 0 else 1 end`,
      sql`case when ${pending} then ${needs.windowStart} end`,
      sql`case when ${pending} then ${needs.id} end`,
      // …then the ended and withdrawn, latest window first.
      desc(needs.windowStart),
      desc(needs.id),
    )
    .limit(query.limit)
    .offset(query.offset);
}

/**
 * The home page's needs: those still to be worked on (`ended: false`, soonest window first) or
 * the ended and withdrawn ones (`ended: true`, latest window first), the first page of what
 * /staff/needs lists; each row with the total.
 */
export function homeNeeds(db: Queryable, scope: Scope, query: { ended: boolean; limit: number }) {
  return needsByStatus(db, scope, {
    statuses: query.ended ? endedNeedStatuses : pendingNeedStatuses,
    limit: query.limit,
    offset: 0,
  });
}

/** One need inside the caller's scope, or undefined (missing and out-of-scope look alike). */
export async function findNeed(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select(needColumns)
    .from(needs)
    .innerJoin(communities, eq(communities.id, needs.communityId))
    .where(and(eq(needs.id, id), needScope(scope)));
  const [row] = options.forUpdate ? await query.for("update", { of: needs }) : await query;
  return row;
}

/** The bounds of a need's windows, stored beside them for period filters. */
export function windowBounds(windows: { start: Date; end: Date }[]) {
  const starts = windows.map((w) => w.start.getTime());
  const ends = windows.map((w) => w.end.getTime());
  return { windowStart: new Date(Math.min(...starts)), windowEnd: new Date(Math.max(...ends)) };
}

/** Windows as stored (ISO strings), sorted by start. */
export function storedWindows(windows: { start: Date; end: Date }[]) {
  return [...windows]
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() }));
}

/** The events booked for a need, earliest first (the need's scope was checked when it was found). */
export function eventsOfNeed(db: Queryable, needId: string) {
  return db
    .select(eventColumns)
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId))
    .where(eq(events.needId, needId))
    .orderBy(asc(events.startsAt));
}
