import { sql } from "drizzle-orm";
import type { Queryable } from "../../../src/db/client";

/*
 * Everything of one world the checks look at, read straight from the database in one statement
 * (one round trip, one consistent snapshot): its events with their teams and counters, sign-ups,
 * notifications, needs, outcomes, closed months, audit entries, and the differences between its
 * trigger-kept tally rollups and the same rows rebuilt from the outcome records.
 */

export interface SnapEvent {
  id: string;
  status: string;
  start: string;
  end: string;
  capacity: number;
  closes: string | null;
  revision: number;
  leadResponse: string;
  needId: string | null;
  lead: string;
  title: string;
  updatedAt: string;
  cancelReason: string | null;
  counter: { capacity: number; confirmed: number } | null;
  teams: { team: string; active: boolean; start: string; end: string }[];
}

export interface SnapSignup {
  id: string;
  event: string;
  status: string;
  waitlistSeq: number | null;
  code: string;
  mobileHash: string;
  updatedAt: string;
  cancelledAt: string | null;
}

export interface SnapNotification {
  id: string;
  kind: string;
  signup: string;
  event: string;
  status: string;
  about: string | null;
  payloadStart: string;
  attempts: number;
  sentAt: string | null;
}

export interface Snapshot {
  events: SnapEvent[];
  signups: SnapSignup[];
  notifications: SnapNotification[];
  needs: { id: string; status: string; updatedAt: string }[];
  outcomes: { event: string; status: string; revision: number; detail: unknown }[];
  locks: string[];
  audit: { entity: string; id: string; action: string }[];
  tallyDiff: { side: string; tbl: string; row: unknown }[];
}

const agg = (inner: string, order: string, from: string) =>
  `(select coalesce(json_agg(${inner} order by ${order}), '[]'::json) from ${from})`;

/** The fine rollups of one community, all-zero rows left out, as (table, row) pairs. */
function kept(community: string) {
  const nonZero = (...cols: string[]) => cols.map((c) => `${c} <> 0`).join(" or ");
  return `
    select 'tally_rollup' tbl, to_jsonb(r) row from (select community_id, month,
      service_type, adjustment, events, person_times, volunteers_attended, volunteer_hours
      from tally_rollup where community_id = ${community} and (${nonZero("events", "person_times", "volunteers_attended", "volunteer_hours")})) r
    union all select 'tally_group_rollup', to_jsonb(r) from (select community_id, month,
      service_type, target_group, adjustment, events, person_times from tally_group_rollup
      where community_id = ${community} and (${nonZero("events", "person_times")})) r
    union all select 'tally_social_workers', to_jsonb(r) from (select community_id, month,
      service_type, social_worker_id, events from tally_social_workers
      where community_id = ${community} and events <> 0) r
    union all select 'tally_volunteers', to_jsonb(r) from (select community_id, month,
      service_type, volunteer_key, events from tally_volunteers
      where community_id = ${community} and events <> 0) r`;
}

/** What tally_rebuild() (migration 0009) computes, for one community only. */
function rebuilt(community: string) {
  return `
    select 'tally_rollup' tbl, to_jsonb(r) row from (
      select o.community_id, o.month, o.service_type, false adjustment, count(*)::int events,
        coalesce(sum(g.total), 0)::bigint person_times,
        sum(o.volunteers_attended)::bigint volunteers_attended,
        sum(o.volunteer_hours)::numeric(12, 1) volunteer_hours
      from outcomes o left join (select event_id, sum(person_times) total from outcome_groups
        group by event_id) g on g.event_id = o.event_id
      where o.status = 'signed_off' and o.community_id = ${community}
      group by o.community_id, o.month, o.service_type) r
    union all select 'tally_group_rollup', to_jsonb(r) from (
      select o.community_id, o.month, o.service_type, g.target_group, false adjustment,
        (count(*) filter (where g.person_times > 0))::int events, sum(g.person_times)::bigint person_times
      from outcomes o join outcome_groups g on g.event_id = o.event_id
      where o.status = 'signed_off' and o.community_id = ${community}
      group by o.community_id, o.month, o.service_type, g.target_group
      having count(*) filter (where g.person_times > 0) <> 0 or sum(g.person_times) <> 0) r
    union all select 'tally_social_workers', to_jsonb(r) from (
      select o.community_id, o.month, o.service_type, o.lead_social_worker_id social_worker_id,
        count(*)::int events
      from outcomes o where o.status = 'signed_off' and o.community_id = ${community}
      group by o.community_id, o.month, o.service_type, o.lead_social_worker_id) r
    union all select 'tally_volunteers', to_jsonb(r) from (
      select o.community_id, o.month, o.service_type, v.volunteer_key, count(*)::int events
      from outcomes o join outcome_volunteers v on v.event_id = o.event_id
      where o.status = 'signed_off' and o.community_id = ${community}
      group by o.community_id, o.month, o.service_type, v.volunteer_key) r`;
}

function statement(communityId: string, regionCode: string) {
  const c = `'${communityId}'::uuid`;
  const code = `'${regionCode}'`;
  const ev = `(select id from events where community_id = ${c})`;
  const teams = agg(
    "json_build_object('team', t.team_id, 'active', t.active, 'start', t.starts_at, 'end', t.ends_at)",
    "t.team_id",
    "event_teams t where t.event_id = e.id",
  );
  return `select
    ${agg(
      `json_build_object('id', e.id, 'status', e.status, 'start', e.starts_at, 'end', e.ends_at,
        'capacity', e.capacity, 'closes', e.signup_closes_at, 'revision', e.revision,
        'leadResponse', e.lead_response, 'needId', e.need_id, 'lead', e.lead_social_worker_id,
        'title', e.title, 'updatedAt', e.updated_at, 'cancelReason', e.cancel_reason,
        'counter', (select json_build_object('capacity', k.capacity, 'confirmed', k.confirmed)
          from event_signup_counters k where k.event_id = e.id), 'teams', ${teams})`,
      "e.id",
      `events e where e.community_id = ${c}`,
    )} events,
    ${agg(
      `json_build_object('id', s.id, 'event', s.event_id, 'status', s.status,
        'waitlistSeq', s.waitlist_seq, 'code', s.confirmation_code, 'mobileHash', s.mobile_hash,
        'updatedAt', s.updated_at, 'cancelledAt', s.cancelled_at)`,
      "s.id",
      `signups s where s.event_id in ${ev}`,
    )} signups,
    ${agg(
      `json_build_object('id', n.id, 'kind', n.kind, 'signup', n.signup_id, 'event', n.event_id,
        'status', n.status, 'about', n.about_starts_at, 'payloadStart', n.payload->>'startsAt',
        'attempts', n.attempts, 'sentAt', n.sent_at)`,
      "n.id",
      `notifications n where n.event_id in ${ev}`,
    )} notifications,
    ${agg(
      "json_build_object('id', d.id, 'status', d.status, 'updatedAt', d.updated_at)",
      "d.id",
      `needs d where d.community_id = ${c}`,
    )} needs,
    ${agg(
      `json_build_object('event', o.event_id, 'status', o.status, 'revision', o.revision,
        'detail', json_build_object('row', to_jsonb(o) - 'status' - 'revision',
          'groups', (select json_agg(to_jsonb(g) order by g.target_group) from outcome_groups g where g.event_id = o.event_id),
          'volunteers', (select json_agg(v.volunteer_key order by v.volunteer_key) from outcome_volunteers v where v.event_id = o.event_id)))`,
      "o.event_id",
      `outcomes o where o.event_id in ${ev}`,
    )} outcomes,
    ${agg("to_char(l.month, 'YYYY-MM')", "l.month", `period_locks l where l.region_code = ${code}`)} locks,
    ${agg(
      "json_build_object('entity', a.entity, 'id', a.entity_id, 'action', a.action)",
      "a.id",
      `audit_log a where (a.entity in ('event', 'outcome') and a.entity_id in (select id::text from ${ev} x))
        or (a.entity = 'need' and a.entity_id in (select id::text from needs where community_id = ${c}))
        or (a.entity = 'signup' and a.entity_id in (select id::text from signups where event_id in ${ev}))
        or (a.entity = 'period' and a.entity_id like ${code} || '/%')`,
    )} audit,
    ${agg(
      "json_build_object('side', d.side, 'tbl', d.tbl, 'row', d.row)",
      "d.side, d.tbl, d.row::text",
      `((select 'kept' side, * from (${kept(c)}) k except select 'kept', * from (${rebuilt(c)}) b)
        union all
        (select 'rebuilt' side, * from (${rebuilt(c)}) b except select 'rebuilt', * from (${kept(c)}) k)) d`,
    )} tally_diff`;
}

/** Reads the world's snapshot (community and region code come from the test's own setup). */
export async function readSnapshot(
  db: Queryable,
  community: { id: string; regionCode: string },
): Promise<Snapshot> {
  if (!/^[0-9a-f-]{36}$/.test(community.id) || !/^\d{12}$/.test(community.regionCode))
    throw new Error("unexpected community id or code");
  // As every tally does first: the keys' changes appended so far, folded in (migration 0037).
  await db.execute(sql`select tally_fold_keys()`);
  const result = (await db.execute(sql.raw(statement(community.id, community.regionCode)))) as {
    rows: Record<string, unknown>[];
  };
  const row = result.rows[0] ?? {};
  return {
    events: row.events as SnapEvent[],
    signups: row.signups as SnapSignup[],
    notifications: row.notifications as SnapNotification[],
    needs: row.needs as Snapshot["needs"],
    outcomes: row.outcomes as Snapshot["outcomes"],
    locks: row.locks as string[],
    audit: row.audit as Snapshot["audit"],
    tallyDiff: row.tally_diff as Snapshot["tallyDiff"],
  };
}

/**
 * The snapshot without what another file's delivery run may change at any moment (every run
 * sends whatever is pending, in any world): notification statuses, attempts and send times.
 */
export function stable(snapshot: Snapshot) {
  return {
    ...snapshot,
    notifications: snapshot.notifications.map(({ status, attempts, sentAt, ...rest }) => rest),
  };
}
