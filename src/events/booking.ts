import { and, eq, inArray } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import type { Queryable } from "../db/client";
import { events, eventTeams, needs } from "../db/schema";
import type { ServiceType } from "../domain/vocabulary";
import { recordAudit } from "../lib/audit";
import { AppError } from "../lib/errors";
import { type EventRow, findEvent, overlapConflict } from "./queries";

export interface Booking {
  needId?: string;
  communityId: string;
  serviceType: ServiceType;
  title: string;
  socialWorkerId: string;
  teamIds: string[];
  start: Date;
  end: Date;
  capacity: number;
  matchScore?: number;
}

/**
 * Creates an event from a picked candidate or plan entry, in one transaction with its teams, the
 * need's move to `matched` and the audit entry. A start in the past is refused; the database's
 * EXCLUDE constraints refuse an overlap, which becomes a 409 naming the event it collided with.
 */
export async function bookEvent(actor: Actor, booking: Booking): Promise<string> {
  if (booking.start <= actor.now)
    throw new AppError("CONFLICT", "the start has passed; choose a later one", {
      details: { reason: "start_in_past" },
    });
  const run = async (db: Queryable) => {
    const [event] = await db
      .insert(events)
      .values({
        needId: booking.needId,
        communityId: booking.communityId,
        serviceType: booking.serviceType,
        title: booking.title,
        leadSocialWorkerId: booking.socialWorkerId,
        startsAt: booking.start,
        endsAt: booking.end,
        capacity: booking.capacity,
        matchScore: booking.matchScore,
        // Sign-ups close when the event starts unless staff choose otherwise.
        signupClosesAt: booking.start,
        createdBy: actor.principal.accountId,
      })
      .returning({ id: events.id });
    if (!event) throw new Error("event insert returned no row");
    await db.insert(eventTeams).values(
      booking.teamIds.map((teamId) => ({
        eventId: event.id,
        teamId,
        startsAt: booking.start,
        endsAt: booking.end,
      })),
    );
    if (booking.needId) {
      const moved = await db
        .update(needs)
        .set({ status: "matched", updatedAt: actor.now })
        .where(and(eq(needs.id, booking.needId), eq(needs.status, "open")))
        .returning({ id: needs.id });
      if (moved.length === 0)
        throw new AppError(
          "CONFLICT",
          "the need is no longer open; it may have been matched already",
        );
    }
    await recordAudit(db, actor, {
      action: "create",
      entity: "event",
      entityId: event.id,
      after: booking,
    });
    return event.id;
  };
  try {
    return await actor.db.transaction(run);
  } catch (error) {
    throw (await overlapConflict(actor.db, error, booking)) ?? error;
  }
}

/** Re-reads an event after a write (admin scope: the caller was already checked). */
export async function eventById(db: Queryable, id: string): Promise<EventRow> {
  const row = await findEvent(db, { kind: "all" }, id);
  if (!row) throw new Error(`event ${id} vanished`);
  return row;
}

/** Moves needs back to `open` when their event is cancelled or declined, so they can be re-matched. */
export async function reopenNeeds(
  db: Queryable,
  needIds: (string | null)[],
  now: Date,
): Promise<void> {
  const ids = needIds.filter((id): id is string => !!id);
  if (ids.length === 0) return;
  await db
    .update(needs)
    .set({ status: "open", updatedAt: now })
    .where(and(inArray(needs.id, ids), inArray(needs.status, ["matched", "scheduled"])));
}
