import { and, eq, gte, lt, ne, type SQL } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { communities, events, notifications, signups } from "../db/schema";
import type { NotificationKind, NotificationPayload } from "./kinds";

const DAY_MS = 86_400_000;

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

/**
 * Queues one notification per non-cancelled sign-up of an event that was moved or cancelled,
 * in `tx`; call it after the event row was changed, so the text shows the new time.
 */
export async function enqueueEventNotifications(
  tx: Queryable,
  kind: "event_changed" | "event_cancelled",
  eventId: string,
  extra: Pick<Extra, "previousStartsAt" | "reason"> = {},
): Promise<number> {
  const where = and(eq(signups.eventId, eventId), ne(signups.status, "cancelled"));
  return enqueueFor(tx, kind, where, extra);
}

/**
 * Queues the day-before reminder for confirmed sign-ups of scheduled events starting 24–48 hours
 * after `now`. Idempotent: the unique index lets each sign-up have one reminder at most.
 */
export async function enqueueReminders(db: Queryable, now: Date): Promise<number> {
  const from = new Date(now.getTime() + DAY_MS);
  const to = new Date(now.getTime() + 2 * DAY_MS);
  return db.transaction((tx) =>
    enqueueFor(
      tx,
      "reminder",
      and(
        eq(signups.status, "confirmed"),
        eq(events.status, "scheduled"),
        gte(events.startsAt, from),
        lt(events.startsAt, to),
      ),
    ),
  );
}
