import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import { requestMessages, requests } from "../db/schema";
import { recordAudit } from "../lib/audit";

/** A request still open this long after it arrived loses its mobile all the same. */
const OPEN_REQUEST_RETENTION_DAYS = 365;

/**
 * Removes requesters' personal data like sign-ups' (SPEC §6): `retentionDays` after a request
 * was resolved or answered (or a year after it arrived, if never closed), its mobile's
 * ciphertext, keyed hash and mask and the private link's sealed copy are cleared, and its unsent
 * messages withdrawn. The request, its steps and its figures stay; the link still shows progress.
 * One audit entry records how many, never whose.
 */
export async function anonymiseExpiredRequests(
  caller: Caller,
  retentionDays: number,
): Promise<number> {
  const { now } = caller;
  const closedBefore = new Date(now.getTime() - retentionDays * 86_400_000);
  const openedBefore = new Date(now.getTime() - OPEN_REQUEST_RETENTION_DAYS * 86_400_000);
  return caller.db.transaction(async (tx) => {
    const changed = await tx
      .update(requests)
      .set({
        mobileCiphertext: null,
        mobileHash: null,
        mobileMasked: null,
        tokenSealed: null,
        anonymisedAt: now,
      })
      .where(
        and(
          isNull(requests.anonymisedAt),
          or(lt(requests.resolvedAt, closedBefore), lt(requests.createdAt, openedBefore)),
        ),
      )
      .returning({ id: requests.id });
    if (changed.length === 0) return 0;
    await tx
      .update(requestMessages)
      .set({ status: "withdrawn" })
      .where(
        and(
          eq(requestMessages.status, "pending"),
          eq(requestMessages.audience, "requester"),
          sql`${requestMessages.requestId} in (select id from ${requests} where ${requests.anonymisedAt} = ${now.toISOString()}::timestamptz)`,
        ),
      );
    await recordAudit(tx, caller, {
      action: "anonymise",
      entity: "request",
      entityId: null,
      after: { count: changed.length, retentionDays },
    });
    return changed.length;
  });
}
