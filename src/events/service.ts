import { eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import type { Queryable } from "../db/client";
import { events, needs } from "../db/schema";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { enqueueEventNotifications } from "../notifications/outbox";
import { assertNotOver, fillFreePlaces } from "../signups/service";
import { reopenNeeds } from "./booking";
import { type EventDetails, storedDetails } from "./details";
import { type EventRow, findEvent, overlapConflict } from "./queries";

/**
 * Locks a scheduled event in the actor's scope, applies `change`, moves its calendar revision on,
 * audits it with the reason, and returns the event as it now is — all in one transaction (a
 * savepoint when the actor is already inside one). Anything but a scheduled event is a 409.
 */
async function changeEvent(
  actor: Actor,
  id: string,
  action: string,
  reason: string | undefined,
  change: (tx: Queryable, before: EventRow) => Promise<void>,
  options: { afterTheEnd?: boolean } = {},
): Promise<EventRow> {
  return actor.db.transaction(async (tx) => {
    const before = await findEvent(tx, actor.principal.scope, id, { forUpdate: true });
    if (!before) throw notFound("event");
    if (before.status !== "scheduled") {
      throw new AppError(
        "CONFLICT",
        `the event is ${before.status}; only scheduled events can change`,
      );
    }
    // Its volunteers came (or not): it is recorded, not moved, cancelled or changed.
    if (!options.afterTheEnd) assertNotOver(before, actor.now, "record its outcome instead");
    await change(tx, before);
    await tx
      .update(events)
      .set({ revision: sql`${events.revision} + 1`, updatedAt: actor.now })
      .where(eq(events.id, id));
    const after = await findEvent(tx, { kind: "all" }, id);
    if (!after) throw new Error(`event ${id} vanished`);
    await recordAudit(tx, actor, {
      action,
      entity: "event",
      entityId: id,
      before,
      after: { ...after, reason },
    });
    return after;
  });
}

/** Where sign-ups close after a move: staff's own closing time moves with the event. */
function movedClosing(before: EventRow, start: Date): Date {
  const closes = before.signupClosesAt;
  if (!closes || closes.getTime() >= before.startsAt.getTime()) return start;
  const moved = new Date(closes.getTime() + (start.getTime() - before.startsAt.getTime()));
  return moved < start ? moved : start;
}

/**
 * Moves an event to a new time (the same length unless an end is given). Refused into the past;
 * a staff-set sign-up closing time keeps its distance from the start; everyone signed up is told
 * the new time (earlier unsent notices withdrawn), and calendars see a new revision. An overlap
 * for the social worker or a team is a 409 naming the other event.
 */
export async function rescheduleEvent(
  actor: Actor,
  id: string,
  input: { start: Date; end?: Date; reason: string },
): Promise<EventRow> {
  const { start, reason } = input;
  if (start <= actor.now)
    throw new AppError("CONFLICT", "an event cannot be moved into the past; choose a later start", {
      details: { reason: "start_in_past" },
    });
  let booking: Parameters<typeof overlapConflict>[2] | undefined;
  try {
    return await changeEvent(actor, id, "reschedule", reason, async (tx, before) => {
      const end =
        input.end ??
        new Date(start.getTime() + (before.endsAt.getTime() - before.startsAt.getTime()));
      booking = {
        socialWorkerId: before.leadSocialWorkerId,
        teamIds: before.teamIds,
        start,
        end,
        eventId: id,
      };
      await tx
        .update(events)
        .set({ startsAt: start, endsAt: end, signupClosesAt: movedClosing(before, start) })
        .where(eq(events.id, id));
      await enqueueEventNotifications(tx, "event_changed", id, {
        previousStartsAt: before.startsAt.toISOString(),
      });
    });
  } catch (error) {
    throw (booking && (await overlapConflict(actor.db, error, booking))) ?? error;
  }
}

/** What staff may change on a scheduled event besides its time. */
export interface EventChanges extends EventDetails {
  title?: string;
  capacity?: number;
  signupClosesAt?: Date;
}

/**
 * Changes an event's title, places, sign-up closing time or the details volunteers read. More
 * places go at once to the waitlisted volunteers, first come first served, each told; fewer than
 * are taken is a 409 (the database's CHECK). Sign-ups must close by the start. Nothing changes
 * once the event is over.
 */
export async function updateEvent(
  actor: Actor,
  id: string,
  changes: EventChanges,
): Promise<EventRow> {
  return changeEvent(actor, id, "update", undefined, async (tx, before) => {
    if (changes.signupClosesAt && changes.signupClosesAt > before.startsAt)
      throw new AppError("VALIDATION_FAILED", "sign-ups must close by the event's start", {
        issues: [{ path: "signupClosesAt", message: "must not be after the event starts" }],
      });
    const { description, meetingPoint, contact, ...facts } = changes;
    const details = storedDetails({ description, meetingPoint, contact });
    await tx
      .update(events)
      .set({ ...facts, ...details })
      .where(eq(events.id, id));
    if (changes.capacity !== undefined && changes.capacity > before.capacity)
      await fillFreePlaces(tx, id, actor.now);
  });
}

/**
 * Cancels an event with a reason: its need opens again for matching, every volunteer signed up
 * is told (unsent reminders and confirmations withdrawn), calendars show it cancelled.
 */
export async function cancelEvent(actor: Actor, id: string, reason: string): Promise<EventRow> {
  return changeEvent(actor, id, "cancel", reason, async (tx, before) => {
    await tx
      .update(events)
      .set({ status: "cancelled", cancelReason: reason })
      .where(eq(events.id, id));
    await reopenNeeds(tx, [before.needId], actor.now);
    await enqueueEventNotifications(tx, "event_cancelled", id, { reason });
  });
}

/** The lead social worker accepts the assignment (even late); the need is then scheduled. */
export async function acceptEvent(actor: Actor, id: string): Promise<EventRow> {
  return changeEvent(
    actor,
    id,
    "accept",
    undefined,
    async (tx, before) => {
      await tx.update(events).set({ leadResponse: "accepted" }).where(eq(events.id, id));
      if (before.needId) {
        await tx
          .update(needs)
          .set({ status: "scheduled", updatedAt: actor.now })
          .where(eq(needs.id, before.needId));
      }
    },
    { afterTheEnd: true },
  );
}

/** The lead social worker declines: the event is cancelled as by staff, and its need reopens. */
export async function declineEvent(
  actor: Actor,
  id: string,
  reason: string | undefined,
): Promise<EventRow> {
  // In the volunteers' words (their message quotes it): 带队社工无法参加（their reason）.
  const why = `带队社工无法参加${reason ? `（${reason}）` : ""}`;
  return changeEvent(actor, id, "decline", reason, async (tx, before) => {
    await tx
      .update(events)
      .set({ leadResponse: "declined", status: "cancelled", cancelReason: why })
      .where(eq(events.id, id));
    await reopenNeeds(tx, [before.needId], actor.now);
    await enqueueEventNotifications(tx, "event_cancelled", id, { reason: why });
  });
}

/**
 * Cancels every listed event of a need being withdrawn, each exactly as {@link cancelEvent} does
 * (messages, calendar, audit), inside the actor's transaction when it is in one.
 */
export async function cancelEventsOfNeed(
  actor: Actor,
  eventIds: string[],
  reason: string,
): Promise<void> {
  for (const id of eventIds) await cancelEvent(actor, id, reason);
}
