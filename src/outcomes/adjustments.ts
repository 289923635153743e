import { eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { outcomeAdjustmentGroups, outcomeAdjustments, outcomes } from "../db/schema";
import { monthStart, shanghaiMonth } from "../domain/months";
import type { TargetGroup } from "../domain/vocabulary";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { loadOutcome, type OutcomeView } from "./queries";
import type { RecordAdjustmentInput } from "./schemas";
import { lockedEvent } from "./service";

/** An adjustment may correct figures down, never below zero. */
function refuseNegativeTotals(outcome: OutcomeView | undefined, input: RecordAdjustmentInput) {
  if (!outcome) return;
  const issues: { path: string; message: string }[] = [];
  const adjusted = (pick: (a: OutcomeView["adjustments"][number]) => number) =>
    outcome.adjustments.reduce((sum, a) => sum + pick(a), 0);
  for (const [group, delta] of Object.entries(input.personTimes)) {
    const current =
      (outcome.personTimes[group as TargetGroup] ?? 0) +
      adjusted((a) => a.personTimes[group as TargetGroup] ?? 0);
    if (current + (delta ?? 0) < 0)
      issues.push({
        path: `personTimes.${group}`,
        message: `would fall below zero (now ${current})`,
      });
  }
  const attended = outcome.volunteersAttended + adjusted((a) => a.volunteersAttendedDelta);
  if (attended + input.volunteersAttendedDelta < 0)
    issues.push({
      path: "volunteersAttendedDelta",
      message: `would fall below zero (now ${attended})`,
    });
  const hours = outcome.volunteerHours + adjusted((a) => a.volunteerHoursDelta);
  if (hours + input.volunteerHoursDelta < 0)
    issues.push({ path: "volunteerHoursDelta", message: `would fall below zero (now ${hours})` });
  if (issues.length)
    throw new AppError("VALIDATION_FAILED", "the adjustment would make a figure negative", {
      issues,
    });
}

/**
 * Corrects a signed-off outcome of a closed month: the correction is booked in the current
 * (open) month as an adjustment, so the closed month's figures never change.
 */
export async function adjustOutcome(
  actor: Actor,
  eventId: string,
  input: RecordAdjustmentInput,
): Promise<OutcomeView> {
  const { now } = actor;
  await actor.db.transaction(async (tx) => {
    await lockedEvent(tx, actor.principal.scope, eventId);
    const [outcome] = await tx
      .select({
        status: outcomes.status,
        closed: sql<boolean>`period_is_locked(${outcomes.regionCode}, ${outcomes.month})`,
      })
      .from(outcomes)
      .where(eq(outcomes.eventId, eventId))
      .for("update");
    if (!outcome)
      throw new AppError("NOT_FOUND", "no outcome has been recorded for this event yet");
    if (outcome.status !== "signed_off" || !outcome.closed)
      throw new AppError(
        "CONFLICT",
        "adjustments are for signed-off outcomes of closed months; change the outcome itself",
      );
    refuseNegativeTotals(await loadOutcome(tx, eventId), input);
    const [adjustment] = await tx
      .insert(outcomeAdjustments)
      .values({
        eventId,
        // Copied from the outcome by the trigger.
        communityId: sql`(select community_id from outcomes where event_id = ${eventId})`,
        regionCode: "",
        serviceType: "lecture",
        month: monthStart(shanghaiMonth(now)),
        volunteersAttendedDelta: input.volunteersAttendedDelta,
        volunteerHoursDelta: input.volunteerHoursDelta,
        reason: input.reason,
        createdBy: actor.principal.accountId,
        createdAt: now,
      })
      .returning({ id: outcomeAdjustments.id });
    if (!adjustment) throw new Error("adjustment not written");
    const groups = Object.entries(input.personTimes)
      .filter(([, n]) => n !== 0 && n !== undefined)
      .map(([targetGroup, delta]) => ({
        adjustmentId: adjustment.id,
        targetGroup: targetGroup as TargetGroup,
        personTimesDelta: delta ?? 0,
      }));
    if (groups.length) await tx.insert(outcomeAdjustmentGroups).values(groups);
    await recordAudit(tx, actor, {
      action: "adjust",
      entity: "outcome",
      entityId: eventId,
      after: { adjustmentId: adjustment.id, ...input },
    });
  });
  const outcome = await loadOutcome(actor.db, eventId);
  if (!outcome) throw notFound("outcome");
  return outcome;
}
