import { and, eq, gt, inArray, lte, ne, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { communities, events, notifications, signups } from "../db/schema";
import type { NotificationKind, NotificationPayload } from "./kinds";

/**
 * How far ahead of an event its reminder goes out: the Cron job (every 15 minutes) queues the
 * reminders of events starting within this, so a reminder leaves about a day ahead and never more
 * than 24 hours; an event booked or moved to within a day gets its reminder at the next run.
 */
export const REMINDER_AHEAD_MS = 24 * 3_600_000;

type Extra = Pick<NotificationPayload, "waitlistPosition" | "previousStartsAt" | "reason">;

/**
 * An outbox message's payload as the database builds it (`notification_payload`, migration
 * 0025): the one definition, shared with `signup_take`, which writes a sign-up's own message.
 */
const payloadNow = sql`notification_payload(${events.title}, ${events.startsAt}, ${events.endsAt},
  ${communities.name}, ${communities.address}, ${signups.confirmationCode})`;

/**
 * Writes one outbox row of `kind` for every sign-up matching `where`, with the event's details
 * as they are now, in one statement (one round trip). Call it with the caller's transaction, so
 * the row commits with the change. Returns how many rows were written (a reminder already
 * written is skipped).
 */
async function enqueueFor(
  tx: Queryable,
  kind: NotificationKind,
  where: SQL | undefined,
  extra: Extra = {},
): Promise<number> {
  const result = (await tx.execute(sql`insert into ${notifications}
      ("kind", "signup_id", "event_id", "payload", "about_starts_at")
    select ${kind}::notification_kind, ${signups.id}, ${signups.eventId},
      ${payloadNow} || ${JSON.stringify(extra)}::jsonb, ${events.startsAt}
    from ${signups}
      inner join ${events} on ${events.id} = ${signups.eventId}
      inner join ${communities} on ${communities.id} = ${events.communityId}
    where ${where ?? sql`true`}
    on conflict do nothing
    returning ${notifications.id}`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}

/** Tells each promoted volunteer that they now have a place, in `tx`. */
export async function enqueuePromotions(tx: Queryable, signupIds: string[]): Promise<void> {
  if (signupIds.length > 0) await enqueueFor(tx, "promoted", inArray(signups.id, signupIds));
}

/** Messages about an event that its next change or cancellation makes untrue if still unsent. */
const STALE_ON_CHANGE: NotificationKind[] = ["event_changed", "reminder"];
const STALE_ON_CANCEL: NotificationKind[] = [
  ...STALE_ON_CHANGE,
  "signup_confirmed",
  "waitlisted",
  "promoted",
];

/**
 * Tells every non-cancelled volunteer of an event that it moved or was cancelled, in `tx`, after
 * the event row was changed (so the text shows the new time). The pending messages the change
 * made untrue — an earlier "moved" notice, a reminder for the old time, and on cancellation any
 * unsent confirmation — are withdrawn first, so each volunteer is owed exactly one message about
 * the event's latest state.
 */
export async function enqueueEventNotifications(
  tx: Queryable,
  kind: "event_changed" | "event_cancelled",
  eventId: string,
  extra: Pick<Extra, "previousStartsAt" | "reason"> = {},
): Promise<number> {
  const stale = kind === "event_cancelled" ? STALE_ON_CANCEL : STALE_ON_CHANGE;
  await tx
    .update(notifications)
    .set({ status: "withdrawn" })
    .where(
      and(
        eq(notifications.eventId, eventId),
        eq(notifications.status, "pending"),
        inArray(notifications.kind, stale),
      ),
    );
  const where = and(eq(signups.eventId, eventId), ne(signups.status, "cancelled"));
  return enqueueFor(tx, kind, where, extra);
}

/**
 * Queues the reminder for confirmed sign-ups of scheduled events starting within
 * {@link REMINDER_AHEAD_MS} of `now`. Idempotent: the unique index allows one reminder per sign-up
 * and start time, so an event moved after its reminder went out gets one for the new time.
 */
export async function enqueueReminders(db: Queryable, now: Date): Promise<number> {
  const to = new Date(now.getTime() + REMINDER_AHEAD_MS);
  // One statement: its own transaction.
  return enqueueFor(
    db,
    "reminder",
    and(
      eq(signups.status, "confirmed"),
      eq(events.status, "scheduled"),
      gt(events.startsAt, now),
      lte(events.startsAt, to),
    ),
  );
}
