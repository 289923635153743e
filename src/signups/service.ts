import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import type { Queryable } from "../db/client";
import { eventSignupCounters, events, signups } from "../db/schema";
import { sealMobile } from "../directory/volunteers/queries";
import { normaliseMobile } from "../domain/mobile";
import type { ServiceType } from "../domain/vocabulary";
import { AppError, notFound } from "../lib/errors";
import { encryptPersonal, randomToken, sha256Hex } from "../lib/personal-data";
import { enqueueSignupNotification } from "../notifications/outbox";
import { confirmationCode } from "./codes";
import { codeTaken, findByToken, type SignupView, toView, waitlistPosition } from "./queries";

export interface SignUpInput {
  eventId: string;
  name: string;
  /** As typed; normalised here (spaces, dashes, +86) and refused if not a mainland mobile. */
  mobile: string;
  skills: ServiceType[];
  consent: true;
}

export type SignUpResult =
  | { existing: false; signup: SignupView; manageToken: string }
  // No id: whoever knows a number learns only that it is signed up, which de-duplication implies.
  | { existing: true; signup: Pick<SignupView, "eventId" | "status" | "waitlistPosition"> };

export interface CancelResult {
  signup: SignupView;
  /** False when the sign-up had been cancelled before (cancelling twice changes nothing). */
  changed: boolean;
  /** The waitlisted sign-up that took the freed place, if any. */
  promoted: SignupView | null;
}

type EventState = Pick<
  typeof events.$inferSelect,
  "status" | "startsAt" | "endsAt" | "signupClosesAt"
>;

/** 409 unless the event still takes sign-ups: scheduled, not over, before its closing time. */
export function assertTakingSignUps(event: EventState, now: Date): void {
  if (event.status === "cancelled")
    throw new AppError("CONFLICT", "the event was cancelled and takes no sign-ups", {
      details: { reason: "event_cancelled" },
    });
  const closesAt = event.signupClosesAt ?? event.startsAt;
  if (event.status !== "scheduled" || event.endsAt <= now || closesAt <= now)
    throw new AppError("CONFLICT", "sign-ups for this event are closed", {
      details: { reason: "signups_closed" },
    });
}

/** 409 once an event has ended: its sign-ups, places and attendance no longer change. */
export function assertNotOver(event: { endsAt: Date }, now: Date, what: string): void {
  if (event.endsAt <= now)
    throw new AppError("CONFLICT", `the event is over; ${what}`, {
      details: { reason: "event_over" },
    });
}

async function freeConfirmationCode(tx: Queryable, eventId: string): Promise<string> {
  // Sign-ups of one event run one at a time (the counter lock), so a free code stays free.
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = confirmationCode();
    if (!(await codeTaken(tx, eventId, code))) return code;
  }
  throw new Error("no free confirmation code after 10 attempts");
}

/** Locks the event's counter row: every change of one event's places queues here. */
export async function lockCounter(tx: Queryable, eventId: string) {
  const [counter] = await tx
    .select()
    .from(eventSignupCounters)
    .where(eq(eventSignupCounters.eventId, eventId))
    .for("update");
  if (!counter) throw new Error(`event ${eventId} has no sign-up counter`);
  return counter;
}

/**
 * Signs a volunteer up in one transaction: confirmed while places are left, else waitlisted in
 * arrival order. A second submission with the same mobile returns the first sign-up unchanged.
 * The counter row lock orders concurrent sign-ups; the counter's CHECK is the second line.
 */
export async function signUp(caller: Caller, input: SignUpInput): Promise<SignUpResult> {
  const { now } = caller;
  // The web form calls this too: check again rather than trust every caller to have validated.
  const mobile = normaliseMobile(input.mobile);
  if (!mobile)
    throw new AppError("VALIDATION_FAILED", "the sign-up is not valid", {
      issues: [{ path: "mobile", message: "must be a mainland China mobile number" }],
    });
  if (input.consent !== true)
    throw new AppError("VALIDATION_FAILED", "the sign-up is not valid", {
      issues: [{ path: "consent", message: "consent to the privacy notice is required" }],
    });
  const sealed = await sealMobile(caller.keys, mobile);
  const manageToken = randomToken(24);
  const manageTokenHash = await sha256Hex(manageToken);
  // Sealed too, so that every message to this volunteer can carry the link (rendered at send).
  const manageTokenSealed = await encryptPersonal(caller.keys, manageToken);
  return caller.db.transaction(async (tx) => {
    // FOR SHARE: the event cannot be cancelled or moved while this sign-up is being taken.
    const [event] = await tx
      .select({
        status: events.status,
        startsAt: events.startsAt,
        endsAt: events.endsAt,
        signupClosesAt: events.signupClosesAt,
      })
      .from(events)
      .where(eq(events.id, input.eventId))
      .for("share");
    if (!event) throw notFound("event");
    assertTakingSignUps(event, now);
    const counter = await lockCounter(tx, input.eventId);
    const [existing] = await tx
      .select()
      .from(signups)
      .where(
        and(
          eq(signups.eventId, input.eventId),
          eq(signups.mobileHash, sealed.mobileHash),
          ne(signups.status, "cancelled"),
        ),
      );
    if (existing) {
      const position = await waitlistPosition(tx, existing);
      const { eventId, status } = existing;
      return { existing: true, signup: { eventId, status, waitlistPosition: position } };
    }
    const status = counter.confirmed < counter.capacity ? "confirmed" : "waitlisted";
    const [row] = await tx
      .insert(signups)
      .values({
        eventId: input.eventId,
        name: input.name,
        ...sealed,
        skills: input.skills,
        status,
        waitlistSeq: status === "waitlisted" ? sql`nextval('signup_waitlist_seq')` : null,
        confirmationCode: await freeConfirmationCode(tx, input.eventId),
        manageTokenHash,
        manageTokenSealed,
        consentAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("sign-up insert returned no row");
    const position = await waitlistPosition(tx, row);
    if (status === "confirmed") await enqueueSignupNotification(tx, "signup_confirmed", row.id);
    else await enqueueSignupNotification(tx, "waitlisted", row.id, { waitlistPosition: position });
    return { existing: false, signup: toView(row, position), manageToken };
  });
}

/**
 * Fills an event's free places from its waitlist, first come first served, and tells each
 * promoted volunteer; the one step every path that frees or adds a place (a cancellation, a
 * raised capacity) runs in its own transaction. Locks the counter; returns those promoted.
 * Nothing moves once the event is no longer scheduled.
 */
export async function fillFreePlaces(tx: Queryable, eventId: string, now: Date) {
  const counter = await lockCounter(tx, eventId);
  const free = counter.capacity - counter.confirmed;
  if (free <= 0) return [];
  const [event] = await tx
    .select({ status: events.status })
    .from(events)
    .where(eq(events.id, eventId));
  if (event?.status !== "scheduled") return [];
  const next = tx
    .select({ id: signups.id })
    .from(signups)
    .where(and(eq(signups.eventId, eventId), eq(signups.status, "waitlisted")))
    .orderBy(asc(signups.waitlistSeq))
    .limit(free)
    .for("update");
  const promoted = await tx
    .update(signups)
    .set({ status: "confirmed", updatedAt: now })
    .where(inArray(signups.id, next))
    .returning();
  promoted.sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0));
  for (const row of promoted) await enqueueSignupNotification(tx, "promoted", row.id);
  return promoted.map((row) => toView(row, null));
}

/**
 * Cancels the sign-up behind a private link in one transaction; the place it held goes to the
 * first waitlisted volunteer in the same transaction. Once the event is over nothing changes.
 */
export async function cancelSignUp(caller: Caller, manageToken: string): Promise<CancelResult> {
  const { now } = caller;
  return caller.db.transaction(async (tx) => {
    const found = await findByToken(tx, manageToken);
    if (!found) throw notFound("sign-up");
    // Lock order as in signUp (counter, then sign-up rows), so the two never deadlock.
    await lockCounter(tx, found.eventId);
    const [before] = await tx.select().from(signups).where(eq(signups.id, found.id)).for("update");
    if (!before) throw notFound("sign-up");
    if (before.status === "cancelled")
      return { signup: toView(before, null), changed: false, promoted: null };
    if (before.status === "attended")
      throw new AppError("CONFLICT", "an attended sign-up cannot be cancelled");
    const [event] = await tx
      .select({ endsAt: events.endsAt })
      .from(events)
      .where(eq(events.id, before.eventId));
    if (event) assertNotOver(event, now, "its sign-ups can no longer be cancelled");
    const [after] = await tx
      .update(signups)
      .set({ status: "cancelled", cancelledAt: now, updatedAt: now })
      .where(eq(signups.id, before.id))
      .returning();
    if (!after) throw new Error("sign-up vanished while locked");
    const promoted = await fillFreePlaces(tx, before.eventId, now);
    return { signup: toView(after, null), changed: true, promoted: promoted[0] ?? null };
  });
}
