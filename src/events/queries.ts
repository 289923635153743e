import { and, asc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../auth/principal";
import { eventScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communities, events, eventTeams, socialWorkers } from "../db/schema";
import { findPgError } from "../lib/database-errors";
import { AppError } from "../lib/errors";
import { equalsIfGiven, regionFilter } from "../lib/filters";
import type { ListEventsQuery } from "./schemas";

/** What the API shows of an event. */
export const eventColumns = {
  id: events.id,
  needId: events.needId,
  communityId: events.communityId,
  communityName: communities.name,
  communityCode: communities.regionCode,
  serviceType: events.serviceType,
  title: events.title,
  leadSocialWorkerId: events.leadSocialWorkerId,
  leadSocialWorkerName: socialWorkers.name,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  capacity: events.capacity,
  status: events.status,
  leadResponse: events.leadResponse,
  matchScore: events.matchScore,
  signupClosesAt: events.signupClosesAt,
  cancelReason: events.cancelReason,
  teamIds: sql<
    string[]
  >`coalesce((select array_agg(${eventTeams.teamId} order by ${eventTeams.teamId}) from ${eventTeams} where ${eventTeams.eventId} = ${events.id}), '{}')`,
  createdAt: events.createdAt,
  updatedAt: events.updatedAt,
};

function baseQuery(db: Queryable) {
  return db
    .select(eventColumns)
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId));
}

export async function listEvents(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListEventsQuery>,
) {
  return db
    .select({ ...eventColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId))
    .where(
      and(
        eventScope(scope),
        regionFilter(query.region, communities.regionCode),
        equalsIfGiven(events.communityId, query.communityId),
        equalsIfGiven(events.leadSocialWorkerId, query.socialWorkerId),
        equalsIfGiven(events.status, query.status),
        query.from ? gt(events.endsAt, query.from) : undefined,
        query.to ? lt(events.startsAt, query.to) : undefined,
      ),
    )
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One event inside the caller's scope, or undefined. */
export async function findEvent(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = baseQuery(db).where(and(eq(events.id, id), eventScope(scope)));
  const [row] = options.forUpdate ? await query.for("update", { of: events }) : await query;
  return row;
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

/**
 * After the database refused an overlapping booking (EXCLUDE, 23P01), finds which event it
 * collided with, so the 409 can name it. The refused write is already rolled back.
 */
export async function overlapConflict(
  db: Queryable,
  error: unknown,
  booking: { socialWorkerId: string; teamIds: string[]; start: Date; end: Date; eventId?: string },
): Promise<AppError | undefined> {
  const pg = findPgError(error);
  if (pg?.code !== "23P01") return undefined;
  const overlapping = and(
    lt(events.startsAt, booking.end),
    gt(events.endsAt, booking.start),
    ne(events.status, "cancelled"),
    booking.eventId ? ne(events.id, booking.eventId) : undefined,
  );
  const byTeam = pg.constraint === "event_teams_team_no_overlap";
  const [conflict] = byTeam
    ? await db
        .select({ id: events.id, teamId: eventTeams.teamId })
        .from(events)
        .innerJoin(eventTeams, eq(eventTeams.eventId, events.id))
        .where(and(overlapping, inArray(eventTeams.teamId, booking.teamIds)))
        .limit(1)
    : await db
        .select({ id: events.id, teamId: sql<null>`null` })
        .from(events)
        .where(and(overlapping, eq(events.leadSocialWorkerId, booking.socialWorkerId)))
        .limit(1);
  const who = byTeam ? "the volunteer team" : "the social worker";
  return new AppError("OVERLAP", `${who} already has an event at that time`, {
    details: {
      conflictingEventId: conflict?.id ?? null,
      ...(byTeam ? { teamId: conflict?.teamId } : {}),
    },
    cause: error,
  });
}
