import { and, asc, eq, inArray, sql } from "drizzle-orm";
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

/**
 * Sends up to `limit` pending notifications, oldest first (only those to `signupIds` if given:
 * a request delivers its own volunteers' messages at once, the Cron job all the rest). The rows are claimed with
 * FOR UPDATE SKIP LOCKED, so two overlapping runs never send the same one; each is marked sent,
 * or counted as an attempt (failed after MAX_ATTEMPTS); one that no longer holds is withdrawn
 * unsent ({@link noLongerHolds}). Delivery is at-least-once: a crash after a send but before the
 * commit sends that message again on the next run.
 */
export async function deliverPending(
  db: Queryable,
  keys: PersonalDataKeys,
  sender: NotificationSender,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  if (options.signupIds?.length === 0) return { sent: 0, retrying: 0, failed: 0, withdrawn: 0 };
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({
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
      })
      .from(notifications)
      .innerJoin(signups, eq(signups.id, notifications.signupId))
      .innerJoin(events, eq(events.id, notifications.eventId))
      .where(
        and(
          eq(notifications.status, "pending"),
          options.signupIds ? inArray(notifications.signupId, options.signupIds) : undefined,
        ),
      )
      .orderBy(asc(notifications.createdAt), asc(notifications.id))
      .limit(options.limit ?? 100)
      .for("update", { of: notifications, skipLocked: true });
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, withdrawn: 0 };
    for (const row of claimed) {
      if (noLongerHolds(row)) {
        await tx
          .update(notifications)
          .set({ status: "withdrawn" })
          .where(eq(notifications.id, row.id));
        report.withdrawn++;
        continue;
      }
      // Retention already removed the mobile: there is nobody left to tell.
      if (row.anonymisedAt || !row.mobileCiphertext) {
        await tx
          .update(notifications)
          .set({ status: "failed" })
          .where(eq(notifications.id, row.id));
        report.failed++;
        continue;
      }
      try {
        const to = await decryptPersonal(keys, row.mobileCiphertext);
        const link = await linkOf(keys, row.manageTokenSealed, options.publicOrigin);
        await sender.send({ kind: row.kind, to, text: renderText(row.kind, row.payload, link) });
        await tx
          .update(notifications)
          .set({ status: "sent", sentAt: now, attempts: sql`${notifications.attempts} + 1` })
          .where(eq(notifications.id, row.id));
        report.sent++;
      } catch (error) {
        const attempts = row.attempts + 1;
        const givesUp = attempts >= MAX_ATTEMPTS;
        await tx
          .update(notifications)
          .set({ attempts, status: givesUp ? "failed" : "pending" })
          .where(eq(notifications.id, row.id));
        if (givesUp) report.failed++;
        else report.retrying++;
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`notification ${row.id} attempt ${attempts} failed: ${redact(reason)}`);
      }
    }
    return report;
  });
}
