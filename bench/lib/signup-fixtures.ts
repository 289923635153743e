/**
 * What the sign-up benchmarks (bench/signups.ts, bench/profile-signups.ts) sign up for and send:
 * events far in the future and one well-formed sign-up per attempt.
 */
import { sql } from "drizzle-orm";
import type { ScriptDatabase } from "../../scripts/lib/database";
import type { LoadRequest } from "./load";

type Rows<T> = { rows: T[] };

/**
 * `count` events of `capacity` places from `firstDay` days ahead, one a day for the same lead so
 * that the no-overlap constraint never objects; returns their ids.
 */
export async function makeSignupEvents(
  db: ScriptDatabase,
  count: number,
  firstDay: number,
  capacity: number,
): Promise<string[]> {
  const [anchor] = (
    (await db.execute(
      sql`select (select id from communities order by id limit 1) as community_id,
                 (select id from social_workers order by id limit 1) as social_worker_id`,
    )) as unknown as Rows<{ community_id: string; social_worker_id: string }>
  ).rows;
  if (!anchor?.community_id || !anchor.social_worker_id) throw new Error("no demo data");
  const { rows } = (await db.execute(
    sql`insert into events (community_id, service_type, title, lead_social_worker_id,
                            starts_at, ends_at, capacity)
        select ${anchor.community_id}::uuid, 'counselling', '压测活动 ' || n, ${anchor.social_worker_id}::uuid,
               date_trunc('day', now()) + (n || ' days')::interval + interval '9 hours',
               date_trunc('day', now()) + (n || ' days')::interval + interval '11 hours',
               ${capacity}::int
        from generate_series(${firstDay}::int, ${firstDay + count - 1}::int) as n
        returning id`,
  )) as unknown as Rows<{ id: string }>;
  return rows.map((row) => row.id);
}

/** Attempts `first`… `first + count - 1`: attempt i to event i mod n, its own mobile number and client address. */
export function signUpRequests(
  url: string,
  eventIds: string[],
  count: number,
  first = 0,
): LoadRequest[] {
  return Array.from({ length: count }, (_, n) => first + n).map((i) => ({
    url: `${url}/api/v1/events/${eventIds[i % eventIds.length]}/signups`,
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      // Distinct addresses: the per-client limit (10 a minute) is not what this measures.
      "CF-Connecting-IP": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
    body: JSON.stringify({
      name: "压测志愿者",
      mobile: `137${String(i).padStart(8, "0")}`,
      consent: true,
    }),
  }));
}
