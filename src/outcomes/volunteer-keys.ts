import { and, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { events, signups, volunteerKeys, volunteers } from "../db/schema";

/** An attendee's surrogate key; `volunteerId` when it came from a ticked directory volunteer. */
export interface AttendeeKey {
  volunteerId: string | null;
  key: string;
}

/**
 * The surrogate keys of an event's known attendees, in one statement: checked-in sign-ups keep the
 * key they were given (so a re-recording after retention counts the same people), the others and
 * the ticked directory volunteers get their mobile hash's key, made on first sight.
 */
export async function attendeeKeys(
  tx: Queryable,
  eventId: string,
  volunteerIds: string[],
): Promise<AttendeeKey[]> {
  const ticked = volunteerIds.length ? inArray(volunteers.id, volunteerIds) : sql`false`;
  const result = (await tx.execute(sql`
    with attended as (
      select id, mobile_hash, volunteer_key from ${signups}
       where event_id = ${eventId} and status = 'attended'
    ), ticked as (
      select id, mobile_hash from ${volunteers} where ${ticked}
    ), keyed as (
      -- In hash order, so that two outcomes sharing people lock their keys in the same order.
      insert into ${volunteerKeys} as k (mobile_hash)
      select mobile_hash from attended where volunteer_key is null
       union select mobile_hash from ticked
       order by mobile_hash
      -- Updating to the same value makes RETURNING give the existing key too.
      on conflict (mobile_hash) do update set mobile_hash = excluded.mobile_hash
      returning k.key, k.mobile_hash
    ), given as (
      update ${signups} s set volunteer_key = keyed.key
        from attended a join keyed using (mobile_hash)
       where s.id = a.id and a.volunteer_key is null
      returning s.volunteer_key as key
    )
    select null::uuid as volunteer_id, volunteer_key as key from attended
     where volunteer_key is not null
    union all select null, key from given
    union all select t.id, keyed.key from ticked t join keyed using (mobile_hash)`)) as unknown as {
    rows: { volunteer_id: string | null; key: string }[];
  };
  return result.rows.map((row) => ({ volunteerId: row.volunteer_id, key: row.key }));
}

/**
 * Gives the checked-in, not yet anonymised sign-ups of events that ended before `cutoff` their
 * surrogate key, before retention replaces their mobile hash: an outcome recorded (or re-recorded)
 * later still counts them as the people they were.
 */
export async function keepAttendeeKeys(tx: Queryable, cutoff: Date): Promise<void> {
  await tx.execute(sql`
    with due as (
      select id, mobile_hash from ${signups}
       where status = 'attended' and anonymised_at is null and volunteer_key is null
         and event_id in (select id from ${events} where ends_at < ${cutoff.toISOString()}::timestamptz)
    ), keyed as (
      insert into ${volunteerKeys} as k (mobile_hash)
      select distinct mobile_hash from due order by mobile_hash
      on conflict (mobile_hash) do update set mobile_hash = excluded.mobile_hash
      returning k.key, k.mobile_hash
    )
    update ${signups} s set volunteer_key = keyed.key
      from due join keyed using (mobile_hash)
     where s.id = due.id`);
}

/**
 * Forgets which mobile hash each surrogate key stood for once no live sign-up and no directory
 * volunteer holds that hash: the key keeps counting once, and nothing left can tie it to a number.
 * Returns how many links went.
 */
export async function forgetUnheldKeys(tx: Queryable, now: Date): Promise<number> {
  const liveSignup = tx
    .select({ one: sql`1` })
    .from(signups)
    .where(and(eq(signups.mobileHash, volunteerKeys.mobileHash), isNull(signups.anonymisedAt)));
  const listed = tx
    .select({ one: sql`1` })
    .from(volunteers)
    .where(eq(volunteers.mobileHash, volunteerKeys.mobileHash));
  const forgotten = await tx
    .update(volunteerKeys)
    .set({ mobileHash: null, forgottenAt: now })
    .where(and(isNotNull(volunteerKeys.mobileHash), notExists(liveSignup), notExists(listed)))
    .returning({ key: volunteerKeys.key });
  return forgotten.length;
}
