/**
 * `npm run bench:load [-- --steps=1,2,4,8,16,32,64] [--seconds=12] [--threshold=200]`: the
 * realistic mix — 90% public page views, 8% sign-ups, 2% staff reads and tallies — through
 * `wrangler dev` on a throwaway PostgreSQL cluster, at rising concurrency until p99 passes the
 * threshold (one step past it shows the knee, then it stops). Prints each step overall and per
 * class, the sustained rate (the last step under the threshold) and PASS when nothing failed up
 * to there, then checks the sign-up invariants in the database. Writes
 * bench/results/load-<timestamp>.json. Exits non-zero on FAIL or a broken invariant.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { freePort, type ScriptDatabase } from "../scripts/lib/database";
import { type Stack, startStack } from "../scripts/lib/stack";
import { serviceTypes } from "../src/domain/vocabulary";
import { coresBetween, sampleCpu } from "./lib/cpu";
import { type PerRequest, perRequest, readCounters } from "./lib/db-counters";
import { runLoadInThread } from "./lib/load";
import {
  type MixOptions,
  type MixResult,
  type MixTemplate,
  type RequestClass,
  requestClasses,
  runMixInThread,
  type SignupOutcome,
} from "./lib/mixed-load";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "1,2,4,8,16,32,64" },
    seconds: { type: "string", default: "12" },
    "warm-up": { type: "string", default: "3" },
    threshold: { type: "string", default: "200" },
    "no-pgbouncer": { type: "boolean", default: false },
  },
});
const steps = values.steps.split(",").map(Number);
const durationMs = Number(values.seconds) * 1000;
const warmUpMs = Number(values["warm-up"]) * 1000;
const thresholdMs = Number(values.threshold);
if (
  steps.length === 0 ||
  steps.some((n) => !(Number.isInteger(n) && n >= 1 && n <= 256)) ||
  !(durationMs >= 1000 && durationMs <= 60_000) ||
  !(warmUpMs >= 0 && warmUpMs <= 60_000) ||
  !(thresholdMs > 0)
) {
  console.error("--steps must be integers 1–256, --seconds 1–60, --warm-up 0–60, --threshold > 0");
  process.exit(2);
}

/** The mix, in percent of requests. */
const MIX = { page: 90, signup: 8, staff: 2 } as const;
/** Share of sign-ups through the HTML form; the rest use the JSON API. */
const FORM_SHARE = 0.25;
/** Events made for the sign-ups: this many with room for everyone, and one small one. */
const BIG_EVENTS = 6;
const BIG_CAPACITY = 10_000; // the most an event may have (events_capacity_range)
const SMALL_CAPACITY = 5;
/** Share of sign-ups that go to the small event (it fills up and the rest wait). */
const SMALL_SHARE = 0.1;
const SIGNUP_LIMITS_OFF = "1000000000";
const DEMO_PASSWORD = "shuangyi-demo";

type Rows<T> = { rows: T[] };
const rowsOf = async <T>(db: ScriptDatabase, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as Rows<T>).rows;

const load1 = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

interface BenchEvent {
  id: string;
  title: string;
  capacity: number;
  communityCode: string;
}

/**
 * The sign-up events: pilot communities in different cities (沈阳 first), each event led by a
 * social worker with nothing else upcoming, no teams, in five days — so no overlap constraint
 * can object and the events show in the public lists like any other.
 */
async function makeEvents(db: ScriptDatabase): Promise<{ big: BenchEvent[]; small: BenchEvent }> {
  const communities = await rowsOf<{ id: string; region_code: string; name: string }>(
    db,
    sql`select distinct on (left(c.county_code, 4)) c.id, c.region_code, c.name
        from communities c where c.is_pilot
        order by left(c.county_code, 4), c.region_code`,
  );
  const workers = await rowsOf<{ id: string }>(
    db,
    sql`select id from social_workers sw
        where not exists (select 1 from events e where e.lead_social_worker_id = sw.id
                            and e.ends_at > now() - interval '1 day')
        order by id limit ${BIG_EVENTS + 1}`,
  );
  if (communities.length < 2 || workers.length < BIG_EVENTS + 1)
    throw new Error("not enough demo communities or social workers for the load events");
  const made: BenchEvent[] = [];
  for (let i = 0; i <= BIG_EVENTS; i++) {
    const community = communities[i % communities.length];
    const worker = workers[i];
    if (!community || !worker) throw new Error("no community or social worker");
    const small = i === BIG_EVENTS;
    const capacity = small ? SMALL_CAPACITY : BIG_CAPACITY;
    const title = small ? `负载测试小活动（${capacity} 人）` : `负载测试活动 ${i + 1}`;
    const [row] = await rowsOf<{ id: string }>(
      db,
      sql`insert into events (community_id, service_type, title, lead_social_worker_id,
                              starts_at, ends_at, capacity)
          values (${community.id}::uuid, ${serviceTypes[i % serviceTypes.length]}, ${title},
                  ${worker.id}::uuid,
                  date_trunc('hour', now()) + interval '5 days' + make_interval(hours => ${i}::int),
                  date_trunc('hour', now()) + interval '5 days' + make_interval(hours => ${i + 2}::int),
                  ${capacity})
          returning id`,
    );
    if (!row) throw new Error("event insert returned no row");
    made.push({ id: row.id, title, capacity, communityCode: community.region_code });
  }
  const small = made.pop();
  if (!small) throw new Error("no small event");
  return { big: made, small };
}

/** Signs a demo account in through the form; returns the session cookie to send back. */
async function signIn(baseUrl: string, login: string): Promise<string> {
  const response = await fetch(`${baseUrl}/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ loginName: login, password: DEMO_PASSWORD }).toString(),
    redirect: "manual",
  });
  const cookie = response.headers
    .getSetCookie()
    .find((line) => line.startsWith("__Secure-sy_staff="))
    ?.split(";")[0];
  if (response.status !== 303 || !cookie)
    throw new Error(`staff sign-in as ${login} failed: HTTP ${response.status}`);
  return cookie;
}

/** Spreads `total` weight evenly over `items`. */
function spread<T>(items: T[], total: number, make: (item: T, weight: number) => MixTemplate) {
  return items.map((item) => make(item, total / items.length));
}

async function buildTemplates(stack: Stack, pageEventIds: string[], codes: string[]) {
  const { url, tokens } = stack;
  const cities = [...new Set(codes.map((code) => `${code.slice(0, 4)}00`))].sort();
  const counties = [...new Set(codes.map((code) => code.slice(0, 6)))].sort();
  const page = (kind: string, path: string, weight: number): MixTemplate => ({
    cls: "page",
    kind,
    url: `${url}${path}`,
    weight,
  });
  // Page views (90): the list (37: all, by city, by county), event pages (48), QR codes (5).
  const pages: MixTemplate[] = [
    page("GET /events", "/events", 15),
    ...spread(cities, 12, (city, w) => page("GET /events?city", `/events?city=${city}`, w)),
    ...spread(counties, 10, (county, w) =>
      page("GET /events?city&county", `/events?city=${county.slice(0, 4)}00&county=${county}`, w),
    ),
    ...spread(pageEventIds, 48, (id, w) => page("GET /events/:id", `/events/${id}`, w)),
    ...spread(pageEventIds.slice(0, 8), 5, (id, w) =>
      page("GET /events/:id/qr.svg", `/events/${id}/qr.svg`, w),
    ),
  ];

  const period = "from=2025-01&to=2025-12";
  const api = (kind: string, path: string, token: string, weight: number): MixTemplate => ({
    cls: "staff",
    kind,
    url: `${url}${path}`,
    headers: { authorization: `Bearer ${token}` },
    weight,
  });
  const shenyang = await signIn(url, "shenyang");
  const shenhe = await signIn(url, "shenhe");
  const dashboard = (kind: string, path: string, cookie: string, weight: number): MixTemplate => ({
    cls: "staff",
    kind,
    url: `${url}${path}`,
    headers: { cookie },
    weight,
  });
  // Staff (2): event and need lists by admin, departments and a coordinator; tallies and
  // coverage for 沈阳市 and 沈河区; the dashboard page.
  const staff: MixTemplate[] = [
    api("GET /api/v1/events", "/api/v1/events?limit=50", tokens.admin, 0.2),
    api("GET /api/v1/events", "/api/v1/events?limit=50", tokens.shenyangDepartment, 0.1),
    api("GET /api/v1/events", "/api/v1/events", tokens.duofuCoordinator, 0.1),
    api("GET /api/v1/needs", "/api/v1/needs", tokens.admin, 0.1),
    api("GET /api/v1/needs", "/api/v1/needs", tokens.duofuCoordinator, 0.1),
    api("GET /api/v1/needs", "/api/v1/needs", tokens.shenheDepartment, 0.1),
    api(
      "GET /api/v1/tallies",
      `/api/v1/tallies?region=210100&${period}&groupBy=month`,
      tokens.shenyangDepartment,
      0.3,
    ),
    api(
      "GET /api/v1/tallies",
      `/api/v1/tallies?region=210100&${period}&groupBy=month`,
      tokens.admin,
      0.1,
    ),
    api(
      "GET /api/v1/tallies",
      `/api/v1/tallies?region=210103&${period}&groupBy=month,serviceType`,
      tokens.shenheDepartment,
      0.1,
    ),
    api(
      "GET /api/v1/tallies/coverage",
      `/api/v1/tallies/coverage?region=210100&${period}`,
      tokens.shenyangDepartment,
      0.3,
    ),
    dashboard("GET /staff/tallies", `/staff/tallies?region=210100&${period}`, shenyang, 0.3),
    dashboard("GET /staff/tallies", `/staff/tallies?${period}`, shenhe, 0.2),
  ];
  return [...pages, ...staff];
}

/** Sends every template once: a broken request in the mix would measure nothing useful. */
async function probe(templates: MixTemplate[]): Promise<string[]> {
  const problems: string[] = [];
  for (const template of templates) {
    const response = await fetch(template.url, {
      method: template.method ?? "GET",
      headers: template.headers,
      redirect: "manual",
    });
    const text = await response.text();
    if (response.status >= 300)
      problems.push(
        `${template.kind} ${template.url}: HTTP ${response.status} ${text.slice(0, 200)}`,
      );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Invariants, checked in the database after the run.

interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

async function checkInvariants(
  db: ScriptDatabase,
  benchEvents: BenchEvent[],
  outcomes: SignupOutcome[],
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const ids = benchEvents.map((event) => event.id);
  const idList = sql.raw(`('${ids.join("','")}')`);

  // 1. No event over capacity; the counter equals its confirmed + attended sign-ups (all events).
  const counters = await rowsOf<{
    event_id: string;
    capacity: number;
    event_capacity: number;
    confirmed: number;
    actual: number;
  }>(
    db,
    sql`select e.id as event_id, c.capacity, e.capacity as event_capacity, c.confirmed,
          (select count(*)::int from signups s
            where s.event_id = e.id and s.status in ('confirmed', 'attended')) as actual
        from events e join event_signup_counters c on c.event_id = e.id`,
  );
  const [{ missing } = { missing: -1 }] = await rowsOf<{ missing: number }>(
    db,
    sql`select count(*)::int as missing from events e
        where not exists (select 1 from event_signup_counters c where c.event_id = e.id)`,
  );
  const over = counters.filter((r) => r.confirmed > r.capacity || r.actual > r.event_capacity);
  const disagree = counters.filter((r) => r.confirmed !== r.actual);
  const capacityDrift = counters.filter((r) => r.capacity !== r.event_capacity);
  results.push({
    name: "no event over capacity",
    ok: over.length === 0,
    detail: `${counters.length} events; ${over.length} over capacity${over.length ? `: ${over.map((r) => r.event_id).join(", ")}` : ""}`,
  });
  results.push({
    name: "counter = confirmed + attended sign-ups",
    ok: disagree.length === 0 && capacityDrift.length === 0 && missing === 0,
    detail: `${disagree.length} counters disagree, ${capacityDrift.length} capacities differ from the event's, ${missing} events without a counter`,
  });

  // 2. One non-cancelled sign-up per mobile hash per event (all events).
  const duplicates = await rowsOf<{ event_id: string; n: number }>(
    db,
    sql`select event_id, count(*)::int as n from signups where status <> 'cancelled'
        group by event_id, mobile_hash having count(*) > 1`,
  );
  const duplicateAnswers = outcomes.filter((o) => o.existing).length;
  results.push({
    name: "one non-cancelled sign-up per mobile per event",
    ok: duplicates.length === 0 && duplicateAnswers === 0,
    detail: `${duplicates.length} duplicated (event, mobile hash) pairs; ${duplicateAnswers} answers said "already signed up"`,
  });

  // 3. Waitlists: a place for each (distinct seqs), nobody waits while places are left, and the
  //    positions the clients were told are exactly 1..n per event (no cancellations in this run).
  const waitlists = await rowsOf<{
    event_id: string;
    capacity: number;
    confirmed: number;
    waitlisted: number;
    distinct_seqs: number;
  }>(
    db,
    sql`select s.event_id, e.capacity,
          count(*) filter (where s.status in ('confirmed', 'attended'))::int as confirmed,
          count(*) filter (where s.status = 'waitlisted')::int as waitlisted,
          count(distinct s.waitlist_seq) filter (where s.status = 'waitlisted')::int as distinct_seqs
        from signups s join events e on e.id = s.event_id
        group by s.event_id, e.capacity`,
  );
  const waitProblems: string[] = [];
  for (const row of waitlists) {
    if (row.distinct_seqs !== row.waitlisted)
      waitProblems.push(
        `${row.event_id}: ${row.waitlisted} waitlisted, ${row.distinct_seqs} places`,
      );
    if (row.waitlisted > 0 && row.confirmed < row.capacity)
      waitProblems.push(`${row.event_id}: waitlisted while ${row.capacity - row.confirmed} left`);
  }
  // The small event takes API sign-ups only, so every waitlisted one was told its place.
  const told = new Map<string, number[]>();
  for (const o of outcomes)
    if (o.created && o.via === "api" && o.signupStatus === "waitlisted")
      told.set(o.eventId, [...(told.get(o.eventId) ?? []), o.waitlistPosition ?? -1]);
  let positionsTold = 0;
  for (const row of waitlists.filter((w) => ids.includes(w.event_id) && w.waitlisted > 0)) {
    const sorted = (told.get(row.event_id) ?? []).sort((a, b) => a - b);
    positionsTold += sorted.length;
    if (sorted.length !== row.waitlisted || sorted.some((p, i) => p !== i + 1))
      waitProblems.push(
        `${row.event_id}: ${row.waitlisted} waitlisted, positions told ${sorted.join(",")}`,
      );
  }
  const smallRow = waitlists.find((w) => w.event_id === benchEvents.at(-1)?.id);
  results.push({
    name: "waitlist positions without gaps",
    ok: waitProblems.length === 0,
    detail:
      `${waitlists.reduce((n, r) => n + r.waitlisted, 0)} waitlisted over ${waitlists.filter((r) => r.waitlisted > 0).length} events ` +
      `(small event: ${smallRow?.confirmed ?? 0}/${smallRow?.capacity ?? SMALL_CAPACITY} confirmed, ${smallRow?.waitlisted ?? 0} waiting); ` +
      `${positionsTold} positions told by the API checked` +
      (waitProblems.length ? `; ${waitProblems.slice(0, 5).join("; ")}` : ""),
  });

  // 4. Every answered sign-up is stored as answered, with its outbox row; nothing else is stored.
  const stored = await rowsOf<{
    id: string;
    event_id: string;
    status: string;
    confirmation_code: string;
    kinds: string[] | null;
  }>(
    db,
    sql`select s.id, s.event_id, s.status, s.confirmation_code,
          (select array_agg(n.kind::text) from notifications n where n.signup_id = s.id) as kinds
        from signups s where s.event_id in ${idList}`,
  );
  const byId = new Map(stored.map((row) => [row.id, row]));
  const byCode = new Map(stored.map((row) => [`${row.event_id}:${row.confirmation_code}`, row]));
  const created = outcomes.filter((o) => o.created);
  const storeProblems: string[] = [];
  const matched = new Set<string>();
  for (const o of created) {
    const row =
      o.via === "api"
        ? byId.get(o.signupId ?? "")
        : byCode.get(`${o.eventId}:${o.confirmationCode}`);
    if (!row) {
      storeProblems.push(`${o.via} sign-up ${o.signupId ?? o.confirmationCode} not stored`);
      continue;
    }
    matched.add(row.id);
    if (row.event_id !== o.eventId) storeProblems.push(`${row.id}: stored for another event`);
    if (o.via === "api" && row.status !== o.signupStatus)
      storeProblems.push(`${row.id}: answered ${o.signupStatus}, stored ${row.status}`);
    const expected = row.status === "waitlisted" ? "waitlisted" : "signup_confirmed";
    if (!row.kinds?.includes(expected)) storeProblems.push(`${row.id}: no ${expected} outbox row`);
  }
  const unanswered = stored.filter((row) => !matched.has(row.id));
  const apiCreated = created.filter((o) => o.via === "api").length;
  results.push({
    name: "every 201 sign-up stored with its outbox row",
    ok: storeProblems.length === 0 && unanswered.length === 0,
    detail:
      `${apiCreated} API 201s + ${created.length - apiCreated} form confirmations; ${stored.length} rows stored for the load events, ` +
      `${stored.length - unanswered.length} matched, ${unanswered.length} stored without a success answer` +
      (storeProblems.length ? `; ${storeProblems.slice(0, 5).join("; ")}` : ""),
  });
  return results;
}

/** Sessions ever opened on the database (PostgreSQL 14+), to count connections per request. */
async function sessionCount(db: ScriptDatabase): Promise<number> {
  const [row] = await rowsOf<{ sessions: string }>(
    db,
    sql`select sessions from pg_stat_database where datname = current_database()`,
  );
  return Number(row?.sessions ?? Number.NaN);
}

/** One connection on routes outside the mix: the Worker alone, and one query, for scale. */
async function baseline(url: string) {
  const routes = [
    { name: "GET / (no database)", path: "/" },
    { name: "GET /healthz (select 1)", path: "/healthz" },
  ];
  const results = [];
  for (const route of routes) {
    const result = await runLoadInThread({
      url: `${url}${route.path}`,
      connections: 1,
      durationMs: 2000,
    });
    results.push({ ...route, ...result });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Output.

/** Prints aligned columns: numbers to the right; the first column to the left when `label`. */
function printTable(rows: string[][], label = false): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((r) => r[column]?.length ?? 0)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) =>
          label && i === 0 ? cell.padEnd(widths?.[0] ?? 0) : cell.padStart(widths?.[i] ?? 0),
        )
        .join("  "),
    );
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value.toFixed(0));
const triple = (s: { p50: number; p95: number; p99: number }) =>
  `${ms(s.p50)}/${ms(s.p95)}/${ms(s.p99)}`;
const statusText = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .filter(([status]) => status === "error" || Number(status) >= 400)
    .map(([status, n]) => `${status}×${n}`)
    .join(" ") || "0";

interface Step extends Omit<MixResult, "signups"> {
  load1Before: number;
  cores: Record<string, number>;
  /** PostgreSQL sessions opened per request (the Worker opens its connections per request). */
  sessionsPerRequest: number;
  /** The Worker's sessions and round trips per request (the relay's counts). */
  cost: PerRequest;
  signupsCreated: number;
  signupsWaitlisted: number;
}

function stepRow(step: Step): string[] {
  const cls = (c: RequestClass) => step.classes[c];
  return [
    String(step.connections),
    step.load1Before.toFixed(2),
    String(step.requests),
    step.rps.toFixed(1),
    ms(step.overall.p50),
    ms(step.overall.p95),
    ms(step.overall.p99),
    ...requestClasses.map((c) => `${cls(c).count}: ${triple(cls(c))}`),
    statusText(step.statuses),
  ];
}

const STEP_HEADER = [
  "conc",
  "load1",
  "requests",
  "req/s",
  "p50",
  "p95",
  "p99",
  "page n: p50/p95/p99",
  "sign-up n: p50/p95/p99",
  "staff n: p50/p95/p99",
  "errors",
];

const LIVE_WIDTHS = [4, 5, 8, 6, 4, 4, 4, 22, 22, 22, 8];

/** Per kind of request at one step, slowest p99 first, with each kind's share of all the time. */
function printKinds(step: Step): void {
  const kinds = Object.entries(step.kinds);
  const totalTime = kinds.reduce((sum, [, k]) => sum + k.mean * k.count, 0);
  const rows = kinds
    .sort(([, a], [, b]) => b.p99 - a.p99)
    .map(([name, k]) => [
      name,
      k.cls,
      String(k.count),
      ms(k.p50),
      ms(k.p95),
      ms(k.p99),
      ms(k.max),
      `${((k.mean * k.count * 100) / totalTime).toFixed(1)}%`,
      statusText(k.statuses),
    ]);
  printTable([["kind", "class", "n", "p50", "p95", "p99", "max", "time share", "errors"], ...rows]);
}

// ---------------------------------------------------------------------------------------------

const shutdown = new AbortController();
let stack: Stack | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    shutdown.abort();
    void (stack?.stop() ?? Promise.resolve()).then(() => process.exit(130));
  });

/** The end of wrangler's output (the Worker's errors), for evidence when something fails. */
let workerOutput = "";
const started = Date.now();
const loadAtStart = loadText();
console.log(`load average before the run: ${loadAtStart} (1/5/15 min)`);
console.log("Starting the stack (postgres)…");
try {
  stack = await startStack({
    port: await freePort(),
    database: "postgres",
    quiet: true,
    tokenLabel: "bench/load",
    signal: shutdown.signal,
    pgbouncer: values["no-pgbouncer"] ? false : undefined,
    vars: {
      SIGNUP_RATE_LIMIT_PER_CLIENT: SIGNUP_LIMITS_OFF,
      SIGNUP_RATE_LIMIT_PER_EVENT: SIGNUP_LIMITS_OFF,
      API_RATE_LIMIT_PER_TOKEN: SIGNUP_LIMITS_OFF,
      LOGIN_RATE_LIMIT_PER_CLIENT: SIGNUP_LIMITS_OFF,
    },
    onOutput: (text) => {
      workerOutput = (workerOutput + text).slice(-20_000);
    },
  });
  const { db } = stack;
  const [version] = await rowsOf<{ server_version: string }>(db, sql`show server_version`);
  const { big, small } = await makeEvents(db);
  const benchEvents = [...big, small];
  const upcoming = await rowsOf<{ id: string; region_code: string }>(
    db,
    sql`select e.id, c.region_code from events e join communities c on c.id = e.community_id
        where e.status = 'scheduled' and e.starts_at > now() order by e.starts_at, e.id`,
  );
  const [outcomeCount] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from outcomes`,
  );
  const templates = await buildTemplates(
    stack,
    upcoming.map((e) => e.id),
    upcoming.map((e) => e.region_code),
  );
  const problems = await probe(templates);
  if (problems.length > 0)
    throw new Error(`requests of the mix that do not answer 2xx/3xx:\n  ${problems.join("\n  ")}`);

  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    postgres: version?.server_version,
  };
  console.log(
    `machine: ${machine.cores} cores (${machine.cpu}) · Node ${machine.node} · PostgreSQL ${machine.postgres}`,
  );
  console.log(
    `data: ${upcoming.length} upcoming events (${benchEvents.length} made for sign-ups: ${BIG_EVENTS} × ${BIG_CAPACITY} places, 1 × ${SMALL_CAPACITY}), ${outcomeCount?.n ?? "?"} outcomes`,
  );
  console.log(
    `mix: ${MIX.page}% pages (${templates.filter((t) => t.cls === "page").length} URLs), ` +
      `${MIX.signup}% sign-ups (${Math.round(FORM_SHARE * 100)}% by form, ${Math.round(SMALL_SHARE * 100)}% to the small event by API), ` +
      `${MIX.staff}% staff (${templates.filter((t) => t.cls === "staff").length} requests: API with tokens, dashboard with a session)`,
  );
  console.log(
    `steps: ${steps.join(", ")} connections × ${durationMs / 1000} s, until p99 > ${thresholdMs} ms (+1 step)\n`,
  );

  let mobileNext = 0;
  const allOutcomes: SignupOutcome[] = [];
  const signupEvents = [
    ...big.map((e) => ({ eventId: e.id, weight: (1 - SMALL_SHARE) / big.length })),
    { eventId: small.id, weight: SMALL_SHARE, form: false },
  ];
  const run = async (connections: number, ms: number, seed: number): Promise<Step> => {
    const options: MixOptions = {
      baseUrl: stack?.url ?? "",
      templates,
      signups: {
        weight: MIX.signup,
        formShare: FORM_SHARE,
        events: signupEvents,
        mobileStart: mobileNext,
      },
      connections,
      durationMs: ms,
      seed,
    };
    const load1Before = load1();
    const sessionsBefore = await sessionCount(db);
    const countersBefore = stack ? await readCounters(stack) : undefined;
    const before = sampleCpu(stack?.cluster?.port);
    const { signups, ...result } = await runMixInThread(options);
    const cores = coresBetween(before, sampleCpu(stack?.cluster?.port));
    const sessions = (await sessionCount(db)) - sessionsBefore;
    const countersAfter = stack ? await readCounters(stack) : undefined;
    mobileNext += result.mobilesUsed;
    allOutcomes.push(...signups);
    return {
      ...result,
      load1Before,
      cores,
      sessionsPerRequest: Math.round((sessions / Math.max(1, result.requests)) * 100) / 100,
      cost:
        countersBefore && countersAfter
          ? perRequest(countersBefore, countersAfter, result.requests)
          : { workerSessions: 0, roundTrips: 0, serverSessions: 0, poolerQueries: 0 },
      signupsCreated: signups.filter((o) => o.created).length,
      signupsWaitlisted: signups.filter((o) => o.created && o.signupStatus === "waitlisted").length,
    };
  };

  const warmUp = warmUpMs > 0 ? await run(4, warmUpMs, 1) : undefined;
  if (warmUp)
    console.log(
      `warm-up: 4 connections × ${warmUpMs / 1000} s, ${warmUp.requests} requests, errors ${statusText(warmUp.statuses)}\n`,
    );

  const base = await baseline(stack.url);
  console.log(
    `baseline at 1 connection: ${base.map((b) => `${b.name} p50 ${b.p50.toFixed(1)} ms, ${b.rps.toFixed(0)} req/s`).join("; ")}\n`,
  );

  // Rows are printed as they come, in fixed widths; the whole table again at the end.
  const live = (row: string[]) =>
    console.log(row.map((cell, i) => cell.padStart(LIVE_WIDTHS[i] ?? 0)).join("  "));
  live(STEP_HEADER);
  const results: Step[] = [];
  let crossedAt: number | undefined;
  for (const [index, connections] of steps.entries()) {
    const step = await run(connections, durationMs, 1000 + index);
    results.push(step);
    live(stepRow(step));
    if (crossedAt !== undefined) break;
    if (step.overall.p99 > thresholdMs) crossedAt = index;
  }

  console.log("\nAll steps (latencies in ms; class cells: count: p50/p95/p99):");
  printTable([STEP_HEADER, ...results.map(stepRow)]);
  console.log(
    "\nCPU by process (cores busy during each step), and per request: the Worker's database sessions and round trips, new PostgreSQL backends:",
  );
  const groups = Object.keys(results[0]?.cores ?? {});
  printTable([
    ["conc", ...groups, "sessions/req", "round trips/req", "backends/req"],
    ...results.map((s) => [
      String(s.connections),
      ...groups.map((g) => (s.cores[g] ?? 0).toFixed(2)),
      s.cost.workerSessions.toFixed(2),
      s.cost.roundTrips.toFixed(2),
      s.sessionsPerRequest.toFixed(2),
    ]),
  ]);

  const sustainedIndex = crossedAt === undefined ? results.length - 1 : crossedAt - 1;
  const sustained = sustainedIndex >= 0 ? results[sustainedIndex] : undefined;
  const upToSustained = [...(warmUp ? [warmUp] : []), ...results.slice(0, sustainedIndex + 1)];
  const errorsUpToSustained = upToSustained.reduce((sum, s) => sum + s.errors, 0);
  const duplicateAnswers = allOutcomes.filter((o) => o.existing).length;
  const totalErrors = results.reduce((sum, s) => sum + s.errors, 0);

  if (sustained) {
    console.log(`\nPer kind at the sustained step (${sustained.connections} connections):`);
    printKinds(sustained);
  }
  const last = results.at(-1);
  if (last && last !== sustained) {
    console.log(`\nPer kind at the last step (${last.connections} connections):`);
    printKinds(last);
  }
  const samples = results.flatMap((s) => s.errorSamples.map((e) => ({ ...e, at: s.connections })));
  if (samples.length > 0) {
    console.log("\nFirst errors:");
    for (const e of samples.slice(0, 10))
      console.log(`  @${e.at}: ${e.kind} → ${e.status} ${e.detail.replace(/\s+/g, " ")}`);
    const lines = workerOutput.split("\n").filter((line) => /error|exception|✘/i.test(line));
    if (lines.length > 0) console.log(`Worker output:\n  ${lines.slice(-15).join("\n  ")}`);
  }

  console.log("\nInvariants (checked in the database after the run):");
  const invariants = await checkInvariants(db, benchEvents, allOutcomes);
  for (const inv of invariants)
    console.log(`  ${inv.ok ? "ok    " : "BROKEN"} ${inv.name}: ${inv.detail}`);
  const invariantsOk = invariants.every((inv) => inv.ok);

  const crossed = crossedAt === undefined ? undefined : results[crossedAt];
  console.log(
    `\nsustained rate: ${sustained ? `${sustained.rps.toFixed(1)} req/s at ${sustained.connections} connections (p99 ${ms(sustained.overall.p99)} ms)` : "none (p99 over the threshold at the first step)"}`,
  );
  console.log(
    crossed
      ? `p99 passed ${thresholdMs} ms at ${crossed.connections} connections (${ms(crossed.overall.p99)} ms, ${crossed.rps.toFixed(1)} req/s)`
      : `p99 stayed under ${thresholdMs} ms up to ${last?.connections} connections`,
  );
  const pass = sustained !== undefined && errorsUpToSustained === 0 && duplicateAnswers === 0;
  console.log(
    `${pass ? "PASS" : "FAIL"}: ${errorsUpToSustained} errors up to the sustained step` +
      ` (${totalErrors} in all steps), ${duplicateAnswers} duplicate sign-up answers; ` +
      `invariants ${invariantsOk ? "hold" : "BROKEN"}`,
  );
  if (!pass || !invariantsOk) process.exitCode = 1;

  const resultsDir = new URL("./results/", import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  const file = `load-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  const summary = {
    date: new Date().toISOString(),
    machine,
    loadAverageBeforeRun: loadAtStart,
    settings: {
      steps,
      secondsPerStep: durationMs / 1000,
      warmUpSeconds: warmUpMs / 1000,
      thresholdMs,
      mix: MIX,
      formShare: FORM_SHARE,
      signupEvents: benchEvents,
      smallShare: SMALL_SHARE,
    },
    templates: templates.map(({ headers: _headers, ...t }) => t),
    warmUp,
    baseline: base,
    steps: results,
    sustained: sustained
      ? { connections: sustained.connections, rps: sustained.rps, p99: sustained.overall.p99 }
      : null,
    crossedAt: crossed
      ? { connections: crossed.connections, rps: crossed.rps, p99: crossed.overall.p99 }
      : null,
    errorsUpToSustained,
    totalErrors,
    duplicateAnswers,
    signups: {
      attempted: allOutcomes.length,
      created: allOutcomes.filter((o) => o.created).length,
      waitlisted: allOutcomes.filter((o) => o.created && o.signupStatus === "waitlisted").length,
    },
    invariants,
    pass: pass && invariantsOk,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(new URL(file, resultsDir), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nWritten to bench/results/${file} (${summary.wallSeconds} s in all)`);
} catch (error) {
  if (!shutdown.signal.aborted) {
    console.error(error instanceof Error ? error.message : error);
    if (error instanceof Error && error.cause) console.error("cause:", error.cause);
    process.exitCode = 1;
  }
} finally {
  await stack?.stop();
}
