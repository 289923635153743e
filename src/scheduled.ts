import type { Caller } from "./auth/actor";
import { forgetOldSessions } from "./auth/sessions";
import { createDatabase } from "./db/client";
import { type Bindings, readConfig } from "./env";
import { importPersonalDataKeys } from "./lib/personal-data";
import { redact } from "./lib/redact";
import { forgetExpiredIdempotencyKeys } from "./middleware/idempotency";
import { deliverPending } from "./notifications/deliver";
import { enqueueReminders } from "./notifications/outbox";
import { type NotificationSender, senderFor } from "./notifications/sender";
import { checkRequestLimits } from "./requests/limits";
import { deliverRequestMessages } from "./requests/messages";
import { anonymiseExpiredRequests } from "./requests/retention";
import { forgetOldRecoveryRequests } from "./signups/recovery";
import { anonymiseExpiredSignups } from "./signups/retention";
import { foldDistinctCounts } from "./tallies/sources";

/** How many notifications one run sends at most; the rest wait for the next run. */
const DELIVERY_BATCH = 200;

export interface ScheduledReport {
  reminders: number;
  sent: number;
  failed: number;
  withdrawn: number;
  anonymised: number;
  idempotencyKeysForgotten: number;
  sessionsForgotten: number;
  recoveryRequestsForgotten: number;
  tallyCountsFolded: number;
  requestReminders: number;
  requestEscalations: number;
  requestsOverdue: number;
  requestMessagesSent: number;
  requestsAnonymised: number;
}

/**
 * The Cron Trigger's work, each step with the caller's clock (tests use a fake one): queue the
 * day-before reminders, watch the requests' time limits (reminders, escalation) and send their
 * messages, send what is pending, anonymise sign-ups past retention, forget expired
 * idempotency keys, staff sessions and old recovery requests, fold the tallies' count changes. A failing step does not
 * stop the others; the run fails afterwards so the Cron log shows it.
 */
export async function runScheduledJobs(
  caller: Caller,
  sender: NotificationSender,
  options: { retentionDays: number; publicOrigin?: string },
): Promise<ScheduledReport> {
  const { db, keys, now } = caller;
  const report: ScheduledReport = {
    reminders: 0,
    sent: 0,
    failed: 0,
    withdrawn: 0,
    anonymised: 0,
    idempotencyKeysForgotten: 0,
    sessionsForgotten: 0,
    recoveryRequestsForgotten: 0,
    tallyCountsFolded: 0,
    requestReminders: 0,
    requestEscalations: 0,
    requestsOverdue: 0,
    requestMessagesSent: 0,
    requestsAnonymised: 0,
  };
  const failures: unknown[] = [];
  const step = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failures.push(error);
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`scheduled step ${name} failed: ${redact(reason)}`);
    }
  };
  await step("reminders", async () => {
    report.reminders = await enqueueReminders(db, now);
  });
  await step("request limits", async () => {
    const limits = await checkRequestLimits(caller);
    report.requestReminders = limits.reminders;
    report.requestEscalations = limits.escalations;
    report.requestsOverdue = limits.overdue;
  });
  await step("request messages", async () => {
    const delivered = await deliverRequestMessages(db, keys, sender, {
      now,
      limit: DELIVERY_BATCH,
      publicOrigin: options.publicOrigin,
    });
    report.requestMessagesSent = delivered.sent;
  });
  await step("delivery", async () => {
    const delivered = await deliverPending(db, keys, sender, {
      limit: DELIVERY_BATCH,
      now,
      publicOrigin: options.publicOrigin,
    });
    report.sent = delivered.sent;
    report.failed = delivered.failed;
    report.withdrawn = delivered.withdrawn;
  });
  await step("retention", async () => {
    report.anonymised = await anonymiseExpiredSignups(caller, options.retentionDays);
  });
  await step("request retention", async () => {
    report.requestsAnonymised = await anonymiseExpiredRequests(caller, options.retentionDays);
  });
  await step("idempotency keys", async () => {
    report.idempotencyKeysForgotten = await forgetExpiredIdempotencyKeys(db, now);
  });
  await step("staff sessions", async () => {
    report.sessionsForgotten = await forgetOldSessions(db, now);
  });
  await step("recovery requests", async () => {
    report.recoveryRequestsForgotten = await forgetOldRecoveryRequests(db, now);
  });
  await step("tally counts", async () => {
    report.tallyCountsFolded = await foldDistinctCounts(db);
  });
  if (failures.length > 0) throw new AggregateError(failures, "a scheduled step failed");
  return report;
}

/** The Worker's `scheduled` handler (wrangler.toml `[triggers]`). */
export const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  ctx.waitUntil(
    (async () => {
      const config = readConfig(env);
      const handle = createDatabase(config);
      try {
        const keys = await importPersonalDataKeys(config.dataKey);
        const now = new Date(controller.scheduledTime);
        const caller = { db: handle.db, keys, now, requestId: `cron:${now.toISOString()}` };
        const report = await runScheduledJobs(caller, senderFor(config), {
          retentionDays: config.retentionDays,
          publicOrigin: config.publicOrigin,
        });
        console.log(`scheduled run (${controller.cron}): ${JSON.stringify(report)}`);
      } finally {
        await handle.close().catch(() => {});
      }
    })(),
  );
};
