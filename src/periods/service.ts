import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { assertRegionInScope } from "../auth/scope";
import { periodLocks, regions } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";
import { recordAudit } from "../lib/audit";
import { notFound } from "../lib/errors";
import { periodView } from "./queries";

/**
 * 月度关账: closes a month for a region (a department its own region and below, an admin any);
 * from then on the database refuses every change to that month's outcomes there. Closing a
 * closed month again changes nothing (`created: false`).
 */
export async function closePeriod(actor: Actor, input: { region: string; month: string }) {
  const { region, month } = input;
  assertRegionInScope(actor.principal.scope, region);
  return actor.db.transaction(async (tx) => {
    const [known] = await tx
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.code, region));
    if (!known) throw notFound("region");
    const [inserted] = await tx
      .insert(periodLocks)
      .values({
        regionCode: region,
        regionPrefix: regionPrefix(region) ?? region,
        month: monthStart(month),
        lockedBy: actor.principal.accountId,
        lockedAt: actor.now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await recordAudit(tx, actor, {
        action: "lock",
        entity: "period",
        entityId: `${region}/${month}`,
        after: periodView(inserted),
      });
      return { period: periodView(inserted), created: true };
    }
    const [existing] = await tx
      .select()
      .from(periodLocks)
      .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))));
    if (!existing) throw new Error("period lock vanished");
    return { period: periodView(existing), created: false };
  });
}

/** Reopens a closed month (admin, with a reason kept in the audit log); 404 if it was not closed. */
export async function reopenPeriod(
  actor: Actor,
  input: { region: string; month: string; reason: string },
): Promise<void> {
  const { region, month, reason } = input;
  await actor.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(periodLocks)
      .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))))
      .returning();
    if (!removed) throw notFound("closed month");
    await recordAudit(tx, actor, {
      action: "reopen",
      entity: "period",
      entityId: `${region}/${month}`,
      before: periodView(removed),
      after: { reason },
    });
  });
}
