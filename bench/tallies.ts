/**
 * `npm run bench:tallies [-- --scales=1e5,1e6,1e7] [--runs=20] [--warm-ups=2]`: tallies from the rollups
 * (src/tallies/query.ts `tally()`) next to the same answer by a plain GROUP BY over the raw outcome
 * records, on a throwaway PostgreSQL cluster with the app's migrations, at 10^5, 10^6 and 10^7
 * signed-off outcomes over China's 2,975 counties; plus the write cost of the rollup triggers.
 * Prints a table, writes bench/results/tallies-<timestamp>.json. Exits non-zero only when the
 * database cannot start or an answer differs between the two paths.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { migrationsFolder, type ScriptDatabase } from "../scripts/lib/database";
import { type PgCluster, startPgCluster } from "../scripts/lib/pg-cluster";
import * as schema from "../src/db/schema";
import { regionPrefix } from "../src/domain/regions";
import { describeRegion, type Tally, type TallyRequest, tally } from "../src/tallies/query";
import {
  type County,
  createIndexes,
  dropIndexes,
  FIRST_MONTH,
  foreignKeys,
  groupsSelect,
  loadDirectory,
  MONTHS,
  type OutcomeRange,
  outcomeColumns,
  outcomeSelect,
  RECORDED_PER_MILLE,
  readCounties,
  type TableDdl,
  tableDdl,
  VOLUNTEER_POOL,
  volunteersSelect,
  WORKERS_PER_COUNTY,
} from "./lib/tally-data";

const { values } = parseArgs({
  options: {
    scales: { type: "string", default: "1e5,1e6,1e7" },
    runs: { type: "string", default: "20" },
    "warm-ups": { type: "string", default: "2" },
    "write-outcomes": { type: "string", default: "1e4" },
    "request-writes": { type: "string", default: "500" },
  },
});
const scales = (values.scales ?? "")
  .split(",")
  .map((s) => Math.round(Number(s.trim())))
  .sort((a, b) => a - b);
const RUNS = Number(values.runs);
const WARM_UPS = Number(values["warm-ups"]);
const WRITE_OUTCOMES = Math.round(Number(values["write-outcomes"]));
const REQUEST_WRITES = Math.round(Number(values["request-writes"]));
if (
  !scales.length ||
  scales.some((s) => !(s >= 1000 && s <= 5e7)) ||
  !(RUNS >= 3) ||
  !(WARM_UPS >= 1)
) {
  console.error(
    "--scales takes numbers 1e3–5e7 (e.g. --scales=1e5,1e6); --runs at least 3; --warm-ups at least 1",
  );
  process.exit(2);
}
/** …and warm-up runs go on until this much time has passed (see measure()). */
const WARM_UP_MS = 2000;
/** A measurement stops early (after at least 3 runs) when its runs have taken this long. */
const BUDGET_MS = 60_000;
const YEAR = "2024";
const GOAL = { countyYearMs: 5, allCountiesMs: 100, at: 1e7 };

/** Server settings for a bulk load of disposable data; queries keep the default work_mem (4MB). */
const SERVER_SETTINGS: Record<string, string> = {
  shared_buffers: "6GB",
  effective_cache_size: "16GB",
  maintenance_work_mem: "1GB",
  max_wal_size: "32GB",
  checkpoint_timeout: "1h",
  wal_level: "minimal",
  max_wal_senders: "0",
  autovacuum: "off",
  random_page_cost: "1.1",
  max_parallel_maintenance_workers: "2",
};
const LOADER_SESSION = [
  "set work_mem = '512MB'",
  "set maintenance_work_mem = '2GB'",
  "set synchronous_commit = off",
];

const RAW_TABLES = ["outcomes", "outcome_groups", "outcome_volunteers"];
const ROLLUP_TABLES = [
  "tally_rollup",
  "tally_group_rollup",
  "tally_social_workers",
  "tally_volunteers",
];

// ---------------------------------------------------------------------------------------------
// Measures and their comparison
// ---------------------------------------------------------------------------------------------

const MEASURES = [
  "events",
  "personTimes",
  "uniqueVolunteers",
  "volunteersAttended",
  "volunteerHours",
  "activeSocialWorkers",
  "communitiesReached",
] as const;
type Measures = Record<(typeof MEASURES)[number], number>;
interface Answer {
  totals: Measures;
  rows: Map<string, Measures>;
  awaitingSignOff: number;
}

const zero = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as unknown as Measures;

function fromTally(result: Tally): Answer {
  const pick = (m: Tally["totals"]): Measures =>
    Object.fromEntries(MEASURES.map((k) => [k, Number(m[k] ?? 0)])) as unknown as Measures;
  const rows = new Map<string, Measures>();
  for (const row of result.rows) rows.set(row.month ?? row.region?.code ?? "", pick(row));
  return { totals: pick(result.totals), rows, awaitingSignOff: result.awaitingSignOff };
}

/** Differences between two answers (missing rows count as zeros), at most `limit`. */
function differences(a: Answer, b: Answer, limit = 5): string[] {
  const out: string[] = [];
  const compare = (where: string, x: Measures, y: Measures) => {
    for (const m of MEASURES)
      if (x[m] !== y[m] && out.length < limit) out.push(`${where}.${m}: ${x[m]} ≠ ${y[m]}`);
  };
  compare("totals", a.totals, b.totals);
  for (const key of new Set([...a.rows.keys(), ...b.rows.keys()]))
    compare(key, a.rows.get(key) ?? zero(), b.rows.get(key) ?? zero());
  if (a.awaitingSignOff !== b.awaitingSignOff && out.length < limit)
    out.push(`awaitingSignOff: ${a.awaitingSignOff} ≠ ${b.awaitingSignOff}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The same tallies by plain GROUP BY over the raw records
// ---------------------------------------------------------------------------------------------

type RawKey = "none" | "month" | "county";

interface Scenario {
  id: "a" | "b" | "c";
  name: string;
  request: TallyRequest;
  rawKey: RawKey;
}

function rawQueries(request: TallyRequest, key: RawKey) {
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const params: string[] = [`${request.from}-01`, `${request.to}-01`];
  if (prefix) params.push(`${prefix}%`);
  const scope = `o.month between $1::date and $2::date${prefix ? " and o.region_code like $3" : ""}`;
  const where = `o.status = 'signed_off' and ${scope}`;
  const k =
    key === "month"
      ? "to_char(o.month, 'YYYY-MM')"
      : key === "county"
        ? "left(o.region_code, 6)"
        : undefined;
  const select = k ? `${k} as k, grouping(${k}) = 1 as total,` : "'' as k, true as total,";
  const groupBy = k ? `group by grouping sets ((${k}), ())` : "";
  return {
    params,
    base: `select ${select} count(*) as events, sum(o.volunteers_attended) as va,
             sum(o.volunteer_hours) as vh, count(distinct o.community_id) as communities,
             count(distinct o.lead_social_worker_id) as workers
             from outcomes o where ${where} ${groupBy}`,
    personTimes: `select ${select} sum(g.person_times) as pt
             from outcomes o join outcome_groups g on g.event_id = o.event_id
            where ${where} ${groupBy}`,
    volunteers: `select ${select} count(distinct v.volunteer_key) as uv
             from outcomes o join outcome_volunteers v on v.event_id = o.event_id
            where ${where} ${groupBy}`,
    pending: `select count(*) as n from outcomes o where o.status = 'recorded' and ${scope}`,
  };
}

async function rawTally(pool: pg.Pool, request: TallyRequest, key: RawKey): Promise<Answer> {
  const q = rawQueries(request, key);
  type Row = { k: string; total: boolean } & Record<string, string | null>;
  const run = async (text: string) => (await pool.query<Row>(text, q.params)).rows;
  const base = await run(q.base);
  const personTimes = await run(q.personTimes);
  const volunteers = await run(q.volunteers);
  const pending = await run(q.pending);
  const answer: Answer = {
    totals: zero(),
    rows: new Map(),
    awaitingSignOff: Number(pending[0]?.n ?? 0),
  };
  const cell = (row: Row) => {
    if (row.total) return answer.totals;
    let found = answer.rows.get(row.k);
    if (!found) {
      found = zero();
      answer.rows.set(row.k, found);
    }
    return found;
  };
  for (const row of base) {
    const m = cell(row);
    m.events = Number(row.events ?? 0);
    m.volunteersAttended = Number(row.va ?? 0);
    m.volunteerHours = Number(row.vh ?? 0);
    m.communitiesReached = Number(row.communities ?? 0);
    m.activeSocialWorkers = Number(row.workers ?? 0);
  }
  for (const row of personTimes) cell(row).personTimes = Number(row.pt ?? 0);
  for (const row of volunteers) cell(row).uniqueVolunteers = Number(row.uv ?? 0);
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2
      ? (sorted[Math.floor(mid)] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    runs: sorted.length,
    medianMs: round(median),
    p95Ms: round(at(0.95) ?? 0),
    minMs: round(sorted[0] ?? 0),
  };
}

const round = (ms: number, digits = 2) => Math.round(ms * 10 ** digits) / 10 ** digits;

async function measure<T>(
  fn: () => Promise<T>,
  runs = RUNS,
  warmUps = WARM_UPS,
): Promise<{ timing: Timing; result: T }> {
  const w0 = performance.now();
  let result = await fn();
  // A query of seconds is warm after one run. A fast one is warmed for WARM_UP_MS as well: the
  // first few dozen calls of tally() run ~2× slower while Node compiles the query builder's code
  // and the pool's fresh server processes fill their catalog caches.
  const slow = performance.now() - w0 > 2000;
  for (let i = 1; !slow && (i < warmUps || performance.now() - w0 < WARM_UP_MS); i++)
    result = await fn();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs && (samples.length < 3 || performance.now() - started < BUDGET_MS)) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  return { timing: summarise(samples), result };
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

interface Ddl {
  raw: TableDdl[];
  rollups: TableDdl[];
  foreignKeys: [string, string, string][];
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const statement of LOADER_SESSION) await client.query(statement);
  return client;
}

/** Truncates `table`, drops its indexes, fills it from `select` in chunks, re-creates them. */
async function loadTable(
  client: pg.Client,
  ddl: TableDdl,
  columns: string,
  select: (range: OutcomeRange) => string,
  total: number,
): Promise<number> {
  const t0 = performance.now();
  await client.query("begin");
  // In the transaction that truncates, so that wal_level=minimal writes no WAL for the data.
  await client.query(`truncate "${ddl.table}"`);
  await client.query(`alter table "${ddl.table}" disable trigger user`);
  await dropIndexes(client, ddl);
  const chunk = 1_000_000;
  for (let from = 1; from <= total; from += chunk) {
    const range = { from, to: Math.min(total, from + chunk - 1), total };
    await client.query(
      `insert into "${ddl.table}" (${columns}) select ${columns} from (${select(range)}) x`,
    );
  }
  await createIndexes(client, ddl);
  await client.query(`alter table "${ddl.table}" enable trigger user`);
  await client.query("commit");
  return performance.now() - t0;
}

interface LoadReport {
  outcomesMs: number;
  groupsMs: number;
  volunteersMs: number;
  rawTotalMs: number;
  rebuildMs: number;
  vacuumAnalyzeMs: number;
  totalMs: number;
}

async function loadScale(
  url: string,
  loaders: [pg.Client, pg.Client],
  ddl: Ddl,
  total: number,
  counties: number,
): Promise<LoadReport> {
  const [a, b] = loaders;
  const t0 = performance.now();
  for (const [table, name] of ddl.foreignKeys)
    await a.query(`alter table "${table}" drop constraint if exists "${name}"`);
  const byName = (name: string) => {
    const found = ddl.raw.find((t) => t.table === name);
    if (!found) throw new Error(`no DDL for ${name}`);
    return found;
  };
  let outcomesMs = 0;
  let groupsMs = 0;
  let volunteersMs = 0;
  await Promise.all([
    (async () => {
      outcomesMs = await loadTable(
        a,
        byName("outcomes"),
        outcomeColumns,
        (r) => outcomeSelect(r, counties),
        total,
      );
      groupsMs = await loadTable(
        a,
        byName("outcome_groups"),
        "event_id, target_group, person_times",
        groupsSelect,
        total,
      );
    })(),
    (async () => {
      volunteersMs = await loadTable(
        b,
        byName("outcome_volunteers"),
        "event_id, volunteer_key",
        (r) => volunteersSelect(r, counties),
        total,
      );
    })(),
  ]);
  const rawTotalMs = performance.now() - t0;

  const t1 = performance.now();
  await a.query("begin");
  for (const table of ddl.rollups) {
    await a.query(`truncate "${table.table}"`);
    await dropIndexes(a, table);
  }
  await a.query("select tally_rebuild()");
  // The rollups' indexes, two tables at a time (the rebuild's transaction keeps its WAL skip).
  for (const table of ddl.rollups) await createIndexes(a, table);
  await a.query("commit");
  const rebuildMs = performance.now() - t1;

  // Back with NOT VALID: new rows are checked, the generated ones are not re-read.
  for (const [table, name, def] of ddl.foreignKeys)
    await a.query(`alter table "${table}" add constraint "${name}" ${def} not valid`);

  const t2 = performance.now();
  const tables = [...RAW_TABLES, ...ROLLUP_TABLES];
  await Promise.all([
    (async () => {
      for (const t of tables.slice(0, 3)) await a.query(`vacuum (analyze) "${t}"`);
    })(),
    (async () => {
      for (const t of tables.slice(3)) await b.query(`vacuum (analyze) "${t}"`);
    })(),
  ]);
  await a.query("checkpoint");
  const vacuumAnalyzeMs = performance.now() - t2;
  void url;
  return {
    outcomesMs: round(outcomesMs, 0),
    groupsMs: round(groupsMs, 0),
    volunteersMs: round(volunteersMs, 0),
    rawTotalMs: round(rawTotalMs, 0),
    rebuildMs: round(rebuildMs, 0),
    vacuumAnalyzeMs: round(vacuumAnalyzeMs, 0),
    totalMs: round(performance.now() - t0, 0),
  };
}

async function sizes(pool: pg.Pool) {
  const { rows } = await pool.query<{ table: string; rows: string; bytes: string }>(
    `select c.relname as table, c.reltuples::bigint as rows, pg_total_relation_size(c.oid) as bytes
       from pg_class c where c.relname = any($1::text[]) order by array_position($1::text[], c.relname::text)`,
    [[...RAW_TABLES, ...ROLLUP_TABLES]],
  );
  return rows.map((r) => ({ table: r.table, rows: Number(r.rows), bytes: Number(r.bytes) }));
}

// ---------------------------------------------------------------------------------------------
// The write path: the same outcomes through the triggers and with them disabled
// ---------------------------------------------------------------------------------------------

const WRITE_MONTH = "2025-12-01";

interface WriteRun {
  triggers: boolean;
  insertOutcomesMs: number;
  insertGroupsMs: number;
  insertVolunteersMs: number;
  signOffMs: number;
  totalMs: number;
}

/**
 * The events of a range of written outcomes (not timed): one each, 4 minutes apart from 08:00 on
 * the month's first day (`shiftDays` later).
 */
async function insertEvents(
  client: pg.Client,
  range: OutcomeRange,
  counties: number,
  shiftDays = 0,
) {
  const month = range.month ?? WRITE_MONTH;
  const start = `timestamptz '${month} 08:00+08' + interval '${shiftDays} days'`;
  await client.query(
    `insert into events (id, community_id, service_type, title, lead_social_worker_id,
                         starts_at, ends_at, capacity)
     select event_id, community_id, service_type, '成效压测 ' || n, lead_social_worker_id,
            ${start} + (n - ${range.from}) * interval '4 minutes',
            ${start} + (n - ${range.from}) * interval '4 minutes' + interval '3 minutes', 30
       from (${outcomeSelect(range, counties)}) x`,
  );
}

/** What recording one outcome and signing it off writes: the API's statements, as set-based SQL. */
function writeSteps(range: OutcomeRange, counties: number) {
  return {
    insertOutcomes: `insert into outcomes (${outcomeColumns})
      select ${outcomeColumns} from (${outcomeSelect(range, counties)}) x`,
    insertGroups: `insert into outcome_groups (event_id, target_group, person_times)
      select event_id, target_group, person_times from (${groupsSelect(range)}) x`,
    insertVolunteers: `insert into outcome_volunteers (event_id, volunteer_key)
      select event_id, volunteer_key from (${volunteersSelect(range, counties)}) x`,
    signOff: `update outcomes o set status = 'signed_off', signed_off_at = now(), updated_at = now(),
        revision = o.revision + 1
      from generate_series(${range.from}::bigint, ${range.to}::bigint) n
      where o.event_id = md5('e' || n)::uuid`,
  };
}

/**
 * The write path as the API takes it: each outcome recorded and signed off in a transaction of
 * its own, committed, REQUEST_WRITES of them with the triggers (in 2025-11) and as many without
 * (in 2025-10, triggers disabled meanwhile). Runs after writeTest; the rows stay until the next
 * scale's load truncates the tables (its events until the next scale's run of this), in months no
 * measured query reads.
 */
let requestWriteRuns = 0;

async function requestWriteTest(client: pg.Client, total: number, counties: number) {
  const perOutcome: Record<"on" | "off", number[]> = { on: [], off: [] };
  let check: Record<string, unknown> | undefined;
  // A smaller scale's run left its events (the load truncates only the outcome tables, whose
  // new rows then refer to those event ids): this run's start a few days later, so that the same
  // lead social workers do not overlap them (events_lead_no_overlap).
  const shiftDays = requestWriteRuns++ * Math.ceil((REQUEST_WRITES * 4) / 1440);
  for (const [mode, month, offset] of [
    ["on", "2025-11-01", WRITE_OUTCOMES],
    ["off", "2025-10-01", WRITE_OUTCOMES + REQUEST_WRITES],
  ] as const) {
    const from = total + offset + 1;
    const all: OutcomeRange = {
      from,
      to: from + REQUEST_WRITES - 1,
      total,
      month,
      status: "recorded",
    };
    await insertEvents(client, all, counties, shiftDays);
    if (mode === "off")
      for (const t of RAW_TABLES) await client.query(`alter table "${t}" disable trigger user`);
    try {
      for (let n = all.from; n <= all.to; n++) {
        const steps = writeSteps({ ...all, from: n, to: n }, counties);
        const t0 = performance.now();
        await client.query("begin");
        for (const text of Object.values(steps)) await client.query(text);
        await client.query("commit");
        perOutcome[mode].push(performance.now() - t0);
      }
    } finally {
      if (mode === "off")
        for (const t of RAW_TABLES) await client.query(`alter table "${t}" enable trigger user`);
    }
    if (mode === "on") check = await incrementalCheck(client, month);
  }
  const on = summarise(perOutcome.on);
  const off = summarise(perOutcome.off);
  return {
    outcomes: REQUEST_WRITES,
    withTriggers: on,
    withoutTriggers: off,
    ratio: round(on.medianMs / off.medianMs),
    incrementalCheck: check,
  };
}

async function writeTest(client: pg.Client, total: number, counties: number) {
  const range: OutcomeRange = {
    from: total + 1,
    to: total + WRITE_OUTCOMES,
    total,
    month: WRITE_MONTH,
    status: "recorded",
  };
  await insertEvents(client, range, counties);
  const steps = writeSteps(range, counties);
  const runs: WriteRun[] = [];
  let check: Record<string, unknown> | undefined;
  for (const triggers of [false, true, false, true, false, true]) {
    await client.query("begin");
    if (!triggers)
      for (const t of RAW_TABLES) await client.query(`alter table "${t}" disable trigger user`);
    const times: Record<string, number> = {};
    const t0 = performance.now();
    for (const [step, text] of Object.entries(steps)) {
      const s0 = performance.now();
      await client.query(text);
      times[step] = performance.now() - s0;
    }
    const totalMs = performance.now() - t0;
    if (triggers && !check) check = await incrementalCheck(client);
    await client.query("rollback");
    runs.push({
      triggers,
      insertOutcomesMs: round(times.insertOutcomes ?? 0, 1),
      insertGroupsMs: round(times.insertGroups ?? 0, 1),
      insertVolunteersMs: round(times.insertVolunteers ?? 0, 1),
      signOffMs: round(times.signOff ?? 0, 1),
      totalMs: round(totalMs, 1),
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
  return {
    outcomes: WRITE_OUTCOMES,
    withTriggersMs: on,
    withoutTriggersMs: off,
    ratio: round(on / off),
    perOutcomeWithTriggersUs: round((on * 1000) / WRITE_OUTCOMES, 1),
    perOutcomeWithoutTriggersUs: round((off * 1000) / WRITE_OUTCOMES, 1),
    runs,
    incrementalCheck: check,
  };
}

/** In the triggers' transaction: do the rollups of the written month equal the raw records? */
async function incrementalCheck(client: pg.Client, month = WRITE_MONTH) {
  const { rows } = await client.query<Record<string, string>>(
    `select
       (select row(sum(events), sum(person_times), sum(volunteers_attended), sum(volunteer_hours))::text
          from tally_rollup where month = $1 and not adjustment) as rollup_sums,
       (select row(count(*), sum((select sum(person_times) from outcome_groups g where g.event_id = o.event_id)),
                   sum(volunteers_attended), sum(volunteer_hours))::text
          from outcomes o where month = $1 and status = 'signed_off') as raw_sums,
       (select count(*) from tally_volunteers where month = $1) as rollup_volunteer_rows,
       (select count(*) from (select distinct o.community_id, o.service_type, v.volunteer_key
          from outcomes o join outcome_volunteers v on v.event_id = o.event_id
         where o.month = $1 and o.status = 'signed_off') d) as raw_volunteer_rows,
       (select count(*) from tally_social_workers where month = $1) as rollup_worker_rows,
       (select count(*) from (select distinct community_id, service_type, lead_social_worker_id
          from outcomes where month = $1 and status = 'signed_off') d) as raw_worker_rows`,
    [month],
  );
  const r = rows[0] ?? {};
  const equal =
    r.rollup_sums === r.raw_sums &&
    r.rollup_volunteer_rows === r.raw_volunteer_rows &&
    r.rollup_worker_rows === r.raw_worker_rows;
  return { month, equal, ...r };
}

// ---------------------------------------------------------------------------------------------
// Investigation: EXPLAIN (ANALYZE, BUFFERS) of every query tally() sends
// ---------------------------------------------------------------------------------------------

interface Explained {
  query: string;
  executionMs: number;
  planningMs: number;
  plan: string;
}

async function explainTally(
  pool: pg.Pool,
  request: TallyRequest,
  info: Tally["region"],
): Promise<Explained[]> {
  const captured: { query: string; params: unknown[] }[] = [];
  const logging = drizzle(pool, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query, params) => captured.push({ query, params }) },
  }) as unknown as ScriptDatabase;
  await tally(logging, request, info);
  const out: Explained[] = [];
  for (const { query, params } of captured) {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) ${query}`,
      params,
    );
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    out.push({
      query: query.replace(/\s+/g, " "),
      executionMs: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? 0),
      planningMs: Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? 0),
      plan,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** Display width: CJK characters take two columns. */
const width = (text: string) =>
  [...text].reduce((n, ch) => n + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? "")))) ?? [];
  const pad = (cell: string, i: number) => " ".repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => (i <= 1 ? cell + pad(cell, i) : pad(cell, i) + cell))
        .join("  ")
        .trimEnd(),
    );
}

const fmtScale = (n: number) => {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `10^${e}` : n.toLocaleString("en");
};
const fmtMs = (ms: number) =>
  ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const fmtDuration = (ms: number) =>
  ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
const fmtBytes = (b: number) =>
  b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GB` : `${(b / 2 ** 20).toFixed(1)} MB`;

function scenarios(counties: County[]): Scenario[] {
  const perProvince = new Map<string, number>();
  for (const c of counties)
    perProvince.set(c.provinceCode, (perProvince.get(c.provinceCode) ?? 0) + 1);
  const [province] = [...perProvince].sort((x, y) => y[1] - x[1])[0] ?? ["210000"];
  const county = counties.find((c) => c.provinceCode === province)?.code ?? "210102";
  const year = { from: `${YEAR}-01`, to: `${YEAR}-12` };
  return [
    {
      id: "a",
      name: `county-year (${county}, ${YEAR})`,
      request: { region: county, ...year, groupBy: [] },
      rawKey: "none",
    },
    {
      id: "b",
      name: `province by month (${province}, ${YEAR})`,
      request: { region: province, ...year, groupBy: ["month"] },
      rawKey: "month",
    },
    {
      id: "c",
      name: `all counties (全国, ${YEAR}, by county)`,
      request: { region: undefined, ...year, groupBy: ["region"], level: "county" },
      rawKey: "county",
    },
  ];
}

interface ScenarioResult {
  id: string;
  name: string;
  rollup: Timing;
  raw: Timing;
  ratio: number;
  equal: boolean;
  differences: string[];
  rows: number;
  totals: Measures;
  awaitingSignOff: number;
}

async function main() {
  const counties = readCounties();
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  console.log("Starting a throwaway PostgreSQL cluster…");
  let cluster: PgCluster | undefined;
  let pool: pg.Pool | undefined;
  const loaders: pg.Client[] = [];
  const stop = () => {
    cluster?.stop();
    cluster = undefined;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  try {
    cluster = await startPgCluster({ settings: SERVER_SETTINGS });
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    const nodePg = drizzle(pool, { schema, casing: "snake_case" });
    const db = nodePg as unknown as ScriptDatabase;
    await pool.query("create extension if not exists btree_gist");
    await migrate(nodePg, { migrationsFolder });
    const { rows: settings } = await pool.query<{ name: string; setting: string; unit: string }>(
      `select name, setting, coalesce(unit, '') as unit from pg_settings
        where name in ('server_version', 'shared_buffers', 'work_mem', 'jit', 'max_parallel_workers_per_gather',
                       'effective_cache_size', 'random_page_cost', 'synchronous_commit', 'wal_level', 'autovacuum')`,
    );
    const setting = (name: string) => settings.find((s) => s.name === name)?.setting ?? "?";
    const a = await connect(cluster.url);
    const b = await connect(cluster.url);
    loaders.push(a, b);
    await loadDirectory(a, counties);
    const ddl: Ddl = {
      raw: [],
      rollups: [],
      foreignKeys: await foreignKeys(a, RAW_TABLES),
    };
    // One after another: a pg.Client runs one query at a time.
    for (const t of RAW_TABLES) ddl.raw.push(await tableDdl(a, t));
    for (const t of ROLLUP_TABLES) ddl.rollups.push(await tableDdl(a, t));
    const { rows: directory } = await pool.query<{ communities: string; workers: string }>(
      "select (select count(*) from communities) as communities, (select count(*) from social_workers) as workers",
    );

    console.log(
      `PostgreSQL ${setting("server_version")} · ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB RAM · Node ${machine.node}`,
    );
    console.log(
      `server: shared_buffers ${Number(setting("shared_buffers")) / 128} MB, work_mem ${setting("work_mem")} kB (queries), jit ${setting("jit")}, ` +
        `parallel workers/gather ${setting("max_parallel_workers_per_gather")}, synchronous_commit ${setting("synchronous_commit")}, autovacuum ${setting("autovacuum")}, fsync off`,
    );
    console.log(
      `data: ${counties.length} counties, ${directory[0]?.communities} communities (1–3 per county, synthetic codes county+'001'+'00k'), ` +
        `${directory[0]?.workers} lead social workers (${WORKERS_PER_COUNTY} per county); outcomes over ${MONTHS} months from ${FIRST_MONTH.slice(0, 7)}, ` +
        `all service types, 1–3 target groups and 1–4 volunteer keys each (pool of ${VOLUNTEER_POOL} per county), ${RECORDED_PER_MILLE / 10}% left unsigned`,
    );
    console.log(
      "bulk load: INSERT … SELECT generate_series with the outcome tables' user triggers disabled, their foreign keys " +
        "(incl. outcomes → events: the generated outcomes have no events) dropped and re-added NOT VALID, indexes " +
        "dropped and re-built; rollups then built by `select tally_rebuild()`, then VACUUM ANALYZE.\n",
    );

    const results: {
      scale: number;
      loadAverage: number;
      load: LoadReport;
      sizes: Awaited<ReturnType<typeof sizes>>;
      scenarios: ScenarioResult[];
      write: Awaited<ReturnType<typeof writeTest>>;
      requestWrite: Awaited<ReturnType<typeof requestWriteTest>>;
      investigation?: unknown;
    }[] = [];
    const cases = scenarios(counties);
    let failed = false;

    for (const scale of scales) {
      console.log(`── ${fmtScale(scale)} outcomes: loading…`);
      const load = await loadScale(cluster.url, [a, b], ddl, scale, counties.length);
      console.log(
        `   loaded in ${fmtDuration(load.totalMs)} (raw records ${fmtDuration(load.rawTotalMs)}: outcomes ${fmtDuration(load.outcomesMs)}, ` +
          `groups ${fmtDuration(load.groupsMs)}, volunteers ${fmtDuration(load.volunteersMs)} in parallel; ` +
          `tally_rebuild() ${fmtDuration(load.rebuildMs)}; vacuum analyze ${fmtDuration(load.vacuumAnalyzeMs)})`,
      );
      const tableSizes = await sizes(pool);
      console.log(
        `   ${tableSizes.map((t) => `${t.table} ${t.rows.toLocaleString("en")} rows ${fmtBytes(t.bytes)}`).join(" · ")}`,
      );

      // Other work on the machine skews every figure: the load leaves gigabytes of dirty pages for
      // the kernel to write back (at 10^7 the first queries ran 3× slower than the same queries
      // minutes later), so flush them and wait, up to two minutes, for the machine to go quiet.
      execFileSync("sync");
      const quietBy = Date.now() + 120_000;
      while ((loadavg()[0] ?? 0) >= 1 && Date.now() < quietBy)
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      const loadAverage = round(loadavg()[0] ?? 0, 1);
      console.log(`   load average before measuring: ${loadAverage} (${machine.cores} cores)`);
      const scenarioResults: ScenarioResult[] = [];
      for (const scenario of cases) {
        const info = await describeRegion(db, scenario.request.region);
        if (!info) throw new Error(`unknown region ${scenario.request.region}`);
        const rollup = await measure(() => tally(db, scenario.request, info));
        const raw = await measure(() =>
          rawTally(pool as pg.Pool, scenario.request, scenario.rawKey),
        );
        const answer = fromTally(rollup.result);
        const diff = differences(answer, raw.result);
        const adjustments = Object.values(rollup.result.totals.adjustments).some((v) => v);
        if (adjustments) diff.push("rollup reports adjustments, but none were generated");
        if (diff.length) failed = true;
        const result: ScenarioResult = {
          id: scenario.id,
          name: scenario.name,
          rollup: rollup.timing,
          raw: raw.timing,
          ratio: round(raw.timing.medianMs / rollup.timing.medianMs, 1),
          equal: diff.length === 0,
          differences: diff,
          rows: rollup.result.rows.length,
          totals: answer.totals,
          awaitingSignOff: answer.awaitingSignOff,
        };
        scenarioResults.push(result);
        console.log(
          `   ${scenario.id}. ${scenario.name}: rollup ${fmtMs(result.rollup.medianMs)} ms, raw ${fmtMs(result.raw.medianMs)} ms, ` +
            `${result.ratio}×, ${result.equal ? "equal" : `DIFFERENT: ${diff.join("; ")}`}`,
        );
      }

      console.log(`   write path: ${fmtScale(WRITE_OUTCOMES)} outcomes with and without triggers…`);
      const write = await writeTest(a, scale, counties.length);
      console.log(
        `   write: ${fmtMs(write.withTriggersMs)} ms with triggers, ${fmtMs(write.withoutTriggersMs)} ms without (${write.ratio}×); ` +
          `incremental rollups ${write.incrementalCheck?.equal ? "equal" : "DIFFER from"} the raw records of ${WRITE_MONTH.slice(0, 7)}`,
      );
      if (!write.incrementalCheck?.equal) failed = true;
      console.log(
        `   write path per request: ${REQUEST_WRITES} outcomes, each recorded and signed off in a committed transaction of its own…`,
      );
      const requestWrite = await requestWriteTest(a, scale, counties.length);
      console.log(
        `   per request: ${fmtMs(requestWrite.withTriggers.medianMs)} ms (p95 ${fmtMs(requestWrite.withTriggers.p95Ms)}) with triggers, ` +
          `${fmtMs(requestWrite.withoutTriggers.medianMs)} ms (p95 ${fmtMs(requestWrite.withoutTriggers.p95Ms)}) without (${requestWrite.ratio}×); ` +
          `incremental rollups ${requestWrite.incrementalCheck?.equal ? "equal" : "DIFFER from"} the raw records of ${requestWrite.incrementalCheck?.month}`,
      );
      if (!requestWrite.incrementalCheck?.equal) failed = true;
      await a.query("vacuum (analyze) events");

      let investigation: unknown;
      if (scale === scales[scales.length - 1])
        investigation = await investigate(pool, db, cases, scenarioResults, scale);
      results.push({
        scale,
        loadAverage,
        load,
        sizes: tableSizes,
        scenarios: scenarioResults,
        write,
        requestWrite,
        investigation,
      });
      console.log("");
    }

    // The summary table.
    console.log(
      `Tallies for ${YEAR}: median / p95 of up to ${RUNS} runs after at least ${WARM_UPS} warm-ups and ${WARM_UP_MS / 1000} s of them (ms)\n`,
    );
    const table: string[][] = [
      ["scale", "query", "rollup p50", "p95", "raw p50", "p95", "raw/rollup", "runs", "answers"],
    ];
    for (const r of results)
      for (const s of r.scenarios)
        table.push([
          fmtScale(r.scale),
          s.name,
          fmtMs(s.rollup.medianMs),
          fmtMs(s.rollup.p95Ms),
          fmtMs(s.raw.medianMs),
          fmtMs(s.raw.p95Ms),
          `${s.ratio}×`,
          `${s.rollup.runs}/${s.raw.runs}`,
          s.equal ? "equal" : "DIFFERENT",
        ]);
    printTable(table);
    console.log(
      "\nWrite path in bulk (all outcomes in one transaction: insert recorded + groups + volunteers, then sign off; median of 3, rolled back):\n",
    );
    printTable([
      [
        "scale",
        "outcomes",
        "with triggers",
        "without",
        "ratio",
        "µs/outcome with",
        "without",
        "rollups",
      ],
      ...results.map((r) => [
        fmtScale(r.scale),
        String(r.write.outcomes),
        `${fmtMs(r.write.withTriggersMs)} ms`,
        `${fmtMs(r.write.withoutTriggersMs)} ms`,
        `${r.write.ratio}×`,
        String(r.write.perOutcomeWithTriggersUs),
        String(r.write.perOutcomeWithoutTriggersUs),
        r.write.incrementalCheck?.equal ? "equal" : "DIFFERENT",
      ]),
    ]);
    console.log(
      "\nWrite path per request (each outcome recorded and signed off in its own committed transaction):\n",
    );
    printTable([
      ["scale", "outcomes", "with triggers p50", "p95", "without p50", "p95", "ratio", "rollups"],
      ...results.map((r) => [
        fmtScale(r.scale),
        String(r.requestWrite.outcomes),
        `${fmtMs(r.requestWrite.withTriggers.medianMs)} ms`,
        `${fmtMs(r.requestWrite.withTriggers.p95Ms)} ms`,
        `${fmtMs(r.requestWrite.withoutTriggers.medianMs)} ms`,
        `${fmtMs(r.requestWrite.withoutTriggers.p95Ms)} ms`,
        `${r.requestWrite.ratio}×`,
        r.requestWrite.incrementalCheck?.equal ? "equal" : "DIFFERENT",
      ]),
    ]);
    const atGoal = results.find((r) => r.scale === GOAL.at);
    if (atGoal) {
      const a = atGoal.scenarios.find((s) => s.id === "a");
      const c = atGoal.scenarios.find((s) => s.id === "c");
      console.log(
        `\nGoal at 10^7: county-year < ${GOAL.countyYearMs} ms → ${fmtMs(a?.rollup.medianMs ?? Number.NaN)} ms (${(a?.rollup.medianMs ?? Infinity) < GOAL.countyYearMs ? "met" : "MISSED"}); ` +
          `all counties < ${GOAL.allCountiesMs} ms → ${fmtMs(c?.rollup.medianMs ?? Number.NaN)} ms (${(c?.rollup.medianMs ?? Infinity) < GOAL.allCountiesMs ? "met" : "MISSED"})`,
      );
    }

    const resultsDir = new URL("./results/", import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = `tallies-${stamp}.json`;
    writeFileSync(
      new URL(file, resultsDir),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine,
          postgres: Object.fromEntries(settings.map((s) => [s.name, `${s.setting}${s.unit}`])),
          serverSettings: SERVER_SETTINGS,
          year: YEAR,
          runs: RUNS,
          warmUps: WARM_UPS,
          goal: GOAL,
          data: {
            counties: counties.length,
            communities: Number(directory[0]?.communities),
            socialWorkers: Number(directory[0]?.workers),
            months: MONTHS,
            firstMonth: FIRST_MONTH,
            volunteerPoolPerCounty: VOLUNTEER_POOL,
            recordedPerMille: RECORDED_PER_MILLE,
          },
          results,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nWritten to bench/results/${file}`);
    if (failed) process.exitCode = 1;
  } finally {
    for (const client of loaders) await client.end().catch(() => {});
    await pool?.end().catch(() => {});
    stop();
  }
}

/**
 * At the largest scale: where the time of each tally goes (EXPLAIN ANALYZE of each query tally()
 * sends), and the effect of candidate indexes tried in this throwaway database.
 */
async function investigate(
  pool: pg.Pool,
  db: ScriptDatabase,
  cases: Scenario[],
  measured: ScenarioResult[],
  scale: number,
) {
  const out: Record<string, unknown> = {};
  for (const scenario of cases.filter((s) => s.id !== "b")) {
    const info = await describeRegion(db, scenario.request.region);
    if (!info) continue;
    const explained = await explainTally(pool, scenario.request, info);
    out[`explain_${scenario.id}`] = explained;
    console.log(
      `   EXPLAIN ANALYZE of the queries tally() sends for ${scenario.id} at ${fmtScale(scale)}:`,
    );
    for (const e of explained)
      console.log(`     ${fmtMs(e.executionMs).padStart(8)} ms  ${e.query.slice(0, 110)}`);
  }
  out.measuredBefore = measured.map((m) => ({ id: m.id, rollup: m.rollup }));

  // Experiments in this throwaway database (src/ and drizzle/ are not changed).
  const experiments: Record<string, unknown>[] = [];
  const all = cases.find((s) => s.id === "c");
  const rerun = async (scenario: Scenario | undefined, runs: number) => {
    if (!scenario) return undefined;
    const info = await describeRegion(db, scenario.request.region);
    if (!info) return undefined;
    return (await measure(() => tally(db, scenario.request, info), runs)).timing;
  };
  // The all-counties tally sorts hundreds of thousands to millions of rollup rows per query,
  //    spilling to disk with work_mem 4MB: the same with 256MB.
  await pool.query("alter system set work_mem = '256MB'");
  await pool.query("select pg_reload_conf()");
  await new Promise((resolve) => setTimeout(resolve, 500));
  const withMemory = await rerun(all, 3);
  await pool.query("alter system reset work_mem");
  await pool.query("select pg_reload_conf()");
  experiments.push({
    change: "work_mem = 256MB (server default 4MB)",
    scenario: "c",
    before: measured.find((m) => m.id === "c")?.rollup,
    after: withMemory,
  });
  console.log(
    `   experiment: work_mem 256MB → all counties ${fmtMs(withMemory?.medianMs ?? Number.NaN)} ms (was ${fmtMs(measured.find((m) => m.id === "c")?.rollup.medianMs ?? Number.NaN)})`,
  );
  out.experiments = experiments;
  return out;
}

await main();
