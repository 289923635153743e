import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { signups } from "../db/schema";
import { findEvent } from "../events/queries";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { type SignupView, toView } from "./queries";
import { assertNotOver } from "./service";

/** Check-in opens at midnight, Beijing time, of the day the event starts. */
export function checkinOpensAt(startsAt: Date): Date {
  const beijing = new Date(startsAt.getTime() + SHANGHAI_OFFSET_MS);
  const midnight = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate());
  return new Date(midnight - SHANGHAI_OFFSET_MS);
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * 签到: marks the confirmed sign-up with this confirmation code attended, in one transaction
 * with its audit entry. Checking in twice is harmless; a waitlisted or cancelled code is a 409, as
 * is a check-in before the event's day (it would hold the place and stop the volunteer cancelling)
 * or once the event is over (attendance is then recorded with the outcome).
 */
export async function checkIn(
  actor: Actor,
  eventId: string,
  code: string,
): Promise<{ signup: SignupView; changed: boolean }> {
  const { now } = actor;
  return actor.db.transaction(async (tx) => {
    const event = await findEvent(tx, actor.principal.scope, eventId);
    if (!event) throw notFound("event");
    if (event.status === "cancelled")
      throw new AppError("CONFLICT", "the event was cancelled; nobody can check in");
    assertNotOver(event, now, "record who attended with its outcome");
    const [before] = await tx
      .select()
      .from(signups)
      .where(and(eq(signups.eventId, eventId), eq(signups.confirmationCode, code)))
      .for("update");
    if (!before)
      throw new AppError("NOT_FOUND", "no sign-up of this event has that confirmation code");
    if (before.status === "attended") return { signup: toView(before, null), changed: false };
    if (now < checkinOpensAt(event.startsAt))
      throw new AppError("CONFLICT", "check-in opens on the day of the event (Beijing time)", {
        details: { reason: "checkin_not_open" },
      });
    if (before.status !== "confirmed")
      throw new AppError(
        "CONFLICT",
        `the sign-up is ${before.status}, not confirmed; it cannot check in`,
        { details: { status: before.status } },
      );
    // confirmed → attended keeps the place held, so the counter does not move.
    const [after] = await tx
      .update(signups)
      .set({ status: "attended", updatedAt: now })
      .where(eq(signups.id, before.id))
      .returning();
    if (!after) throw new Error("sign-up vanished while locked");
    await recordAudit(tx, actor, {
      action: "checkin",
      entity: "signup",
      entityId: after.id,
      before: { status: before.status },
      after: { status: after.status },
    });
    return { signup: toView(after, null), changed: true };
  });
}
