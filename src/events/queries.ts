import { and, asc, desc, eq, gt, inArray, lt, lte, ne, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../auth/principal";
import { eventScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communities, events, eventTeams, socialWorkers, volunteerTeams } from "../db/schema";
import { decodeCursor, encodeCursor } from "../lib/cursor";
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
  description: events.description,
  meetingPoint: events.meetingPoint,
  contact: events.contact,
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

/** Where a walk through the list stands: the order, and the last event's key in it. */
interface ListPosition {
  sort: EventSort;
  key: string;
  id: string;
}

export type EventSort = "start" | "created";

const POSITION = /^(start|created)~(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})~([0-9a-f-]{36})$/;

/** An opaque cursor: the order, the last event's key to the microsecond, its id. */
function encodePosition(position: ListPosition): string {
  return encodeCursor(`${position.sort}~${position.key}~${position.id}`);
}

function decodePosition(cursor: string, sort: EventSort): ListPosition {
  const text = decodeCursor(cursor);
  const match = POSITION.exec(text);
  if (!match || match[1] !== sort)
    throw new AppError("VALIDATION_FAILED", "the cursor is not one this list gave out", {
      issues: [{ path: "cursor", message: "pass `page.nextCursor` as is, with the same `sort`" }],
    });
  return { sort, key: match[2] as string, id: match[3] as string };
}

/**
 * A page of events in scope, by start (default) or by creation (`sort=created`: a key no change
 * moves, so a walk by cursor never repeats or skips an event that existed when it began), with
 * the cursor of the next page. The key is compared to the microsecond, as PostgreSQL keeps it.
 */
export async function listEvents(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListEventsQuery>,
) {
  const sort: EventSort = query.sort ?? "start";
  const column = sort === "created" ? events.createdAt : events.startsAt;
  const after = query.cursor ? decodePosition(query.cursor, sort) : undefined;
  if (after && query.offset > 0)
    throw new AppError("VALIDATION_FAILED", "give either a cursor or an offset, not both", {
      issues: [{ path: "offset", message: "leave it out when passing a cursor" }],
    });
  const rows = await db
    .select({
      ...eventColumns,
      total: sql<number>`count(*) over ()`.mapWith(Number),
      sortKey: sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    })
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
        after
          ? sql`(${column}, ${events.id}) > (${after.key}::timestamp at time zone 'UTC', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(column), asc(events.id))
    .limit(query.limit)
    .offset(query.offset);
  const total = rows[0]?.total ?? 0;
  const last = rows.at(-1);
  const more = query.offset + rows.length < total;
  return {
    data: rows.map(({ total: _total, sortKey: _key, ...row }) => row),
    page: {
      limit: query.limit,
      offset: query.offset,
      total,
      nextCursor: more && last ? encodePosition({ sort, key: last.sortKey, id: last.id }) : null,
    },
  };
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

/** The staff's two event lists: not yet ended (`upcoming`), or ended (`past`). */
export type EventTime = "upcoming" | "past";

/**
 * A page of the events in scope, cancelled ones included: those not yet ended at `now`, soonest
 * first (as the home lists them), or those ended, latest first; with the total.
 */
export async function eventsByTime(
  db: Queryable,
  scope: Scope,
  query: { when: EventTime; now: Date; limit: number; offset: number },
) {
  const upcoming = query.when === "upcoming";
  const order = upcoming ? asc : desc;
  const rows = await db
    .select({ ...eventColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId))
    .where(
      and(
        eventScope(scope),
        upcoming ? gt(events.endsAt, query.now) : lte(events.endsAt, query.now),
      ),
    )
    .orderBy(order(events.startsAt), order(events.id))
    .limit(query.limit)
    .offset(query.offset);
  return {
    rows: rows.map(({ total: _total, ...row }) => row),
    total: rows[0]?.total ?? 0,
  };
}

/** The latest events in scope under way or held between `from` and `to`, cancelled ones left out. */
export function latestEvents(
  db: Queryable,
  scope: Scope,
  query: { from: Date; to: Date; limit: number },
) {
  return baseQuery(db)
    .where(
      and(
        eventScope(scope),
        ne(events.status, "cancelled"),
        gt(events.endsAt, query.from),
        lt(events.startsAt, query.to),
      ),
    )
    .orderBy(desc(events.startsAt), desc(events.id))
    .limit(query.limit);
}

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

/** Where an event happens and who comes, for the staff event page: the address and team names. */
export async function eventPlace(db: Queryable, event: Pick<EventRow, "id" | "communityId">) {
  const [community] = await db
    .select({ address: communities.address })
    .from(communities)
    .where(eq(communities.id, event.communityId));
  const teams = await db
    .select({ name: volunteerTeams.name })
    .from(eventTeams)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, eventTeams.teamId))
    .where(eq(eventTeams.eventId, event.id))
    .orderBy(asc(volunteerTeams.name));
  return { address: community?.address ?? null, teams: teams.map((team) => team.name) };
}
