import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import { requests } from "../db/schema";
import { recordAudit } from "../lib/audit";
import { enqueueRequestMessage, requestText } from "./messages";
import { addStep, deskName } from "./steps";

/** 限时办结: the Cron job's watch over the time limits (reminders, escalation, overdue). */

/** What one run of {@link checkRequestLimits} did. */
export interface LimitReport {
  reminders: number;
  escalations: number;
  overdue: number;
}

/** A desk is reminded this long before the first-answer limit passes. */
export const REMINDER_AHEAD_MS = 24 * 3_600_000;

/**
 * The Cron job's watch over the limits: reminds the desk of a request still unanswered a day
 * before its first-answer limit; when that limit passes, escalates it to the county department's
 * desk (the department told); when the resolution limit passes, tells the department. Each
 * message is written once per request, however often the job runs.
 */
export async function checkRequestLimits(caller: Caller): Promise<LimitReport> {
  const { now } = caller;
  const report: LimitReport = { reminders: 0, escalations: 0, overdue: 0 };
  return caller.db.transaction(async (tx) => {
    const soon = new Date(now.getTime() + REMINDER_AHEAD_MS);
    const toRemind = await tx
      .update(requests)
      .set({ remindedAt: now })
      .where(
        and(
          eq(requests.status, "received"),
          isNull(requests.remindedAt),
          sql`${requests.answerDueAt} <= ${soon.toISOString()}::timestamptz`,
        ),
      )
      .returning({
        id: requests.id,
        code: requests.trackingCode,
        regionCode: requests.deskRegionCode,
        due: requests.answerDueAt,
      });
    for (const row of toRemind) {
      const text = requestText.reminder(row.code, row.due);
      const audience = row.regionCode.length === 6 ? "department" : "desk";
      await enqueueRequestMessage(tx, row.id, audience, "reminder", now, {
        text,
        regionCode: row.regionCode,
      });
      report.reminders++;
    }
    const toEscalate = await tx
      .update(requests)
      .set({
        escalatedAt: now,
        deskCommunityId: null,
        deskRegionCode: requests.countyCode,
        updatedAt: now,
      })
      .where(
        and(
          eq(requests.status, "received"),
          isNull(requests.escalatedAt),
          sql`${requests.answerDueAt} <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .returning({ id: requests.id, code: requests.trackingCode, countyCode: requests.countyCode });
    for (const row of toEscalate) {
      const name = await deskName(tx, { communityId: null, countyCode: row.countyCode });
      await addStep(tx, row.id, "escalated", now, { deskName: name });
      await enqueueRequestMessage(tx, row.id, "department", "escalated", now, {
        text: requestText.escalated(row.code),
        regionCode: row.countyCode,
      });
      await recordAudit(tx, caller, {
        action: "escalate",
        entity: "request",
        entityId: row.id,
        after: { deskRegionCode: row.countyCode, reason: "first-answer limit passed" },
      });
      report.escalations++;
    }
    const late = await tx
      .select({ id: requests.id, code: requests.trackingCode, countyCode: requests.countyCode })
      .from(requests)
      .where(
        and(
          inArray(requests.status, ["received", "accepted"]),
          sql`${requests.resolveDueAt} <= ${now.toISOString()}::timestamptz`,
        ),
      );
    for (const row of late) {
      const written = await enqueueRequestMessage(tx, row.id, "department", "overdue", now, {
        text: requestText.overdue(row.code),
        regionCode: row.countyCode,
      });
      if (written) report.overdue++;
    }
    return report;
  });
}
