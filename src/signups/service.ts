import { and, eq, exists, inArray, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import type { Queryable } from "../db/client";
import { eventSignupCounters, events, signups } from "../db/schema";
import { sealMobile } from "../directory/volunteers/queries";
import { normaliseMobile } from "../domain/mobile";
import type { ServiceType } from "../domain/vocabulary";
import { AppError, notFound } from "../lib/errors";
import { encryptPersonal, randomToken, sha256Hex } from "../lib/personal-data";
import { enqueuePromotions } from "../notifications/outbox";
import { confirmationCode } from "./codes";
import type { SignupRow, SignupView } from "./queries";
import { toView } from "./queries";
import type { SignupStatus } from "./status";

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

/** Candidate codes per sign-up: the first not yet used at the event is taken. */
const CODE_CANDIDATES = 10;

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

type Sealed = Awaited<ReturnType<typeof sealMobile>>;

/**
 * One call of `signup_take` (migration 0025): the whole sign-up in one statement, so in one
 * round trip and its own transaction (or the caller's). Columns are read through the schema's
 * own column types, so dates come back as dates whatever the driver.
 */
async function takePlace(
  db: Queryable,
  input: SignUpInput,
  sealed: Sealed,
  token: { hash: string; sealed: string },
  now: Date,
) {
  const codes = Array.from({ length: CODE_CANDIDATES }, confirmationCode);
  const [taken] = await db
    .select({
      outcome: sql<"missing" | "refused" | "existing" | "created">`t.outcome`,
      signupId: sql<string | null>`t.signup_id`,
      status: sql<SignupStatus | null>`t.signup_status`,
      confirmationCode: sql<string | null>`t.signup_code`,
      waitlistPosition: sql<number | null>`t.waitlist_position`.mapWith(Number),
      eventStatus: sql<EventState["status"]>`t.event_status`,
      startsAt: sql`t.event_starts_at`.mapWith(events.startsAt),
      endsAt: sql`t.event_ends_at`.mapWith(events.endsAt),
      signupClosesAt: sql`t.event_closes_at`.mapWith(events.signupClosesAt),
    })
    .from(
      sql`signup_take(${input.eventId}::uuid, ${sql.param(now, signups.createdAt)}::timestamptz,
        ${input.name}, ${sealed.mobileCiphertext}, ${sealed.mobileHash}, ${sealed.mobileMasked},
        ${sql.param(input.skills, signups.skills)}::service_type[], ${token.hash}, ${token.sealed},
        string_to_array(${codes.join(",")}, ',')) as t`,
    );
  if (!taken) throw new Error("signup_take returned no row");
  return taken;
}

/**
 * Signs a volunteer up in one statement (`signup_take`): confirmed while places are left, else
 * waitlisted in arrival order, with its outbox message. A second submission with the same mobile
 * returns the first sign-up unchanged. The counter row lock orders concurrent sign-ups; the
 * counter's CHECK is the second line.
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
  const token = {
    hash: await sha256Hex(manageToken),
    // Sealed too, so that every message to this volunteer can carry the link (rendered at send).
    sealed: await encryptPersonal(caller.keys, manageToken),
  };
  const taken = await takePlace(caller.db, input, sealed, token, now);
  const { eventId } = input;
  if (taken.outcome === "missing") throw notFound("event");
  if (taken.outcome === "refused") {
    assertTakingSignUps({ ...taken, status: taken.eventStatus }, now);
    throw new Error("signup_take refused a sign-up that the service would take");
  }
  const { status, waitlistPosition, signupId, confirmationCode } = taken;
  if (!status || !signupId) throw new Error("signup_take returned no sign-up");
  if (taken.outcome === "existing")
    return { existing: true, signup: { eventId, status, waitlistPosition } };
  if (!confirmationCode) throw new Error("signup_take returned no confirmation code");
  const signup: SignupView = {
    id: signupId,
    eventId,
    name: input.name,
    mobile: sealed.mobileMasked,
    skills: input.skills,
    status,
    waitlistPosition,
    confirmationCode,
    createdAt: now,
    cancelledAt: null,
  };
  return { existing: false, signup, manageToken };
}

/**
 * Fills an event's free places from its waitlist, first come first served, and tells each
 * promoted volunteer; the one step every path that frees or adds a place (a cancellation, a
 * raised capacity) runs in its own transaction, after its change and with the event's counter
 * locked (lockCounter, or the capacity trigger's update). One statement reads the free places and
 * promotes; nothing moves once the event is no longer scheduled. Returns those promoted.
 */
export async function fillFreePlaces(tx: Queryable, eventId: string, now: Date) {
  const counter = eventSignupCounters;
  const free = sql`(select greatest(${counter.capacity} - ${counter.confirmed}, 0)
    from ${counter} where ${counter.eventId} = ${eventId})`;
  const firstWaiting = sql`(select ${signups.id} from ${signups}
    where ${signups.eventId} = ${eventId} and ${signups.status} = 'waitlisted'
    order by ${signups.waitlistSeq} limit ${free} for update)`;
  const scheduled = tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.status, "scheduled")));
  const promoted = await tx
    .update(signups)
    .set({ status: "confirmed", updatedAt: now })
    .where(and(inArray(signups.id, firstWaiting), exists(scheduled)))
    .returning();
  promoted.sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0));
  await enqueuePromotions(
    tx,
    promoted.map((row) => row.id),
  );
  return promoted.map((row) => toView(row, null));
}

/** The answer for a sign-up that was cancelled already (nothing changes) or attended (409). */
function alreadySettled(row: SignupRow): CancelResult {
  if (row.status === "attended")
    throw new AppError("CONFLICT", "an attended sign-up cannot be cancelled");
  return { signup: toView(row, null), changed: false, promoted: null };
}

/**
 * Cancels the sign-up behind a private link in one transaction; the place it held goes to the
 * first waitlisted volunteer in the same transaction. Once the event is over nothing changes.
 */
export async function cancelSignUp(caller: Caller, manageToken: string): Promise<CancelResult> {
  const { now } = caller;
  const tokenHash = await sha256Hex(manageToken);
  return caller.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ signup: signups, endsAt: events.endsAt })
      .from(signups)
      .innerJoin(events, eq(events.id, signups.eventId))
      .where(eq(signups.manageTokenHash, tokenHash));
    if (!found) throw notFound("sign-up");
    const before = found.signup;
    // Cancelled and attended are final: answered without a lock.
    if (before.status === "cancelled" || before.status === "attended")
      return alreadySettled(before);
    assertNotOver(found, now, "its sign-ups can no longer be cancelled");
    // Lock order as in signup_take (counter, then sign-up rows), so the two never deadlock.
    await lockCounter(tx, before.eventId);
    const [after] = await tx
      .update(signups)
      .set({ status: "cancelled", cancelledAt: now, updatedAt: now })
      .where(and(eq(signups.id, before.id), inArray(signups.status, ["confirmed", "waitlisted"])))
      .returning();
    if (!after) {
      // Cancelled or checked in by someone else since it was read.
      const [settled] = await tx.select().from(signups).where(eq(signups.id, before.id));
      if (!settled) throw notFound("sign-up");
      return alreadySettled(settled);
    }
    const promoted = await fillFreePlaces(tx, before.eventId, now);
    return { signup: toView(after, null), changed: true, promoted: promoted[0] ?? null };
  });
}
