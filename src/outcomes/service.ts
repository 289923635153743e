import { eq, sql } from "drizzle-orm";
import { type Actor, within } from "../auth/actor";
import type { Scope } from "../auth/principal";
import type { Queryable } from "../db/client";
import { events, outcomeGroups, outcomes, outcomeVolunteers } from "../db/schema";
import { monthStart, shanghaiMonth } from "../domain/months";
import type { TargetGroup } from "../domain/vocabulary";
import { type EventRow, findEvent } from "../events/queries";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { resolveRequestsOfEvent } from "../requests/service";
import { loadOutcome, type OutcomeView } from "./queries";
import type { RecordOutcomeInput } from "./schemas";
import { attendeeKeys } from "./volunteer-keys";

/**
 * Time a volunteer may be credited beyond the event itself (getting there, setting up), per
 * person. Volunteer hours above attendance × (event length + this) are refused.
 */
export const PREPARATION_HOURS_ALLOWANCE = 1;

/** The event, in the caller's scope, locked; 404 otherwise. */
export async function lockedEvent(tx: Queryable, scope: Scope, eventId: string) {
  const event = await findEvent(tx, scope, eventId, { forUpdate: true });
  if (!event) throw notFound("event");
  return event;
}

/**
 * The surrogate keys of the volunteers known to have attended: checked in, or ticked by id (each
 * of which must be in the directory).
 */
async function knownAttendees(
  tx: Queryable,
  eventId: string,
  volunteerIds: string[],
): Promise<string[]> {
  const rows = await attendeeKeys(tx, eventId, volunteerIds);
  const found = new Set(rows.map((row) => row.volunteerId));
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
  return [...new Set(rows.map((row) => row.key))];
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
  actor: Actor,
  eventId: string,
  input: RecordOutcomeInput,
): Promise<{ outcome: OutcomeView; created: boolean }> {
  const { now } = actor;
  const principal = actor.principal;
  const created = await actor.db.transaction(async (tx) => {
    const event = await lockedEvent(tx, actor.principal.scope, eventId);
    if (event.status === "cancelled")
      throw new AppError("CONFLICT", "the event was cancelled; it has no outcome to record");
    // Recorded once the event is over: marking it completed earlier would stop its waitlist.
    if (now < event.endsAt)
      throw new AppError("CONFLICT", "the event has not ended yet; record its outcome after it", {
        details: { reason: "event_not_over" },
      });
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
    const keys = await knownAttendees(tx, eventId, input.volunteerIds);
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
    // Asked after the row is written, so that a closed month answers as closed (the trigger).
    if ((attended === 0 || hours === 0) && !input.confirmNoVolunteers)
      throw new AppError(
        "CONFLICT",
        attended === 0
          ? "people were served with no volunteer attending: give volunteersAttended, or confirm " +
              "with confirmNoVolunteers: true"
          : "volunteers attended with no volunteer hours: give volunteerHours, or confirm with " +
              "confirmNoVolunteers: true",
        { details: { reason: attended === 0 ? "no_volunteers" : "no_volunteer_hours" } },
      );
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
    await recordAudit(tx, actor, {
      action: before ? "update" : "create",
      entity: "outcome",
      entityId: eventId,
      before: before ?? undefined,
      after: {
        ...after,
        reason: input.reason,
        ...(input.confirmNoVolunteers ? { confirmNoVolunteers: true } : {}),
      },
    });
    return !before;
  });
  const outcome = await loadOutcome(actor.db, eventId);
  if (!outcome) throw notFound("outcome");
  return { outcome, created };
}

/**
 * Signs an outcome off; from then on it counts in the tallies. The lead social worker signs their
 * own events' outcomes; an admin may sign off in their place, with a reason (kept in the audit
 * log), e.g. when the lead has left. Signing twice changes nothing.
 */
export async function signOffOutcome(
  actor: Actor,
  eventId: string,
  input: { reason?: string } = {},
): Promise<OutcomeView> {
  const { now, principal } = actor;
  if (principal.role !== "social_worker" && principal.role !== "admin")
    throw new AppError("FORBIDDEN", "the lead social worker signs the outcome off (or an admin)");
  if (principal.role === "admin" && !input.reason)
    throw new AppError("VALIDATION_FAILED", "say why an admin signs off in the lead's place", {
      issues: [{ path: "reason", message: "required when an admin signs off" }],
    });
  await actor.db.transaction(async (tx) => {
    await lockedEvent(tx, principal.scope, eventId);
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
        signedOffBy: principal.accountId,
        revision: sql`${outcomes.revision} + 1`,
        updatedAt: now,
      })
      .where(eq(outcomes.eventId, eventId));
    // Requests (问需) that became this event's need are resolved, their requesters told.
    await resolveRequestsOfEvent(within(actor, tx), eventId);
    await recordAudit(tx, actor, {
      action: "sign_off",
      entity: "outcome",
      entityId: eventId,
      before: { status: before.status },
      after: {
        status: "signed_off",
        signedOffAt: now,
        ...(principal.role === "admin" ? { byAdmin: true, reason: input.reason } : {}),
      },
    });
  });
  const outcome = await loadOutcome(actor.db, eventId);
  if (!outcome) throw notFound("outcome");
  return outcome;
}
