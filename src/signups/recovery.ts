import { and, desc, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import type { Queryable } from "../db/client";
import { events, recoveryRequests, signups } from "../db/schema";
import { maskMobile, normaliseMobile } from "../domain/mobile";
import { AppError } from "../lib/errors";
import {
  decryptPersonal,
  encryptPersonal,
  lookupHash,
  type PersonalDataKeys,
  randomToken,
  sha256Hex,
} from "../lib/personal-data";
import { codeWaitSeconds, oneTimeCode, RECOVERY_LIMITS, recoveryState } from "./recovery-rules";
import type { SignupStatus } from "./status";

/** A recovery request's address token: the same shape as a private link's. */
export const FLOW_TOKEN = /^[A-Za-z0-9_-]{20,80}$/;

export type RequestCodeResult =
  | { ok: true; flowToken: string; mobileMasked: string; send?: { to: string; code: string } }
  | { ok: false; retryAfterSeconds: number };

const codeHashOf = (keys: PersonalDataKeys, requestId: string, code: string) =>
  lookupHash(keys, `recovery:${requestId}:${code}`);

/**
 * Starts finding a number's sign-ups: one request row and, if the number has sign-ups, a code
 * to send (returned, never stored: only its keyed hash is). A number without sign-ups gets the
 * same answer and no SMS, so the page tells nobody whether a number signed up. At most one code
 * a minute and five an hour per number (counted here, under a lock per number).
 */
export async function requestRecoveryCode(
  caller: Caller,
  typedMobile: string,
): Promise<RequestCodeResult> {
  const mobile = normaliseMobile(typedMobile);
  if (!mobile)
    throw new AppError("VALIDATION_FAILED", "not a mobile number", {
      issues: [{ path: "mobile", message: "must be a mainland China mobile number" }],
    });
  const { now, keys } = caller;
  const mobileHash = await lookupHash(keys, mobile);
  const id = crypto.randomUUID();
  const code = oneTimeCode();
  const flowToken = randomToken(24);
  const flowTokenHash = await sha256Hex(flowToken);
  return caller.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`recovery:${mobileHash}`}))`);
    const recent = await tx
      .select({ createdAt: recoveryRequests.createdAt })
      .from(recoveryRequests)
      .where(
        and(
          eq(recoveryRequests.mobileHash, mobileHash),
          gt(recoveryRequests.createdAt, new Date(now.getTime() - 3_600_000)),
        ),
      );
    const wait = codeWaitSeconds(
      recent.map((row) => row.createdAt),
      now,
    );
    if (wait > 0) return { ok: false, retryAfterSeconds: wait };
    const [held] = await tx
      .select({ id: signups.id })
      .from(signups)
      .where(
        and(
          eq(signups.mobileHash, mobileHash),
          isNull(signups.anonymisedAt),
          ne(signups.status, "cancelled"),
        ),
      )
      .limit(1);
    const codeHash = await codeHashOf(keys, id, held ? code : randomToken(24));
    await tx.insert(recoveryRequests).values({
      id,
      flowTokenHash,
      mobileHash,
      mobileMasked: maskMobile(mobile),
      codeHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RECOVERY_LIMITS.codeTtlMs),
    });
    return {
      ok: true,
      flowToken,
      mobileMasked: maskMobile(mobile),
      send: held ? { to: mobile, code } : undefined,
    };
  });
}

export type VerifyResult =
  | { outcome: "verified" }
  | { outcome: "wrong"; attemptsLeft: number }
  | { outcome: "expired" | "exhausted" | "unknown" };

/**
 * Checks a code. Right: every current sign-up of the number gets a NEW private link (the new
 * token replaces the old one's hash, so copies of the old link stop working; the sealed copy
 * changes too, so later messages carry the new link), and the links are kept sealed for the list
 * page. Wrong: one attempt used (committed), five in all.
 */
export async function verifyRecoveryCode(
  caller: Caller,
  flowToken: string,
  code: string,
): Promise<VerifyResult> {
  const { now, keys } = caller;
  const flowTokenHash = await sha256Hex(flowToken);
  return caller.db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(recoveryRequests)
      .where(eq(recoveryRequests.flowTokenHash, flowTokenHash))
      .for("update");
    if (!request) return { outcome: "unknown" };
    const state = recoveryState(request, now);
    if (state === "verified") return { outcome: "verified" };
    if (state !== "awaiting_code") return { outcome: state };
    if ((await codeHashOf(keys, request.id, code)) !== request.codeHash) {
      const attempts = request.attempts + 1;
      await tx
        .update(recoveryRequests)
        .set({ attempts })
        .where(eq(recoveryRequests.id, request.id));
      const attemptsLeft = RECOVERY_LIMITS.maxAttempts - attempts;
      return attemptsLeft > 0 ? { outcome: "wrong", attemptsLeft } : { outcome: "exhausted" };
    }
    const links = await reissueLinks(tx, keys, request.mobileHash, now);
    await tx
      .update(recoveryRequests)
      .set({
        verifiedAt: now,
        expiresAt: new Date(now.getTime() + RECOVERY_LIMITS.listTtlMs),
        linksSealed: await encryptPersonal(keys, JSON.stringify(links)),
      })
      .where(eq(recoveryRequests.id, request.id));
    return { outcome: "verified" };
  });
}

interface IssuedLink {
  signupId: string;
  token: string;
}

/** New private links for a number's current sign-ups (most recent events first). */
async function reissueLinks(
  tx: Queryable,
  keys: PersonalDataKeys,
  mobileHash: string,
  now: Date,
): Promise<IssuedLink[]> {
  const held = await tx
    .select({ id: signups.id })
    .from(signups)
    .innerJoin(events, eq(events.id, signups.eventId))
    .where(
      and(
        eq(signups.mobileHash, mobileHash),
        isNull(signups.anonymisedAt),
        ne(signups.status, "cancelled"),
      ),
    )
    .orderBy(desc(events.startsAt))
    .limit(RECOVERY_LIMITS.maxSignups)
    .for("update", { of: signups });
  const links: IssuedLink[] = [];
  for (const { id } of held) {
    const token = randomToken(24);
    await tx
      .update(signups)
      .set({
        manageTokenHash: await sha256Hex(token),
        manageTokenSealed: await encryptPersonal(keys, token),
        updatedAt: now,
      })
      .where(eq(signups.id, id));
    links.push({ signupId: id, token });
  }
  return links;
}

export interface RecoveredSignup {
  token: string;
  eventId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: SignupStatus;
}

export type RecoveryView =
  | { state: "unknown" | "expired" | "exhausted" }
  | { state: "awaiting_code"; mobileMasked: string; attemptsLeft: number }
  | { state: "verified"; mobileMasked: string; signups: RecoveredSignup[] };

/** What the address /find/<token> shows now. */
export async function recoveryView(
  db: Queryable,
  keys: PersonalDataKeys,
  flowToken: string,
  now: Date,
): Promise<RecoveryView> {
  const [request] = await db
    .select()
    .from(recoveryRequests)
    .where(eq(recoveryRequests.flowTokenHash, await sha256Hex(flowToken)));
  if (!request) return { state: "unknown" };
  const state = recoveryState(request, now);
  if (state === "awaiting_code")
    return {
      state,
      mobileMasked: request.mobileMasked,
      attemptsLeft: RECOVERY_LIMITS.maxAttempts - request.attempts,
    };
  if (state !== "verified") return { state };
  const links = JSON.parse(
    request.linksSealed ? await decryptPersonal(keys, request.linksSealed) : "[]",
  ) as IssuedLink[];
  const tokenOf = new Map(links.map((link) => [link.signupId, link.token]));
  const rows =
    links.length === 0
      ? []
      : await db
          .select({
            id: signups.id,
            manageTokenHash: signups.manageTokenHash,
            status: signups.status,
            eventId: events.id,
            title: events.title,
            startsAt: events.startsAt,
            endsAt: events.endsAt,
          })
          .from(signups)
          .innerJoin(events, eq(events.id, signups.eventId))
          .where(inArray(signups.id, [...tokenOf.keys()]))
          .orderBy(desc(events.startsAt));
  const shown: RecoveredSignup[] = [];
  for (const row of rows) {
    const token = tokenOf.get(row.id);
    // A link re-issued again since (another verification) no longer opens anything: leave it out.
    if (!token || (await sha256Hex(token)) !== row.manageTokenHash) continue;
    const { eventId, title, startsAt, endsAt, status } = row;
    shown.push({ token, eventId, title, startsAt, endsAt, status });
  }
  return { state, mobileMasked: request.mobileMasked, signups: shown };
}

/** The Cron job's clean-up: requests a day past their expiry are forgotten. Returns the count. */
export async function forgetOldRecoveryRequests(db: Queryable, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 86_400_000);
  const gone = await db
    .delete(recoveryRequests)
    .where(lt(recoveryRequests.expiresAt, cutoff))
    .returning({ id: recoveryRequests.id });
  return gone.length;
}
