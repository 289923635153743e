import { and, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Caller } from "../auth/actor";
import { events, signups } from "../db/schema";
import { recordAudit } from "../lib/audit";
import { forgetUnheldKeys, keepAttendeeKeys } from "../outcomes/volunteer-keys";

/** What stands in for a volunteer's name once their personal data is gone. */
export const ANONYMISED_NAME = "已删除";

/** 64 random hex digits: unique (so the UNIQUE indexes hold) and linked to nobody. */
const randomHex64 = sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`;

/**
 * Anonymises the sign-ups of events that ended more than `retentionDays` days before `now`
 * (SPEC §6): the name becomes 已删除, the mobile's ciphertext and mask are cleared, its keyed hash
 * and the private link's hash become random, its sealed copy is cleared. Rows and statuses stay, so counts and tallies do not
 * change. Checked-in sign-ups first get their surrogate volunteer key (kept on the row), and every
 * key whose mobile hash no live sign-up or directory volunteer holds any more loses that link, so
 * distinct counts stay as they were while nothing stored can be computed from the number. One
 * audit entry records how many, never whose. Returns the count.
 */
export async function anonymiseExpiredSignups(
  caller: Caller,
  retentionDays: number,
): Promise<number> {
  const { now } = caller;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return caller.db.transaction(async (tx) => {
    await keepAttendeeKeys(tx, cutoff);
    const ended = tx.select({ id: events.id }).from(events).where(lt(events.endsAt, cutoff));
    const changed = await tx
      .update(signups)
      .set({
        name: ANONYMISED_NAME,
        mobileCiphertext: "",
        mobileMasked: "",
        mobileHash: randomHex64,
        manageTokenHash: randomHex64,
        manageTokenSealed: null,
        anonymisedAt: now,
        updatedAt: now,
      })
      .where(and(isNull(signups.anonymisedAt), inArray(signups.eventId, ended)))
      .returning({ id: signups.id });
    if (changed.length > 0) {
      const keysForgotten = await forgetUnheldKeys(tx, now);
      await recordAudit(tx, caller, {
        action: "anonymise",
        entity: "signup",
        entityId: null,
        after: {
          count: changed.length,
          keysForgotten,
          retentionDays,
          eventsEndedBefore: cutoff.toISOString(),
        },
      });
    }
    return changed.length;
  });
}
