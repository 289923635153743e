import { and, asc, eq, gt, like, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import {
  communities,
  eventSignupCounters,
  events,
  eventTeams,
  regions,
  socialWorkers,
  volunteerTeams,
} from "../db/schema";
import { regionPrefix } from "../domain/regions";

/** How many events the public list shows at most (a phone screen, not an archive). */
const LIST_LIMIT = 50;

/** A region to pick in the filter. */
export interface RegionOption {
  code: string;
  name: string;
}

/** The cities of the province, or the counties of one city, in code order. */
export function regionOptions(
  db: Queryable,
  level: "city" | "county",
  parentCode?: string,
): Promise<RegionOption[]> {
  return db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(
      and(eq(regions.level, level), parentCode ? eq(regions.parentCode, parentCode) : undefined),
    )
    .orderBy(asc(regions.code));
}

const placesLeft =
  sql<number>`greatest(${events.capacity} - coalesce(${eventSignupCounters.confirmed}, 0), 0)`.mapWith(
    Number,
  );

const publicColumns = {
  id: events.id,
  title: events.title,
  serviceType: events.serviceType,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  status: events.status,
  signupClosesAt: events.signupClosesAt,
  capacity: events.capacity,
  placesLeft,
  communityName: communities.name,
  address: communities.address,
};

/** Scheduled events not yet started, optionally within a city or county (by community code). */
export function listUpcomingEvents(db: Queryable, region: string | undefined, now: Date) {
  const prefix = region ? regionPrefix(region) : undefined;
  return db
    .select(publicColumns)
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .leftJoin(eventSignupCounters, eq(eventSignupCounters.eventId, events.id))
    .where(
      and(
        eq(events.status, "scheduled"),
        gt(events.startsAt, now),
        prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
      ),
    )
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(LIST_LIMIT);
}

export type PublicEventSummary = Awaited<ReturnType<typeof listUpcomingEvents>>[number];

/** One event with what a volunteer needs to decide: where, who leads, which teams. */
export async function findPublicEvent(db: Queryable, id: string) {
  const [event] = await db
    .select({
      ...publicColumns,
      leadName: socialWorkers.name,
      leadCertificate: socialWorkers.certificateLevel,
      description: events.description,
      meetingPoint: events.meetingPoint,
      contact: events.contact,
    })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId))
    .leftJoin(eventSignupCounters, eq(eventSignupCounters.eventId, events.id))
    .where(eq(events.id, id));
  if (!event) return undefined;
  const teams = await db
    .select({ name: volunteerTeams.name })
    .from(eventTeams)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, eventTeams.teamId))
    .where(eq(eventTeams.eventId, id))
    .orderBy(asc(volunteerTeams.name));
  return { ...event, teams: teams.map((team) => team.name) };
}

export type PublicEvent = NonNullable<Awaited<ReturnType<typeof findPublicEvent>>>;

/** Whether an event takes sign-ups now, and if not, why (the same rule as the sign-up service). */
export function signupState(
  event: Pick<PublicEvent, "status" | "startsAt" | "endsAt" | "signupClosesAt">,
  now: Date,
): "open" | "cancelled" | "over" | "closed" {
  if (event.status === "cancelled") return "cancelled";
  if (event.status !== "scheduled" || event.endsAt <= now) return "over";
  if ((event.signupClosesAt ?? event.startsAt) <= now) return "closed";
  return "open";
}
