import { and, asc, eq, gt, ilike, inArray, like, lt, or, sql } from "drizzle-orm";
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
import { serviceTypeLabels, serviceTypes } from "../domain/vocabulary";
import { dateWindow, likePattern, type PublicSearch } from "./public-search";

/** A region to pick in the filter. */
export interface RegionOption {
  code: string;
  name: string;
}

/** A city with its counties, for the one region select (grouped by city). */
export interface CityOption extends RegionOption {
  counties: RegionOption[];
}

/**
 * The region tree changes only with a new GB/T 2260 release: kept once read, per isolate (the
 * data, never a pending promise: Workers must not share I/O between requests).
 */
let cityTree: { province: string; cities: CityOption[] } | undefined;

/** The cities of a province, each with its counties, in code order. */
export async function citiesWithCounties(
  db: Queryable,
  provinceCode: string,
): Promise<CityOption[]> {
  if (cityTree?.province === provinceCode) return cityTree.cities;
  const rows = await db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(
      and(
        inArray(regions.level, ["city", "county"]),
        like(regions.code, `${provinceCode.slice(0, 2)}%`),
      ),
    )
    .orderBy(asc(regions.code));
  const cities: CityOption[] = [];
  for (const row of rows) {
    if (row.level === "city") cities.push({ code: row.code, name: row.name, counties: [] });
    else cities.at(-1)?.counties.push({ code: row.code, name: row.name });
  }
  if (cities.length > 0) cityTree = { province: provinceCode, cities };
  return cities;
}

/** The communities of a county that take part (the directory's), to pick "near" from. */
export function communityOptions(db: Queryable, countyCode: string): Promise<RegionOption[]> {
  return db
    .select({ code: communities.regionCode, name: communities.name })
    .from(communities)
    .where(and(eq(communities.countyCode, countyCode), eq(communities.active, true)))
    .orderBy(asc(communities.name));
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

/** The tree distance of an event's community from `near` (see treeDistance), in SQL. */
function distanceFrom(near: string) {
  const code = communities.regionCode;
  return sql<number>`case
    when ${code} = ${near} then 0
    when left(${code}, 9) = ${near.slice(0, 9)} then 1
    when left(${code}, 6) = ${near.slice(0, 6)} then 2
    when left(${code}, 4) = ${near.slice(0, 4)} then 3
    when left(${code}, 2) = ${near.slice(0, 2)} then 4
    else 5 end`.mapWith(Number);
}

/** One word matches the title, the community's name or address, or a service type's label. */
function wordMatches(word: string) {
  const pattern = likePattern(word);
  const lower = word.toLowerCase();
  const types = serviceTypes.filter((type) =>
    Object.values(serviceTypeLabels[type]).some((label) => label.toLowerCase().includes(lower)),
  );
  return or(
    ilike(events.title, pattern),
    ilike(communities.name, pattern),
    ilike(communities.address, pattern),
    types.length > 0 ? inArray(events.serviceType, types) : undefined,
  );
}

/**
 * One page of the public list, in ONE query: scheduled events not yet started, within the
 * region, matching every word, starting inside the date chip's window; nearest to `near` first,
 * then soonest. `total` counts every match (a window function over the same query).
 */
export async function listPublicEvents(
  db: Queryable,
  search: PublicSearch,
  now: Date,
  page: { limit: number; offset: number },
) {
  const prefix = search.region ? regionPrefix(search.region) : undefined;
  const window = dateWindow(search.when, now);
  const distance = search.near ? distanceFrom(search.near) : sql<number>`null`.mapWith(Number);
  const rows = await db
    .select({
      ...publicColumns,
      communityCode: communities.regionCode,
      signupsClosed: sql<boolean>`coalesce(${events.signupClosesAt}, ${events.startsAt}) <= ${now.toISOString()}::timestamptz`,
      distance,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .leftJoin(eventSignupCounters, eq(eventSignupCounters.eventId, events.id))
    .where(
      and(
        eq(events.status, "scheduled"),
        gt(events.startsAt, window ? window.from : now),
        window ? lt(events.startsAt, window.to) : undefined,
        prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
        ...search.words.map(wordMatches),
      ),
    )
    .orderBy(...(search.near ? [asc(distance)] : []), asc(events.startsAt), asc(events.id))
    .limit(page.limit)
    .offset(page.offset);
  return { events: rows, total: rows[0]?.total ?? 0 };
}

export type PublicEventSummary = Awaited<ReturnType<typeof listPublicEvents>>["events"][number];

/** The names of an event's teams, in name order, as one column (a JSON array). */
const teamNames = sql<string[]>`coalesce((
    select json_agg(${volunteerTeams.name} order by ${volunteerTeams.name})
    from ${eventTeams} join ${volunteerTeams} on ${volunteerTeams.id} = ${eventTeams.teamId}
    where ${eventTeams.eventId} = ${events.id}), '[]'::json)`.mapWith((value: unknown) =>
  typeof value === "string" ? (JSON.parse(value) as string[]) : (value as string[]),
);

/** One event with what a volunteer needs to decide: where, who leads, which teams (one query). */
export async function findPublicEvent(db: Queryable, id: string) {
  const [event] = await db
    .select({
      ...publicColumns,
      leadName: socialWorkers.name,
      leadCertificate: socialWorkers.certificateLevel,
      teams: teamNames,
      description: events.description,
      meetingPoint: events.meetingPoint,
      contact: events.contact,
    })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(socialWorkers, eq(socialWorkers.id, events.leadSocialWorkerId))
    .leftJoin(eventSignupCounters, eq(eventSignupCounters.eventId, events.id))
    .where(eq(events.id, id));
  return event;
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
