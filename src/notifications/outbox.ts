import { and, eq, gt, inArray, lte, ne, type SQL } from "drizzle-orm";
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
 * Writes one outbox row of `kind` for every sign-up matching `where`, with the event's details
 * as they are now. Call it with the caller's transaction, so the row commits with the change.
 * Returns how many rows were written (a reminder already written is skipped).
 */
async function enqueueFor(
  tx: Queryable,
  kind: NotificationKind,
  where: SQL | undefined,
  extra: Extra = {},
): Promise<number> {
  const rows = await tx
    .select({
      signupId: signups.id,
      eventId: signups.eventId,
      confirmationCode: signups.confirmationCode,
      eventTitle: events.title,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      communityName: communities.name,
      address: communities.address,
    })
    .from(signups)
    .innerJoin(events, eq(events.id, signups.eventId))
    .innerJoin(communities, eq(communities.id, events.communityId))
    .where(where);
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(notifications)
    .values(
      rows.map((row) => ({
        kind,
        signupId: row.signupId,
        eventId: row.eventId,
        payload: {
          eventTitle: row.eventTitle,
          startsAt: row.startsAt.toISOString(),
          endsAt: row.endsAt.toISOString(),
          place: row.address ? `${row.communityName}（${row.address}）` : row.communityName,
          confirmationCode: row.confirmationCode,
          ...extra,
        },
        aboutStartsAt: row.startsAt,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return inserted.length;
}

/** Queues a notification to one volunteer (confirmed, waitlisted, promoted), in `tx`. */
export async function enqueueSignupNotification(
  tx: Queryable,
  kind: "signup_confirmed" | "waitlisted" | "promoted",
  signupId: string,
  extra: Pick<Extra, "waitlistPosition"> = {},
): Promise<void> {
  await enqueueFor(tx, kind, eq(signups.id, signupId), extra);
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
  return db.transaction((tx) =>
    enqueueFor(
      tx,
      "reminder",
      and(
        eq(signups.status, "confirmed"),
        eq(events.status, "scheduled"),
        gt(events.startsAt, now),
        lte(events.startsAt, to),
      ),
    ),
  );
}
