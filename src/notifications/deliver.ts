import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { events, notifications, signups } from "../db/schema";
import { privateLinkPath, publicUrl } from "../lib/links";
import { decryptPersonal, type PersonalDataKeys } from "../lib/personal-data";
import { redact } from "../lib/redact";
import type { NotificationKind, NotificationPayload } from "./kinds";
import { renderText } from "./render";
import type { NotificationSender } from "./sender";

/** A notification that failed this many times is given up (status failed). */
export const MAX_ATTEMPTS = 5;

/**
 * How long a request's claim on its own messages keeps the Cron job away from them: longer than
 * any send is allowed to take, so the Cron job takes them over only from a request that died.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  withdrawn: number;
}

interface Facts {
  kind: NotificationKind;
  payload: NotificationPayload;
  signupStatus: string;
  eventStatus: string;
  eventStartsAt: Date;
}

/**
 * True when the message, written when its change committed, would mislead if sent now: a
 * reminder for a sign-up since cancelled or an event since cancelled or moved (the move has its
 * own event_changed message), or a confirmation, waitlist place or promotion for a sign-up the
 * volunteer has since cancelled. News about the event itself always goes out.
 */
export function noLongerHolds(facts: Facts): boolean {
  switch (facts.kind) {
    case "reminder":
      return (
        facts.signupStatus !== "confirmed" ||
        facts.eventStatus !== "scheduled" ||
        facts.eventStartsAt.toISOString() !== facts.payload.startsAt
      );
    case "signup_confirmed":
    case "waitlisted":
    case "promoted":
      return facts.signupStatus === "cancelled";
    case "event_changed":
    case "event_cancelled":
      return false;
  }
}

export interface DeliveryOptions {
  limit?: number;
  now?: Date;
  /** Only the pending messages to these sign-ups (what a request's volunteers wait for). */
  signupIds?: string[];
  /** The site's origin: messages then carry the volunteer's private link. */
  publicOrigin?: string;
}

/** The volunteer's private link, when the sign-up still holds its sealed token. */
async function linkOf(
  keys: PersonalDataKeys,
  sealed: string | null,
  origin: string | undefined,
): Promise<string | undefined> {
  if (!sealed || !origin) return undefined;
  return publicUrl(origin, privateLinkPath(await decryptPersonal(keys, sealed)));
}

/** What deciding and sending a message reads, from its row, its sign-up and its event. */
const messageColumns = {
  id: notifications.id,
  kind: notifications.kind,
  payload: notifications.payload,
  attempts: notifications.attempts,
  mobileCiphertext: signups.mobileCiphertext,
  manageTokenSealed: signups.manageTokenSealed,
  anonymisedAt: signups.anonymisedAt,
  signupStatus: signups.status,
  eventStatus: events.status,
  eventStartsAt: events.startsAt,
};

/** A claimed message with what deciding and sending it takes. */
interface ClaimedMessage extends Facts {
  id: string;
  attempts: number;
  mobileCiphertext: string | null;
  manageTokenSealed: string | null;
  anonymisedAt: Date | null;
}

/**
 * How a message ends this run: sent; withdrawn (no longer holds); failed without an attempt
 * (nobody left to tell); or, after a failed send (`attempt`: which one it was), pending again,
 * or failed after MAX_ATTEMPTS.
 */
type Ending =
  | { status: "sent" | "withdrawn"; attempt?: undefined }
  | { status: "failed"; attempt?: number }
  | { status: "pending"; attempt: number };

/**
 * Decides and sends each claimed message, oldest first, and has `end` record how it ended: the
 * one loop both delivery paths share (they differ in how a row is claimed and recorded).
 * `counted`: whether `row.attempts` already counts this attempt (a request's claim counts it;
 * the Cron job counts it when it records the ending).
 */
async function sendEach<Row extends ClaimedMessage>(
  keys: PersonalDataKeys,
  sender: NotificationSender,
  publicOrigin: string | undefined,
  rows: Row[],
  counted: boolean,
  end: (row: Row, ending: Ending) => Promise<void>,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, withdrawn: 0 };
  for (const row of rows) {
    if (noLongerHolds(row)) {
      await end(row, { status: "withdrawn" });
      report.withdrawn++;
      continue;
    }
    // Retention already removed the mobile: there is nobody left to tell.
    if (row.anonymisedAt || !row.mobileCiphertext) {
      await end(row, { status: "failed" });
      report.failed++;
      continue;
    }
    try {
      const to = await decryptPersonal(keys, row.mobileCiphertext);
      const link = await linkOf(keys, row.manageTokenSealed, publicOrigin);
      await sender.send({ kind: row.kind, to, text: renderText(row.kind, row.payload, link) });
      await end(row, { status: "sent" });
      report.sent++;
    } catch (error) {
      const attempt = counted ? row.attempts : row.attempts + 1;
      const givesUp = attempt >= MAX_ATTEMPTS;
      await end(row, givesUp ? { status: "failed", attempt } : { status: "pending", attempt });
      if (givesUp) report.failed++;
      else report.retrying++;
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`notification ${row.id} attempt ${attempt} failed: ${redact(reason)}`);
    }
  }
  return report;
}

/**
 * Sends up to `limit` pending notifications, oldest first (only those to `signupIds` if given:
 * a request delivers its own volunteers' messages at once, the Cron job all the rest). The rows are claimed with
 * FOR UPDATE SKIP LOCKED, so two overlapping runs never send the same one; each is marked sent,
 * or counted as an attempt (failed after MAX_ATTEMPTS); one that no longer holds is withdrawn
 * unsent ({@link noLongerHolds}). Delivery is at-least-once: a crash after a send but before the
 * commit sends that message again on the next run. A request's own messages (`signupIds`) go
 * through {@link deliverClaimed}, two statements instead of a transaction's four.
 */
export async function deliverPending(
  db: Queryable,
  keys: PersonalDataKeys,
  sender: NotificationSender,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  if (options.signupIds?.length === 0) return { sent: 0, retrying: 0, failed: 0, withdrawn: 0 };
  const now = options.now ?? new Date();
  const { signupIds } = options;
  if (signupIds) return deliverClaimed(db, keys, sender, { ...options, now, signupIds });
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select(messageColumns)
      .from(notifications)
      .innerJoin(signups, eq(signups.id, notifications.signupId))
      .innerJoin(events, eq(events.id, notifications.eventId))
      .where(
        and(
          eq(notifications.status, "pending"),
          // Not while a request that claimed it may still be sending it (deliverClaimed).
          or(isNull(notifications.claimedUntil), lte(notifications.claimedUntil, now)),
        ),
      )
      .orderBy(asc(notifications.createdAt), asc(notifications.id))
      .limit(options.limit ?? 100)
      .for("update", { of: notifications, skipLocked: true });
    return sendEach(keys, sender, options.publicOrigin, claimed, false, async (row, end) => {
      const set =
        end.status === "sent"
          ? { status: end.status, sentAt: now, attempts: sql`${notifications.attempts} + 1` }
          : { status: end.status, attempts: end.attempt };
      await tx.update(notifications).set(set).where(eq(notifications.id, row.id));
    });
  });
}

/**
 * A request's own messages (`signupIds`) right after its answer, in two statements where the Cron
 * job's transaction takes four (BEGIN, claim, mark, COMMIT). The first claims the pending rows not
 * claimed already (FOR UPDATE SKIP LOCKED, as the Cron job) for {@link CLAIM_LEASE_MS}, counts the
 * attempt, and returns what the messages need; then they are sent; then one statement marks the
 * sent ones sent. A row that no longer holds, has nobody left to tell, or whose send failed is set
 * to what the Cron job would have made of it (withdrawn; failed; pending, failed after
 * MAX_ATTEMPTS), one statement each, off the common path. Still at least once: should the request
 * die between claim and mark, its claim runs out and the Cron job sends the message.
 */
async function deliverClaimed(
  db: Queryable,
  keys: PersonalDataKeys,
  sender: NotificationSender,
  options: DeliveryOptions & { now: Date; signupIds: string[] },
): Promise<DeliveryReport> {
  const { now } = options;
  const pending = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.status, "pending"),
        inArray(notifications.signupId, options.signupIds),
        or(isNull(notifications.claimedUntil), lte(notifications.claimedUntil, now)),
      ),
    )
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(options.limit ?? 100)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(notifications)
    .set({
      claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
      attempts: sql`${notifications.attempts} + 1`,
    })
    .from(signups)
    // A join's condition may not name the updated table: the notification's own event is
    // matched in WHERE (it is always its sign-up's).
    .innerJoin(events, eq(events.id, signups.eventId))
    .where(
      and(
        inArray(notifications.id, pending),
        eq(notifications.status, "pending"),
        eq(signups.id, notifications.signupId),
        eq(events.id, notifications.eventId),
      ),
    )
    .returning({ ...messageColumns, createdAt: notifications.createdAt });
  claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const sent: string[] = [];
  const report = await sendEach(
    keys,
    sender,
    options.publicOrigin,
    claimed,
    true,
    async (row, end) => {
      if (end.status === "sent") {
        sent.push(row.id);
        return;
      }
      // The claim counted an attempt: a row left unsent without trying gets it back.
      const attempts = end.attempt ?? row.attempts - 1;
      await db
        .update(notifications)
        .set({ status: end.status, attempts, claimedUntil: null })
        .where(and(eq(notifications.id, row.id), eq(notifications.status, "pending")));
    },
  );
  if (sent.length > 0)
    await db
      .update(notifications)
      .set({ status: "sent", sentAt: now, claimedUntil: null })
      // Still pending: the Cron job took over none of them (it would after the claim ran out).
      .where(and(inArray(notifications.id, sent), eq(notifications.status, "pending")));
  return report;
}
