import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Queryable } from "../db/client";
import {
  events,
  outcomeAdjustmentGroups,
  outcomeAdjustments,
  outcomeGroups,
  outcomes,
  outcomeVolunteers,
  signups,
  volunteers,
} from "../db/schema";
import { monthStart, shanghaiMonth } from "../domain/months";
import type { TargetGroup } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { type EventRow, findEvent } from "../events/queries";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import type { RecordOutcomeInput } from "./schemas";

/**
 * Time a volunteer may be credited beyond the event itself (getting there, setting up), per
 * person. Volunteer hours above attendance × (event length + this) are refused.
 */
export const PREPARATION_HOURS_ALLOWANCE = 1;

/** What the API shows of an outcome. Attending volunteers are counted, never listed. */
export interface OutcomeView {
  eventId: string;
  communityId: string;
  regionCode: string;
  serviceType: string;
  month: string;
  status: "recorded" | "signed_off";
  personTimes: Partial<Record<TargetGroup, number>>;
  personTimesTotal: number;
  peopleServed: number | null;
  volunteersAttended: number;
  volunteersIdentified: number;
  volunteerHours: number;
  notes: unknown;
  remarks: string | null;
  signedOffAt: Date | null;
  revision: number;
  periodClosed: boolean;
  adjustments: {
    id: string;
    month: string;
    personTimes: Partial<Record<TargetGroup, number>>;
    volunteersAttendedDelta: number;
    volunteerHoursDelta: number;
    reason: string;
    createdAt: Date;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

/** The outcome of an event, as stored, or undefined. */
export async function loadOutcome(
  db: Queryable,
  eventId: string,
): Promise<OutcomeView | undefined> {
  const [row] = await db
    .select({
      outcome: outcomes,
      periodClosed: sql<boolean>`period_is_locked(${outcomes.regionCode}, ${outcomes.month})`,
    })
    .from(outcomes)
    .where(eq(outcomes.eventId, eventId));
  if (!row) return undefined;
  const [identified] = await db
    .select({ n: count() })
    .from(outcomeVolunteers)
    .where(eq(outcomeVolunteers.eventId, eventId));
  const groups = await db
    .select()
    .from(outcomeGroups)
    .where(eq(outcomeGroups.eventId, eventId))
    .orderBy(asc(outcomeGroups.targetGroup));
  const adjustments = await db
    .select()
    .from(outcomeAdjustments)
    .where(eq(outcomeAdjustments.eventId, eventId))
    .orderBy(asc(outcomeAdjustments.createdAt));
  const adjustmentGroups = adjustments.length
    ? await db
        .select()
        .from(outcomeAdjustmentGroups)
        .where(
          inArray(
            outcomeAdjustmentGroups.adjustmentId,
            adjustments.map((a) => a.id),
          ),
        )
    : [];
  const o = row.outcome;
  return {
    eventId: o.eventId,
    communityId: o.communityId,
    regionCode: o.regionCode,
    serviceType: o.serviceType,
    month: o.month.slice(0, 7),
    status: o.status,
    personTimes: Object.fromEntries(groups.map((g) => [g.targetGroup, g.personTimes])),
    personTimesTotal: groups.reduce((sum, g) => sum + g.personTimes, 0),
    peopleServed: o.peopleServed,
    volunteersAttended: o.volunteersAttended,
    volunteersIdentified: identified?.n ?? 0,
    volunteerHours: o.volunteerHours,
    notes: o.notes,
    remarks: o.remarks,
    signedOffAt: o.signedOffAt,
    revision: o.revision,
    periodClosed: Boolean(row.periodClosed),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      month: a.month.slice(0, 7),
      personTimes: Object.fromEntries(
        adjustmentGroups
          .filter((g) => g.adjustmentId === a.id)
          .map((g) => [g.targetGroup, g.personTimesDelta]),
      ),
      volunteersAttendedDelta: a.volunteersAttendedDelta,
      volunteerHoursDelta: a.volunteerHoursDelta,
      reason: a.reason,
      createdAt: a.createdAt,
    })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

/** The event, in the caller's scope, locked; 404 otherwise. */
export async function lockedEvent(tx: Queryable, c: Context<AppEnv>, eventId: string) {
  const event = await findEvent(tx, c.var.principal.scope, eventId, { forUpdate: true });
  if (!event) throw notFound("event");
  return event;
}

/** The keyed hashes of the volunteers known to have attended: checked in, or ticked by id. */
async function attendeeKeys(
  tx: Queryable,
  eventId: string,
  volunteerIds: string[],
): Promise<string[]> {
  const checkedIn = await tx
    .select({ key: signups.mobileHash })
    .from(signups)
    .where(and(eq(signups.eventId, eventId), eq(signups.status, "attended")));
  const ticked = volunteerIds.length
    ? await tx
        .select({ id: volunteers.id, key: volunteers.mobileHash })
        .from(volunteers)
        .where(inArray(volunteers.id, volunteerIds))
    : [];
  const found = new Set(ticked.map((v) => v.id));
  const missing = volunteerIds
    .map((id, index) => ({ id, index }))
    .filter(({ id }) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError("VALIDATION_FAILED", "some volunteers are not in the directory", {
      issues: missing.map(({ index }) => ({
        path: `volunteerIds.${index}`,
        message: "no volunteer with this id",
      })),
    });
  }
  return [...new Set([...checkedIn.map((r) => r.key), ...ticked.map((r) => r.key)])];
}

function eventHours(event: EventRow): number {
  return (event.endsAt.getTime() - event.startsAt.getTime()) / 3_600_000;
}

/** Half-hour rounding, so defaults meet the same rule as typed hours. */
const toHalfHours = (hours: number) => Math.round(hours * 2) / 2;

/**
 * Records (or re-records) an event's outcome in one transaction: the outcome row, person-times per
 * group, the attending volunteers, the event marked completed, and an audit entry. A signed-off
 * outcome can change only by an admin, with a reason. A closed month refuses (database trigger).
 */
export async function recordOutcome(
  c: Context<AppEnv>,
  eventId: string,
  input: RecordOutcomeInput,
  now = new Date(),
): Promise<{ outcome: OutcomeView; created: boolean }> {
  const principal = c.var.principal;
  const created = await c.var.db.transaction(async (tx) => {
    const event = await lockedEvent(tx, c, eventId);
    if (event.status === "cancelled")
      throw new AppError("CONFLICT", "the event was cancelled; it has no outcome to record");
    if (now < event.startsAt)
      throw new AppError("CONFLICT", "the event has not started yet; record its outcome after it");
    const [before] = await tx
      .select()
      .from(outcomes)
      .where(eq(outcomes.eventId, eventId))
      .for("update");
    if (before?.status === "signed_off") {
      if (principal.role !== "admin")
        throw new AppError(
          "FORBIDDEN",
          "the outcome is signed off; only an admin can change it now (with a reason)",
        );
      if (!input.reason)
        throw new AppError("VALIDATION_FAILED", "say why a signed-off outcome changes", {
          issues: [{ path: "reason", message: "required to change a signed-off outcome" }],
        });
    }
    const keys = await attendeeKeys(tx, eventId, input.volunteerIds);
    const attended = input.volunteersAttended ?? keys.length;
    if (attended < keys.length)
      throw new AppError("VALIDATION_FAILED", "fewer volunteers than are known to have attended", {
        issues: [
          {
            path: "volunteersAttended",
            message: `at least ${keys.length}: the checked-in and ticked volunteers`,
          },
        ],
      });
    const perVolunteer = eventHours(event) + PREPARATION_HOURS_ALLOWANCE;
    const maxHours = toHalfHours(attended * perVolunteer);
    const hours = input.volunteerHours ?? toHalfHours(attended * eventHours(event));
    if (hours > maxHours)
      throw new AppError("VALIDATION_FAILED", "more volunteer hours than attendance allows", {
        issues: [
          {
            path: "volunteerHours",
            message: `at most ${maxHours}: ${attended} volunteers × (${eventHours(event)} h event + ${PREPARATION_HOURS_ALLOWANCE} h)`,
          },
        ],
      });

    const values = {
      eventId,
      // The trigger overwrites these from the event itself; sent so the row type is complete.
      communityId: event.communityId,
      regionCode: event.communityCode,
      serviceType: event.serviceType,
      leadSocialWorkerId: event.leadSocialWorkerId,
      month: monthStart(shanghaiMonth(event.startsAt)),
      peopleServed: input.peopleServed ?? null,
      volunteersAttended: attended,
      volunteerHours: hours,
      notes: input.notes,
      remarks: input.remarks ?? null,
      updatedAt: now,
    };
    if (before) {
      await tx
        .update(outcomes)
        .set({ ...values, revision: sql`${outcomes.revision} + 1` })
        .where(eq(outcomes.eventId, eventId));
    } else {
      await tx
        .insert(outcomes)
        .values({ ...values, recordedBy: principal.accountId, createdAt: now });
    }
    await tx.delete(outcomeGroups).where(eq(outcomeGroups.eventId, eventId));
    const groups = Object.entries(input.personTimes)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([targetGroup, personTimes]) => ({
        eventId,
        targetGroup: targetGroup as TargetGroup,
        personTimes: personTimes ?? 0,
      }));
    if (groups.length) await tx.insert(outcomeGroups).values(groups);
    await tx.delete(outcomeVolunteers).where(eq(outcomeVolunteers.eventId, eventId));
    if (keys.length)
      await tx
        .insert(outcomeVolunteers)
        .values(keys.map((volunteerKey) => ({ eventId, volunteerKey })));
    if (event.status === "scheduled") {
      await tx
        .update(events)
        .set({ status: "completed", revision: sql`${events.revision} + 1`, updatedAt: now })
        .where(eq(events.id, eventId));
    }
    const after = await loadOutcome(tx, eventId);
    await recordAudit(tx, c, {
      action: before ? "update" : "create",
      entity: "outcome",
      entityId: eventId,
      before: before ?? undefined,
      after: { ...after, reason: input.reason },
    });
    return !before;
  });
  const outcome = await loadOutcome(c.var.db, eventId);
  if (!outcome) throw notFound("outcome");
  return { outcome, created };
}

/** The lead social worker signs the outcome off; from then on it counts in the tallies. */
export async function signOffOutcome(
  c: Context<AppEnv>,
  eventId: string,
  now = new Date(),
): Promise<OutcomeView> {
  await c.var.db.transaction(async (tx) => {
    await lockedEvent(tx, c, eventId);
    const [before] = await tx
      .select()
      .from(outcomes)
      .where(eq(outcomes.eventId, eventId))
      .for("update");
    if (!before) throw new AppError("NOT_FOUND", "no outcome has been recorded for this event yet");
    if (before.status === "signed_off") return;
    await tx
      .update(outcomes)
      .set({
        status: "signed_off",
        signedOffAt: now,
        signedOffBy: c.var.principal.accountId,
        revision: sql`${outcomes.revision} + 1`,
        updatedAt: now,
      })
      .where(eq(outcomes.eventId, eventId));
    await recordAudit(tx, c, {
      action: "sign_off",
      entity: "outcome",
      entityId: eventId,
      before: { status: before.status },
      after: { status: "signed_off", signedOffAt: now },
    });
  });
  const outcome = await loadOutcome(c.var.db, eventId);
  if (!outcome) throw notFound("outcome");
  return outcome;
}
