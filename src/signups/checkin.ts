import { and, asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Queryable } from "../db/client";
import { signups } from "../db/schema";
import type { AppEnv } from "../env";
import { findEvent } from "../events/queries";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { type SignupView, toView } from "./queries";

/** The event, if the caller may see it (lead social worker, its coordinator, department, admin). */
async function eventInScope(tx: Queryable, c: Context<AppEnv>, eventId: string) {
  const event = await findEvent(tx, c.var.principal.scope, eventId);
  if (!event) throw notFound("event");
  return event;
}

/**
 * 签到: marks the confirmed sign-up with this confirmation code attended, in one transaction
 * with its audit entry. Checking in twice is harmless; a waitlisted or cancelled code is a 409.
 */
export async function checkIn(
  c: Context<AppEnv>,
  eventId: string,
  code: string,
  now = new Date(),
): Promise<{ signup: SignupView; changed: boolean }> {
  return c.var.db.transaction(async (tx) => {
    const event = await eventInScope(tx, c, eventId);
    if (event.status === "cancelled")
      throw new AppError("CONFLICT", "the event was cancelled; nobody can check in");
    const [before] = await tx
      .select()
      .from(signups)
      .where(and(eq(signups.eventId, eventId), eq(signups.confirmationCode, code)))
      .for("update");
    if (!before)
      throw new AppError("NOT_FOUND", "no sign-up of this event has that confirmation code");
    if (before.status === "attended") return { signup: toView(before, null), changed: false };
    if (before.status !== "confirmed")
      throw new AppError(
        "CONFLICT",
        `the sign-up is ${before.status}, not confirmed; it cannot check in`,
        {
          details: { status: before.status },
        },
      );
    // confirmed → attended keeps the place held, so the counter does not move.
    const [after] = await tx
      .update(signups)
      .set({ status: "attended", updatedAt: now })
      .where(eq(signups.id, before.id))
      .returning();
    if (!after) throw new Error("sign-up vanished while locked");
    await recordAudit(tx, c, {
      action: "checkin",
      entity: "signup",
      entityId: after.id,
      before: { status: before.status },
      after: { status: after.status },
    });
    return { signup: toView(after, null), changed: true };
  });
}

/** The event's sign-ups for staff: masked mobiles, statuses, waitlist positions; in arrival order. */
export async function listEventSignups(c: Context<AppEnv>, eventId: string): Promise<SignupView[]> {
  const db = c.var.db;
  await eventInScope(db, c, eventId);
  const rows = await db
    .select()
    .from(signups)
    .where(eq(signups.eventId, eventId))
    .orderBy(asc(signups.createdAt), asc(signups.id));
  const waitlist = rows
    .filter((row) => row.status === "waitlisted")
    .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0));
  return rows.map((row) =>
    toView(row, row.status === "waitlisted" ? waitlist.indexOf(row) + 1 : null),
  );
}
