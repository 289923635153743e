/**
 * The write path of bench/tallies.ts: outcomes recorded and signed off with the rollup triggers
 * (the outcome tables' triggers named *tally*) and with them disabled, per request (each outcome
 * in a committed transaction of its own) and in bulk (all in one transaction, rolled back). The
 * other triggers (an outcome's copy of its event, closed months) run in both.
 */
import type pg from "pg";
import {
  groupsSelect,
  type OutcomeRange,
  outcomeColumns,
  outcomeSelect,
  volunteersSelect,
} from "./tally-data";
import { RAW_TABLES } from "./tally-load";
import { type CpuClock, round, summarise } from "./tally-timing";

export const WRITE_MONTH = "2025-12-01";

/** The rollup triggers on the outcome tables, as [table, trigger]. */
async function tallyTriggers(client: pg.Client): Promise<[string, string][]> {
  const { rows } = await client.query<{ tbl: string; name: string }>(
    `select tgrelid::regclass::text as tbl, tgname as name from pg_trigger
      where tgrelid = any($1::regclass[]) and not tgisinternal and tgname like '%tally%'
      order by 1, 2`,
    [RAW_TABLES],
  );
  return rows.map((r) => [r.tbl, r.name]);
}

async function setTallyTriggers(client: pg.Client, on: boolean): Promise<void> {
  for (const [table, name] of await tallyTriggers(client))
    await client.query(`alter table "${table}" ${on ? "enable" : "disable"} trigger "${name}"`);
}

/**
 * Generates the rows of a range of outcomes to write into session tables (not timed), so that the
 * timed statements only copy them; and their events: one each, 4 minutes apart from 08:00 on the
 * month's first day (`shiftDays` later), counted from outcome `base`.
 */
async function stage(
  client: pg.Client,
  range: OutcomeRange,
  base: number,
  shiftDays = 0,
): Promise<void> {
  for (const [table, select] of [
    ["bench_write_outcomes", outcomeSelect(range)],
    ["bench_write_groups", groupsSelect(range)],
    ["bench_write_volunteers", volunteersSelect(range)],
  ] as const) {
    const exists = await client.query("select to_regclass($1) as t", [`pg_temp.${table}`]);
    if (exists.rows[0]?.t) await client.query(`insert into ${table} ${select}`);
    else {
      await client.query(`create temp table ${table} as ${select}`);
      await client.query(`create index on ${table} (n)`);
    }
    await client.query(`analyze ${table}`);
  }
  const month = range.month ?? WRITE_MONTH;
  const start = `timestamptz '${month} 08:00+08' + interval '${shiftDays} days'`;
  await client.query(
    `insert into events (id, community_id, service_type, title, lead_social_worker_id,
                         starts_at, ends_at, capacity)
     select event_id, community_id, service_type, '成效压测 ' || n, lead_social_worker_id,
            ${start} + (n - ${base}) * interval '4 minutes',
            ${start} + (n - ${base}) * interval '4 minutes' + interval '3 minutes', 30
       from bench_write_outcomes where n between ${range.from} and ${range.to}`,
  );
}

/** What recording one outcome and signing it off writes: the API's statements, as set-based SQL. */
function writeSteps(range: OutcomeRange) {
  const these = `where n between ${range.from} and ${range.to}`;
  return {
    insertOutcomes: `insert into outcomes (${outcomeColumns})
      select ${outcomeColumns} from bench_write_outcomes ${these}`,
    insertGroups: `insert into outcome_groups (event_id, target_group, person_times)
      select event_id, target_group, person_times from bench_write_groups ${these}`,
    insertVolunteers: `insert into outcome_volunteers (event_id, volunteer_key)
      select event_id, volunteer_key from bench_write_volunteers ${these}`,
    signOff: `update outcomes o set status = 'signed_off', signed_off_at = now(), updated_at = now(),
        revision = o.revision + 1
      from generate_series(${range.from}::bigint, ${range.to}::bigint) n
      where o.event_id = bench_uuid(1, n)`,
  };
}

/**
 * Folds the keys' changes the triggers appended (migration 0037: the rows of social workers and
 * volunteers and the distinct counts, which a tally or the Cron job writes later, in batches);
 * returns how many and the time it took.
 */
async function foldKeys(client: pg.Client, cpu: CpuClock) {
  const c0 = cpu().server ?? 0;
  const t0 = performance.now();
  const { rows } = await client.query<{ n: number }>("select tally_fold_keys() as n");
  return {
    changes: Number(rows[0]?.n ?? 0),
    ms: performance.now() - t0,
    serverCpuMs: (cpu().server ?? 0) - c0,
  };
}

/** Shared buffers this database found (hit) and had to read in (read) so far, every session's. */
async function bufferCounts(client: pg.Client): Promise<{ hit: number; read: number }> {
  await client.query("select pg_stat_force_next_flush()");
  await client.query("select 1");
  const { rows } = await client.query<{ hit: string; read: string }>(
    "select blks_hit as hit, blks_read as read from pg_stat_database where datname = current_database()",
  );
  return { hit: Number(rows[0]?.hit ?? 0), read: Number(rows[0]?.read ?? 0) };
}

/**
 * Per request: REQUEST_WRITES outcomes, each recorded and signed off in a committed transaction
 * of its own, in blocks of REQUEST_BLOCK taking turns with the rollup triggers on (2025-11) and
 * off (2025-10), the first REQUEST_WARM_UP of each block not measured.
 * The rows stay until the next scale's load truncates the outcome tables (their events stay: the
 * next scale's start a few days later, so that the same lead social workers do not overlap them),
 * in months no measured query reads.
 */
let requestWriteRuns = 0;
/** Requests per block of one side, and how many at a block's start are not measured. */
const REQUEST_BLOCK = 50;
const REQUEST_WARM_UP = 2;

export async function requestWriteTest(
  client: pg.Client,
  total: number,
  firstN: number,
  outcomes: number,
  cpu: CpuClock,
) {
  const perOutcome: Record<"on" | "off", number[]> = { on: [], off: [] };
  const serverCpu: Record<"on" | "off", number> = { on: 0, off: 0 };
  const buffers: Record<"on" | "off", { hit: number; read: number }> = {
    on: { hit: 0, read: 0 },
    off: { hit: 0, read: 0 },
  };
  const shiftDays = requestWriteRuns++ * Math.ceil((outcomes * 4) / 1440);
  // Short blocks taking turns, so that a machine whose speed drifts (other work, a neighbour on
  // the host) slows both sides alike; the first requests after a switch, which make their plans
  // again, are left out of every figure.
  const blocks = Array.from({ length: Math.ceil(outcomes / REQUEST_BLOCK) }, (_, i) => {
    const mode = i % 2 === 0 ? ("on" as const) : ("off" as const);
    return {
      mode,
      range: {
        from: firstN + i * REQUEST_BLOCK,
        to: Math.min(firstN + outcomes, firstN + (i + 1) * REQUEST_BLOCK) - 1,
        total,
        month: mode === "on" ? "2025-11-01" : "2025-10-01",
        status: "recorded" as const,
      },
    };
  });
  for (const { range } of blocks) await stage(client, range, firstN, shiftDays);
  const request = async (range: OutcomeRange, n: number) => {
    const steps = writeSteps({ ...range, from: n, to: n });
    const t0 = performance.now();
    await client.query("begin");
    for (const text of Object.values(steps)) await client.query(text);
    await client.query("commit");
    return performance.now() - t0;
  };
  for (const { mode, range } of blocks) {
    if (mode === "off") await setTallyTriggers(client, false);
    try {
      for (let n = range.from; n < range.from + REQUEST_WARM_UP; n++) await request(range, n);
      const b0 = await bufferCounts(client);
      const c0 = cpu().server ?? 0;
      for (let n = range.from + REQUEST_WARM_UP; n <= range.to; n++)
        perOutcome[mode].push(await request(range, n));
      serverCpu[mode] += (cpu().server ?? 0) - c0;
      const b1 = await bufferCounts(client);
      buffers[mode].hit += b1.hit - b0.hit;
      buffers[mode].read += b1.read - b0.read;
    } finally {
      if (mode === "off") await setTallyTriggers(client, true);
    }
  }
  const on = summarise(perOutcome.on);
  const off = summarise(perOutcome.off);
  // What the requests left for the fold, in one batch (as a tally or the Cron job finds it).
  const fold = await foldKeys(client, cpu);
  return {
    outcomes: perOutcome.on.length + perOutcome.off.length,
    /** The deferred work (key rows, references, counts): one fold of what the requests appended. */
    fold: {
      changes: fold.changes,
      perOutcomeMs: round(fold.ms / perOutcome.on.length, 3),
      serverCpuPerOutcomeMs: round(fold.serverCpuMs / perOutcome.on.length, 3),
    },
    withTriggers: on,
    withoutTriggers: off,
    addedMs: round(on.medianMs - off.medianMs),
    ratio: round(on.medianMs / off.medianMs),
    /** The PostgreSQL server's CPU per outcome (the machine's load moves it less). */
    serverCpuMs: {
      on: round(serverCpu.on / perOutcome.on.length),
      off: round(serverCpu.off / perOutcome.off.length),
    },
    /**
     * Shared buffers per outcome found and read in (not in shared_buffers: from the OS's cache or
     * the disk), with the rollup triggers and without.
     */
    buffersPerOutcome: {
      on: {
        hit: round(buffers.on.hit / perOutcome.on.length, 1),
        read: round(buffers.on.read / perOutcome.on.length, 1),
      },
      off: {
        hit: round(buffers.off.hit / perOutcome.off.length, 1),
        read: round(buffers.off.read / perOutcome.off.length, 1),
      },
    },
    incrementalCheck: await incrementalCheck(client, "2025-11-01"),
  };
}

interface BulkRun {
  triggers: boolean;
  insertOutcomesMs: number;
  insertGroupsMs: number;
  insertVolunteersMs: number;
  signOffMs: number;
  totalMs: number;
  serverCpuMs: number;
  /** With the triggers: folding the keys' changes the statements appended, after them. */
  foldMs?: number;
}

/**
 * In bulk: `outcomes` outcomes recorded (inserted with their groups and volunteers) and signed off
 * in one transaction, rolled back; three times with the rollup triggers, three without, in turn.
 */
export async function bulkWriteTest(
  client: pg.Client,
  total: number,
  outcomes: number,
  cpu: CpuClock,
) {
  const range: OutcomeRange = {
    from: total + 1,
    to: total + outcomes,
    total,
    month: WRITE_MONTH,
    status: "recorded",
  };
  await stage(client, range, range.from);
  const steps = writeSteps(range);
  const runs: BulkRun[] = [];
  let check: Awaited<ReturnType<typeof incrementalCheck>> | undefined;
  for (const triggers of [false, true, false, true, false, true]) {
    await client.query("begin");
    // Inside the transaction: the rollback turns them back on.
    if (!triggers) await setTallyTriggers(client, false);
    const times: Record<string, number> = {};
    const c0 = cpu().server ?? 0;
    const t0 = performance.now();
    for (const [step, text] of Object.entries(steps)) {
      const s0 = performance.now();
      await client.query(text);
      times[step] = performance.now() - s0;
    }
    const totalMs = performance.now() - t0;
    const serverCpuMs = (cpu().server ?? 0) - c0;
    const fold = triggers ? await foldKeys(client, cpu) : undefined;
    if (triggers && !check) check = await incrementalCheck(client, WRITE_MONTH);
    await client.query("rollback");
    runs.push({
      triggers,
      insertOutcomesMs: round(times.insertOutcomes ?? 0, 1),
      insertGroupsMs: round(times.insertGroups ?? 0, 1),
      insertVolunteersMs: round(times.insertVolunteers ?? 0, 1),
      signOffMs: round(times.signOff ?? 0, 1),
      totalMs: round(totalMs, 1),
      serverCpuMs: round(serverCpuMs, 0),
      foldMs: fold && round(fold.ms, 1),
    });
  }
  await client.query(
    "delete from event_signup_counters c where not exists (select 1 from outcomes o where o.event_id = c.event_id)",
  );
  await client.query(
    "delete from events e where not exists (select 1 from outcomes o where o.event_id = e.id)",
  );
  const median = (xs: number[]) => summarise(xs).medianMs;
  const on = median(runs.filter((r) => r.triggers).map((r) => r.totalMs));
  const off = median(runs.filter((r) => !r.triggers).map((r) => r.totalMs));
  const cpuOn = median(runs.filter((r) => r.triggers).map((r) => r.serverCpuMs));
  const cpuOff = median(runs.filter((r) => !r.triggers).map((r) => r.serverCpuMs));
  return {
    outcomes,
    withTriggersMs: on,
    withoutTriggersMs: off,
    ratio: round(on / off),
    perOutcomeWithTriggersUs: round((on * 1000) / outcomes, 1),
    perOutcomeWithoutTriggersUs: round((off * 1000) / outcomes, 1),
    addedPerOutcomeUs: round(((on - off) * 1000) / outcomes, 1),
    addedServerCpuPerOutcomeUs: round(((cpuOn - cpuOff) * 1000) / outcomes, 1),
    foldPerOutcomeUs: round(
      (median(runs.flatMap((r) => (r.foldMs === undefined ? [] : [r.foldMs]))) * 1000) / outcomes,
      1,
    ),
    runs,
    incrementalCheck: check,
  };
}

/**
 * Do the rollups of a month, kept by the triggers, equal the raw records? The fine sums and
 * presence rows, the counties' sums and distinct volunteers, and the country's distinct
 * volunteers.
 */
async function incrementalCheck(client: pg.Client, month: string) {
  // As a coarse tally does: the keys' changes not yet folded in count once folded.
  await client.query("select tally_fold_keys()");
  const { rows } = await client.query<Record<string, string>>(
    `with signed as (select * from outcomes where month = $1 and status = 'signed_off')
     select
       (select row(sum(events), sum(person_times), sum(volunteers_attended), sum(volunteer_hours))::text
          from tally_rollup where month = $1 and not adjustment) as rollup_sums,
       (select row(sum(events), sum(person_times), sum(volunteers_attended), sum(volunteer_hours))::text
          from tally_county where period = to_char($1::date, 'YYYY-MM')) as county_sums,
       (select row(count(*), sum((select sum(person_times) from outcome_groups g where g.event_id = o.event_id)),
                   sum(volunteers_attended), sum(volunteer_hours))::text
          from signed o) as raw_sums,
       (select count(*) from tally_volunteers where month = $1) as rollup_volunteer_rows,
       (select count(*) from (select distinct o.community_id, o.service_type, v.volunteer_key
          from signed o join outcome_volunteers v on v.event_id = o.event_id) d) as raw_volunteer_rows,
       (select count(*) from tally_social_workers where month = $1) as rollup_worker_rows,
       (select count(*) from (select distinct community_id, service_type, lead_social_worker_id
          from signed) d) as raw_worker_rows,
       (select sum(volunteers) from tally_county where period = to_char($1::date, 'YYYY-MM'))
         as county_volunteers,
       (select count(*) from (select distinct left(o.region_code, 6), v.volunteer_key
          from signed o join outcome_volunteers v on v.event_id = o.event_id) d) as raw_county_volunteers,
       (select n from tally_distinct_now where kind = 'volunteer' and scope_level = 'country'
           and period = to_char($1::date, 'YYYY-MM')) as country_volunteers,
       (select count(distinct v.volunteer_key)
          from signed o join outcome_volunteers v on v.event_id = o.event_id) as raw_country_volunteers`,
    [month],
  );
  const r = rows[0] ?? {};
  const equal =
    r.rollup_sums === r.raw_sums &&
    r.county_sums === r.raw_sums &&
    r.rollup_volunteer_rows === r.raw_volunteer_rows &&
    r.rollup_worker_rows === r.raw_worker_rows &&
    String(r.county_volunteers) === String(r.raw_county_volunteers) &&
    String(r.country_volunteers) === String(r.raw_country_volunteers);
  return { month, equal, ...r };
}
