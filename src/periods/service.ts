import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { assertRegionInScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import { periodLockExclusions, periodLocks, regions } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { type PeriodView, periodLockView, periodView, unsignedOutcomes } from "./queries";

/**
 * Takes the month's exclusive period lock (migration 0031): waits for every outcome write of that
 * month in flight to commit, and holds off new ones until this transaction ends. The statements
 * after it see what those writes committed.
 */
async function serialiseWithOutcomeWrites(tx: Queryable, month: string) {
  await tx.execute(sql`select lock_period_month(${monthStart(month)}::date, true)`);
}

/**
 * 月度关账: closes a month for a region (a department its own region and below, an admin any);
 * from then on the database refuses every change to that month's outcomes there. Outcomes still
 * waiting for sign-off would be stranded: the close is refused (409, listing them) unless the
 * department chooses `excludeUnsigned`, and then they are recorded as left out of the month's
 * figures, with the lock and in the audit log. Closing a closed month again changes nothing
 * (`created: false`).
 */
export async function closePeriod(
  actor: Actor,
  input: { region: string; month: string; excludeUnsigned?: boolean },
): Promise<{ period: PeriodView; created: boolean }> {
  const { region, month } = input;
  assertRegionInScope(actor.principal.scope, region);
  return actor.db.transaction(async (tx) => {
    const [known] = await tx
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.code, region));
    if (!known) throw notFound("region");
    await serialiseWithOutcomeWrites(tx, month);
    const [existing] = await tx
      .select()
      .from(periodLocks)
      .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))));
    if (existing) return { period: await periodLockView(tx, existing), created: false };

    const unsigned = await unsignedOutcomes(tx, region, month);
    if (unsigned.length > 0 && !input.excludeUnsigned)
      throw new AppError(
        "CONFLICT",
        `${unsigned.length} outcome(s) of ${month} still wait for sign-off: have them signed off, ` +
          "or close anyway with excludeUnsigned: true to leave them out of the month's figures",
        { details: { reason: "unsigned_outcomes", unsigned } },
      );
    const [inserted] = await tx
      .insert(periodLocks)
      .values({
        regionCode: region,
        regionPrefix: regionPrefix(region) ?? region,
        month: monthStart(month),
        lockedBy: actor.principal.accountId,
        lockedAt: actor.now,
      })
      .returning();
    if (!inserted) throw new Error("period lock not inserted");
    if (unsigned.length > 0)
      await tx.insert(periodLockExclusions).values(
        unsigned.map((outcome) => ({
          regionCode: region,
          month: monthStart(month),
          eventId: outcome.eventId,
        })),
      );
    const period = periodView(inserted, unsigned);
    await recordAudit(tx, actor, {
      action: "lock",
      entity: "period",
      entityId: `${region}/${month}`,
      after: period,
    });
    return { period, created: true };
  });
}

/**
 * Reopens a closed month (admin, with a reason kept in the audit log); 404 if it was not closed.
 * The outcomes it left out can then be signed off.
 */
export async function reopenPeriod(
  actor: Actor,
  input: { region: string; month: string; reason: string },
): Promise<void> {
  const { region, month, reason } = input;
  await actor.db.transaction(async (tx) => {
    const [lock] = await tx
      .select()
      .from(periodLocks)
      .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))));
    if (!lock) throw notFound("closed month");
    const before = await periodLockView(tx, lock);
    await tx
      .delete(periodLocks)
      .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))));
    await recordAudit(tx, actor, {
      action: "reopen",
      entity: "period",
      entityId: `${region}/${month}`,
      before,
      after: { reason },
    });
  });
}
