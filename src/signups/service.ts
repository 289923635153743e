import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { eventSignupCounters, events, signups } from "../db/schema";
import { sealMobile } from "../directory/volunteers/queries";
import { normaliseMobile } from "../domain/mobile";
import type { ServiceType } from "../domain/vocabulary";
import { AppError, notFound } from "../lib/errors";
import { type PersonalDataKeys, randomToken, sha256Hex } from "../lib/personal-data";
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

async function freeConfirmationCode(tx: Queryable, eventId: string): Promise<string> {
  // Sign-ups of one event run one at a time (the counter lock), so a free code stays free.
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = confirmationCode();
    if (!(await codeTaken(tx, eventId, code))) return code;
  }
  throw new Error("no free confirmation code after 10 attempts");
}

/** Locks the event's counter row: every sign-up and cancellation of one event queues here. */
async function lockCounter(tx: Queryable, eventId: string) {
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
export async function signUp(
  db: Queryable,
  keys: PersonalDataKeys,
  input: SignUpInput,
  now = new Date(),
): Promise<SignUpResult> {
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
  const sealed = await sealMobile(keys, mobile);
  const manageToken = randomToken(24);
  const manageTokenHash = await sha256Hex(manageToken);
  return db.transaction(async (tx) => {
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

/** Moves the first on the waitlist (lowest waitlistSeq) into a freed place; caller holds the lock. */
async function promoteFirstWaitlisted(tx: Queryable, eventId: string, now: Date) {
  const [next] = await tx
    .select({ id: signups.id })
    .from(signups)
    .where(and(eq(signups.eventId, eventId), eq(signups.status, "waitlisted")))
    .orderBy(asc(signups.waitlistSeq))
    .limit(1)
    .for("update");
  if (!next) return null;
  const [promoted] = await tx
    .update(signups)
    .set({ status: "confirmed", updatedAt: now })
    .where(eq(signups.id, next.id))
    .returning();
  return promoted ? toView(promoted, null) : null;
}

/**
 * Cancels the sign-up behind a private link in one transaction; if it held a place and the event
 * is still ahead, the first waitlisted volunteer is promoted in the same transaction.
 */
export async function cancelSignUp(
  db: Queryable,
  manageToken: string,
  now = new Date(),
): Promise<CancelResult> {
  return db.transaction(async (tx) => {
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
    const [after] = await tx
      .update(signups)
      .set({ status: "cancelled", cancelledAt: now, updatedAt: now })
      .where(eq(signups.id, before.id))
      .returning();
    if (!after) throw new Error("sign-up vanished while locked");
    const [event] = await tx
      .select({ status: events.status, endsAt: events.endsAt })
      .from(events)
      .where(eq(events.id, before.eventId));
    const freesPlace =
      before.status === "confirmed" && event?.status === "scheduled" && event.endsAt > now;
    const promoted = freesPlace ? await promoteFirstWaitlisted(tx, before.eventId, now) : null;
    if (promoted) await enqueueSignupNotification(tx, "promoted", promoted.id);
    return { signup: toView(after, null), changed: true, promoted };
  });
}
