import { asc, between } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { events } from "../db/schema";

/** A short link's code: the first 8 hex digits of the event's id (random in a v4 UUID). */
const SHORT_CODE = /^[0-9a-f]{8}$/;

/** The code of an event's short link, `/e/<code>`, easy to type from a poster. */
export function shortCodeOf(eventId: string): string {
  return eventId.slice(0, 8).toLowerCase();
}

/** A typed code as stored (lower case), or undefined when it cannot be one. */
export function normaliseShortCode(typed: string): string | undefined {
  const code = typed.trim().toLowerCase();
  return SHORT_CODE.test(code) ? code : undefined;
}

/**
 * The events whose id starts with the code, read as a range of the primary key (so the index
 * answers it). Nearly always one; two events sharing 32 random bits are listed both, never guessed.
 */
export function eventsByShortCode(db: Queryable, code: string) {
  return db
    .select({ id: events.id, title: events.title, startsAt: events.startsAt })
    .from(events)
    .where(
      between(
        events.id,
        `${code}-0000-0000-0000-000000000000`,
        `${code}-ffff-ffff-ffff-ffffffffffff`,
      ),
    )
    .orderBy(asc(events.startsAt))
    .limit(5);
}
