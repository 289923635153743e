import { asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { notifications, signups } from "../db/schema";
import { decryptPersonal, type PersonalDataKeys } from "../lib/personal-data";
import { redact } from "../lib/redact";
import { renderText } from "./render";
import type { NotificationSender } from "./sender";

/** A notification that failed this many times is given up (status failed). */
export const MAX_ATTEMPTS = 5;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Sends up to `limit` pending notifications, oldest first. The rows are claimed with
 * FOR UPDATE SKIP LOCKED, so two overlapping runs never send the same one; each is marked sent,
 * or counted as an attempt (failed after MAX_ATTEMPTS). Delivery is at-least-once: a crash after
 * a send but before the commit sends that message again on the next run.
 */
export async function deliverPending(
  db: Queryable,
  keys: PersonalDataKeys,
  sender: NotificationSender,
  options: { limit?: number; now?: Date } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({
        id: notifications.id,
        kind: notifications.kind,
        payload: notifications.payload,
        attempts: notifications.attempts,
        mobileCiphertext: signups.mobileCiphertext,
        anonymisedAt: signups.anonymisedAt,
      })
      .from(notifications)
      .innerJoin(signups, eq(signups.id, notifications.signupId))
      .where(eq(notifications.status, "pending"))
      .orderBy(asc(notifications.createdAt), asc(notifications.id))
      .limit(options.limit ?? 100)
      .for("update", { of: notifications, skipLocked: true });
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
    for (const row of claimed) {
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
        await sender.send({ kind: row.kind, to, text: renderText(row.kind, row.payload) });
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
