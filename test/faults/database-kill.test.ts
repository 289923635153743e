/**
 * Fault injection (issue 6, "Faults"): the database is killed in the middle of a burst of public
 * sign-ups and started again, while `wrangler dev` keeps running. Afterwards, read straight from
 * PostgreSQL:
 *   1. every request answered 201 has its sign-up row (same id, same status, same waitlist
 *      position) and its notification outbox row;
 *   2. every other request got a 503 with Retry-After: never a 500, never a hung request. A 503'd
 *      sign-up may have committed (the server died after COMMIT, before the answer): counted;
 *   3. nothing is half-written: each event's counter equals its confirmed sign-ups, within its
 *      capacity, a waitlist without gaps, every sign-up with its outbox row;
 *   4. the app recovers without a restart: /healthz and a new sign-up answer soon after.
 * Then every request that was not answered 201 is retried, as a client would: it gets the sign-up
 * that had committed (200, same id) or a new one (201), never a second one.
 *
 * Runs only with TEST_DATABASE=postgres (`npm run test:postgres`): it needs Debian's PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/lib/stack";
import {
  importPersonalDataKeys,
  lookupHash,
  type PersonalDataKeys,
} from "../../src/lib/personal-data";

const BURSTS = 2;
/** Sign-ups sent before the kill, then after the restart, per burst. */
const BEFORE_KILL = 120;
const AFTER_RESTART = 100;
/** How long the database stays down (sign-ups keep coming), beyond the time pg_ctl takes. */
const DOWN_MS = 1_000;
/** Requests in flight at most, and the least time between two (≤ 66 a second). */
const MAX_IN_FLIGHT = 40;
const SEND_INTERVAL_MS = 15;
/**
 * A request that has not answered by then counts as hung (the app's own query timeout is 10 s;
 * generous, so that only a hang and never a busy machine crosses it).
 */
const CLIENT_TIMEOUT_MS = 60_000;
/** After the restart: /healthz 200 and a new sign-up 201 within this (how long it took is printed). */
const RECOVERY_LIMIT_MS = 60_000;
/** The small event fills up (then waitlists); the large one never does. */
const SMALL_CAPACITY = 20;
const LARGE_CAPACITY = 10_000;
/** One sign-up in SMALL_SHARE goes to the small event. */
const SMALL_SHARE = 4;

type Phase = "before" | "down" | "after" | "probe" | "retry";

interface Answer {
  status: number | "timeout" | "network";
  retryAfter: string | null;
  body: SignUpBody | undefined;
  ms: number;
  /** When it was sent and answered (performance.now()). */
  sentAt: number;
  answeredAt: number;
  /** The network error, or the start of a body that is not JSON. */
  error?: string;
}

interface SignUpBody {
  existing?: boolean;
  signup?: { id: string; status: string; waitlistPosition: number | null; eventId: string };
  error?: { code: string };
}

interface Attempt extends Answer {
  burst: number;
  mobile: string;
  eventId: string;
  phase: Phase;
}

interface BurstReport {
  burst: number;
  sent: number;
  byPhase: Record<string, number>;
  created: number;
  unavailable: number;
  unavailableCommitted: number;
  unavailableAbsent: number;
  others: number;
  inFlightAtKill: number;
  killMs: number;
  downMs: number;
  startMs: number;
  healthyAfterMs: number;
  signUpAfterMs: number;
  confirmed: number;
  waitlisted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let stack: Stack;
let keys: PersonalDataKeys;
/** wrangler's output (the Worker's logs), for the summary. */
let workerLog = "";
const attempts: Attempt[] = [];
const reports: BurstReport[] = [];
const eventsByBurst = new Map<number, BurstEvents>();
let kills = 0;
const retried = { sent: 0, existing: 0, created: 0 };
const started = Date.now();

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.directUrl ?? stack.databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Milestones (kills, restarts) at performance.now(), for the timeline (FAULTS_WORKER_LOG). */
const milestones: { at: number; what: string }[] = [];
const mark = (what: string) => milestones.push({ at: performance.now(), what });

async function signUp(eventId: string, mobile: string): Promise<Answer> {
  const t0 = performance.now();
  try {
    const response = await fetch(`${stack.url}/api/v1/events/${eventId}/signups`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "故障测试志愿者", mobile, consent: true }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: SignUpBody | undefined;
    try {
      body = JSON.parse(text) as SignUpBody;
    } catch {
      body = undefined;
    }
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body,
      ms: performance.now() - t0,
      sentAt: t0,
      answeredAt: performance.now(),
      ...(body ? {} : { error: text.slice(0, 200) }),
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      status: name === "TimeoutError" ? "timeout" : "network",
      retryAfter: null,
      body: undefined,
      ms: performance.now() - t0,
      sentAt: t0,
      answeredAt: performance.now(),
      error: String((error as Error).cause ?? error),
    };
  }
}

interface BurstEvents {
  small: string;
  large: string;
  /** For the recovery probe alone, so that it does not queue behind the burst's sign-ups. */
  probe: string;
}

/** The burst's events, each on a day of its own (one lead's events must not overlap), far ahead. */
async function makeEvents(burst: number): Promise<BurstEvents> {
  return withClient(async (client) => {
    const made: string[] = [];
    for (const [i, capacity] of [SMALL_CAPACITY, LARGE_CAPACITY, LARGE_CAPACITY].entries()) {
      const { rows } = await client.query<{ id: string }>(
        `insert into events (community_id, service_type, title, lead_social_worker_id,
                             starts_at, ends_at, capacity)
         select (select id from communities order by id limit 1), 'counselling', $1,
                (select id from social_workers order by id limit 1),
                date_trunc('day', now()) + make_interval(days => $2) + interval '9 hours',
                date_trunc('day', now()) + make_interval(days => $2) + interval '11 hours',
                $3::int
         returning id`,
        [`故障注入 ${burst}-${i}`, 600 + 3 * burst + i, capacity],
      );
      made.push(rows[0]?.id ?? "");
    }
    const [small, large, probe] = made as [string, string, string];
    return { small, large, probe };
  });
}

/** A mainland mobile number per burst and index: 13<burst><8 digits>. */
const mobileOf = (burst: number, index: number) => `13${burst}${String(index).padStart(8, "0")}`;

/** Polls /healthz until 200, then signs up a new volunteer; times from `since`. */
async function checkRecovery(burst: number, eventId: string, since: number) {
  let healthyAt: number | undefined;
  while (performance.now() - since < RECOVERY_LIMIT_MS) {
    const ok = await fetch(`${stack.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) {
      healthyAt = performance.now();
      break;
    }
    await sleep(100);
  }
  if (healthyAt === undefined) return { healthyAfterMs: Number.NaN, signUpAfterMs: Number.NaN };
  const mobile = `147${burst}${String(Date.now() % 10_000_000).padStart(7, "0")}`;
  const answer = await signUp(eventId, mobile);
  attempts.push({ ...answer, burst, mobile, eventId, phase: "probe" });
  return {
    healthyAfterMs: healthyAt - since,
    signUpAfterMs: answer.status === 201 ? performance.now() - since : Number.NaN,
  };
}

/**
 * Sends sign-ups with at most MAX_IN_FLIGHT in flight; kills the server after BEFORE_KILL were
 * sent, keeps sending while it is down, starts it, and sends AFTER_RESTART more.
 */
async function runBurst(burst: number, events: BurstEvents) {
  const cluster = stack.cluster;
  if (!cluster) throw new Error("the stack has no PostgreSQL cluster");
  let phase: Phase = "before";
  let index = 0;
  let inFlight = 0;
  let sentAfter = 0;
  let stop = false;
  const pending: Promise<void>[] = [];
  let freed: (() => void) | undefined;

  const dispatch = () => {
    const i = index++;
    const eventId = i % SMALL_SHARE === 0 ? events.small : events.large;
    const mobile = mobileOf(burst, i);
    const sentIn = phase;
    if (sentIn === "after") sentAfter++;
    inFlight++;
    pending.push(
      signUp(eventId, mobile).then((answer) => {
        attempts.push({ ...answer, burst, mobile, eventId, phase: sentIn });
        inFlight--;
        freed?.();
      }),
    );
  };
  const pump = (async () => {
    while (!stop) {
      if (inFlight >= MAX_IN_FLIGHT) {
        await new Promise<void>((resolve) => {
          freed = resolve;
        });
        continue;
      }
      dispatch();
      await sleep(SEND_INTERVAL_MS);
    }
  })();
  const until = async (condition: () => boolean) => {
    while (!condition()) await sleep(5);
  };

  await until(() => index >= BEFORE_KILL);
  phase = "down";
  const inFlightAtKill = inFlight;
  const killStart = performance.now();
  mark(`burst ${burst}: kill`);
  await cluster.stopServer("immediate");
  mark(`burst ${burst}: killed`);
  kills++;
  const killMs = performance.now() - killStart;
  await sleep(DOWN_MS);
  const startStart = performance.now();
  mark(`burst ${burst}: start`);
  await cluster.startServer();
  mark(`burst ${burst}: started`);
  const restartedAt = performance.now();
  phase = "after";
  const recovery = checkRecovery(burst, events.probe, restartedAt);
  await until(() => sentAfter >= AFTER_RESTART);
  stop = true;
  freed?.();
  await pump;
  await Promise.all(pending);
  const { healthyAfterMs, signUpAfterMs } = await recovery;
  return {
    sent: index,
    inFlightAtKill,
    killMs,
    downMs: restartedAt - killStart,
    startMs: restartedAt - startStart,
    healthyAfterMs,
    signUpAfterMs,
  };
}

interface Row {
  id: string;
  event_id: string;
  mobile_hash: string;
  status: string;
  waitlist_seq: string | null;
  outbox_kinds: string[];
}

interface CounterRow {
  event_id: string;
  event_capacity: number;
  capacity: number;
  counter: number;
  confirmed: number;
  waitlisted: number;
  distinct_seqs: number;
}

/** The sign-ups (with their outbox rows' kinds) and the counters of these events, read directly. */
async function readState(eventIds: string[]) {
  return withClient(async (client) => {
    const rows = (
      await client.query<Row>(
        `select s.id, s.event_id, s.mobile_hash, s.status::text, s.waitlist_seq,
                coalesce((select array_agg(n.kind::text order by n.created_at)
                          from notifications n where n.signup_id = s.id), '{}') as outbox_kinds
         from signups s where s.event_id = any($1::uuid[])`,
        [eventIds],
      )
    ).rows;
    const counters = (
      await client.query<CounterRow>(
        `select e.id as event_id, e.capacity as event_capacity, c.capacity, c.confirmed as counter,
                count(s.id) filter (where s.status in ('confirmed', 'attended'))::int as confirmed,
                count(s.id) filter (where s.status = 'waitlisted')::int as waitlisted,
                count(distinct s.waitlist_seq) filter (where s.status = 'waitlisted')::int as distinct_seqs
         from events e
         join event_signup_counters c on c.event_id = e.id
         left join signups s on s.event_id = e.id
         where e.id = any($1::uuid[])
         group by e.id, e.capacity, c.capacity, c.confirmed`,
        [eventIds],
      )
    ).rows;
    return { rows, counters };
  });
}

const expectedKind: Record<string, string> = {
  confirmed: "signup_confirmed",
  waitlisted: "waitlisted",
};

/**
 * Invariant 3 for these events: counter = confirmed sign-ups ≤ capacity, nobody waitlisted while
 * places are left, one queue place per waitlisted sign-up, each sign-up with exactly its outbox row.
 * Returns the problems found and the rows keyed by event and mobile hash.
 */
async function checkWhole(eventIds: string[]) {
  const { rows, counters } = await readState(eventIds);
  const problems: string[] = [];
  if (counters.length !== eventIds.length) problems.push("an event has no counter row");
  for (const c of counters) {
    if (c.counter !== c.confirmed)
      problems.push(`event ${c.event_id}: counter ${c.counter} ≠ ${c.confirmed} confirmed`);
    if (c.confirmed > c.capacity) problems.push(`event ${c.event_id}: overbooked`);
    if (c.capacity !== c.event_capacity) problems.push(`event ${c.event_id}: counter capacity`);
    if (c.waitlisted > 0 && c.confirmed < c.capacity)
      problems.push(`event ${c.event_id}: waitlisted while places were left`);
    if (c.distinct_seqs !== c.waitlisted) problems.push(`event ${c.event_id}: waitlist gap`);
  }
  const byKey = new Map<string, Row>();
  const rank = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.event_id}:${row.mobile_hash}`;
    if (byKey.has(key)) problems.push(`two sign-ups for one mobile in event ${row.event_id}`);
    byKey.set(key, row);
    const kind = expectedKind[row.status];
    if (!kind) problems.push(`sign-up ${row.id}: unexpected status ${row.status}`);
    if (row.outbox_kinds.length !== 1 || row.outbox_kinds[0] !== kind)
      problems.push(`sign-up ${row.id} (${row.status}): outbox [${row.outbox_kinds.join(", ")}]`);
  }
  // Waitlist positions as the app computes them: rank by waitlist_seq within the event.
  for (const eventId of eventIds) {
    const waiting = rows
      .filter((row) => row.event_id === eventId && row.status === "waitlisted")
      .sort((a, b) => Number(a.waitlist_seq) - Number(b.waitlist_seq));
    waiting.forEach((row, i) => {
      rank.set(row.id, i + 1);
    });
  }
  return { problems, byKey, rank, rows, counters };
}

describe("the database killed in the middle of a sign-up burst", () => {
  beforeAll(async () => {
    const dataKey = randomBytes(32).toString("base64");
    keys = await importPersonalDataKeys(dataKey);
    stack = await startStack({
      port: await freePort(),
      database: "postgres",
      quiet: true,
      dataKey,
      tokenLabel: "fault tests",
      // One client sends hundreds of sign-ups to two events: lift the limits (counted in memory).
      vars: { SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000", SIGNUP_RATE_LIMIT_PER_EVENT: "1000000" },
      // A 201 must survive the kill: with asynchronous commit a killed server loses the last
      // commits it acknowledged (fsync=off is harmless here: the machine itself does not crash).
      postgresSettings: { synchronous_commit: "on" },
      onOutput: (text) => {
        workerLog = (workerLog + text).slice(-2_000_000);
      },
    });
    // The seed's Node-side pool keeps idle connections: the kill must not crash this process.
    (stack.db as unknown as { $client: pg.Pool }).$client.on("error", () => {});
  });

  afterAll(async () => {
    await stack?.stop();
    printSummary();
    // FAULTS_WORKER_LOG=path keeps wrangler's output (the Worker's logs) for a closer look.
    if (process.env.FAULTS_WORKER_LOG) {
      writeFileSync(process.env.FAULTS_WORKER_LOG, workerLog);
      writeFileSync(
        `${process.env.FAULTS_WORKER_LOG}.json`,
        JSON.stringify({ milestones, attempts }, null, 1),
      );
    }
  });

  for (let burst = 1; burst <= BURSTS; burst++) {
    it(`burst ${burst}: every 201 committed, every other answer a 503, nothing half-written, recovery`, async () => {
      const events = await makeEvents(burst);
      eventsByBurst.set(burst, events);
      const run = await runBurst(burst, events);
      const mine = attempts.filter((a) => a.burst === burst);
      const hashes = new Map<string, string>();
      for (const a of mine) hashes.set(a.mobile, await lookupHash(keys, a.mobile));

      // 4. Recovery without restarting wrangler.
      expect(run.healthyAfterMs, "/healthz 200 after the restart").toBeLessThan(RECOVERY_LIMIT_MS);
      expect(run.signUpAfterMs, "a new sign-up 201 after the restart").toBeLessThan(
        RECOVERY_LIMIT_MS,
      );

      const { problems, byKey, rank, counters } = await checkWhole([
        events.small,
        events.large,
        events.probe,
      ]);
      const rowOf = (a: Attempt) => byKey.get(`${a.eventId}:${hashes.get(a.mobile)}`);

      // 2. Anything but 201 is a 503 with Retry-After (no 500, no hang, no network error).
      const others = mine.filter(
        (a) => a.status !== 201 && !(a.status === 503 && a.retryAfter && a.body?.error),
      );
      expect(
        others.map(
          (a) =>
            `${a.phase} ${a.status} after ${a.ms.toFixed(0)} ms, Retry-After ${a.retryAfter}: ` +
            `${a.body ? JSON.stringify(a.body) : a.error}` +
            // wrangler dev's own answer when it reloads the Worker (a file under src/ changed).
            (a.error?.includes("restarted mid-request")
              ? " [wrangler dev reloaded the Worker: did a source file change during the run?]"
              : ""),
        ),
      ).toEqual([]);

      // 1. Every 201 is stored as answered, with its outbox row (checked in checkWhole).
      for (const a of mine.filter((x) => x.status === 201)) {
        const row = rowOf(a);
        const view = a.body?.signup;
        if (!row) problems.push(`201 for ${a.mobile} (${a.phase}) but no sign-up row`);
        else if (!view || row.id !== view.id || row.status !== view.status)
          problems.push(
            `201 for ${a.mobile}: answered ${JSON.stringify(view)}, stored ${row.id} ${row.status}`,
          );
        else if (view.status === "waitlisted" && rank.get(row.id) !== view.waitlistPosition)
          problems.push(
            `201 for ${a.mobile}: waitlist position ${view.waitlistPosition}, now ${rank.get(row.id)}`,
          );
      }
      // Every stored sign-up of these events was asked for by one of our requests.
      const asked = new Set(mine.map((a) => `${a.eventId}:${hashes.get(a.mobile)}`));
      for (const key of byKey.keys()) if (!asked.has(key)) problems.push(`unasked sign-up ${key}`);
      expect(problems).toEqual([]);

      const unavailable = mine.filter((a) => a.status === 503);
      const committed = unavailable.filter((a) => rowOf(a) !== undefined).length;
      // The fault did reach the clients: some requests were refused while the server was down.
      expect(unavailable.length).toBeGreaterThan(0);
      const small = counters.find((c) => c.event_id === events.small);
      const byPhase: Record<string, number> = {};
      for (const a of mine) byPhase[a.phase] = (byPhase[a.phase] ?? 0) + 1;
      reports.push({
        burst,
        ...run,
        sent: mine.length,
        byPhase,
        created: mine.filter((a) => a.status === 201).length,
        unavailable: unavailable.length,
        unavailableCommitted: committed,
        unavailableAbsent: unavailable.length - committed,
        others: others.length,
        confirmed: counters.reduce((sum, c) => sum + c.confirmed, 0),
        waitlisted: counters.reduce((sum, c) => sum + c.waitlisted, 0),
      });
      // Both paths ran: the small event filled up and waitlisted the rest.
      expect(small?.confirmed).toBe(SMALL_CAPACITY);
      expect(small?.waitlisted).toBeGreaterThan(0);
    });
  }

  it("a client retrying what was not answered 201 gets the committed sign-up or a new one, never two", async () => {
    const eventIds = [...eventsByBurst.values()].flatMap((e) => [e.small, e.large, e.probe]);
    expect(eventIds.length).toBe(3 * BURSTS);
    const before = await checkWhole(eventIds);
    const toRetry = attempts.filter((a) => a.status !== 201 && a.phase !== "retry");
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < toRetry.length) {
        const a = toRetry[next++] as Attempt;
        const stored = before.byKey.get(`${a.eventId}:${await lookupHash(keys, a.mobile)}`);
        const answer = await signUp(a.eventId, a.mobile);
        attempts.push({
          ...answer,
          burst: a.burst,
          mobile: a.mobile,
          eventId: a.eventId,
          phase: "retry",
        });
        retried.sent++;
        if (stored) {
          retried.existing++;
          if (
            answer.status !== 200 ||
            answer.body?.existing !== true ||
            answer.body.signup?.id !== stored.id
          )
            problems.push(
              `retry of committed ${a.mobile}: ${answer.status} ${JSON.stringify(answer.body)}`,
            );
        } else {
          retried.created++;
          if (answer.status !== 201) problems.push(`retry of absent ${a.mobile}: ${answer.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(problems).toEqual([]);

    const after = await checkWhole(eventIds);
    expect(after.problems).toEqual([]);
    // Now every mobile we sent has exactly one sign-up (one row per event and mobile: checkWhole).
    const sentKeys = new Set<string>();
    for (const a of attempts) sentKeys.add(`${a.eventId}:${await lookupHash(keys, a.mobile)}`);
    expect(after.rows.length).toBe(sentKeys.size);
  });

  it("leaves no uncaught exception and no hung request in the Worker's log", () => {
    // E.g. "Can't call WebSocket send() after close()" from a write the driver had buffered.
    expect(workerLog.match(/Uncaught.*|.*had hung.*/g) ?? []).toEqual([]);
  });
});

function printSummary() {
  const first = attempts.filter((a) => a.phase !== "retry");
  const count = (filter: (a: Attempt) => boolean) => first.filter(filter).length;
  const uncaught = workerLog.match(/Uncaught/g)?.length ?? 0;
  const sendAfterClose = workerLog.match(/send\(\) after close\(\)/g)?.length ?? 0;
  const logged503 = workerLog.match(/DATABASE_UNAVAILABLE/g)?.length ?? 0;
  const logged500 = workerLog.match(/\] INTERNAL/g)?.length ?? 0;
  const hung = workerLog.match(/had hung/g)?.length ?? 0;
  const lines = [
    "",
    "── fault injection: PostgreSQL killed (pg_ctl -m immediate) during sign-up bursts ──",
    ...reports.map(
      (r) =>
        `burst ${r.burst}: ${r.sent} sent (before kill ${r.byPhase.before ?? 0}, while down ${r.byPhase.down ?? 0}, ` +
        `after restart ${r.byPhase.after ?? 0}, probe ${r.byPhase.probe ?? 0}) · 201×${r.created} · ` +
        `503×${r.unavailable} (committed ${r.unavailableCommitted}, absent ${r.unavailableAbsent}) · others×${r.others} · ` +
        `${r.inFlightAtKill} in flight at the kill · kill ${r.killMs.toFixed(0)} ms, down ${r.downMs.toFixed(0)} ms, ` +
        `start ${r.startMs.toFixed(0)} ms · /healthz 200 ${r.healthyAfterMs.toFixed(0)} ms and a 201 ` +
        `${r.signUpAfterMs.toFixed(0)} ms after the restart · stored ${r.confirmed} confirmed, ${r.waitlisted} waitlisted`,
    ),
    `total: kills ${kills} · requests ${first.length} · 201×${count((a) => a.status === 201)} · ` +
      `503×${count((a) => a.status === 503)} · 500×${count((a) => a.status === 500)} · ` +
      `hung×${count((a) => a.status === "timeout")} · network×${count((a) => a.status === "network")} · ` +
      `others×${count((a) => ![201, 503, 500, "timeout", "network"].includes(a.status))}`,
    `retries of non-201: ${retried.sent} (committed before → 200 existing: ${retried.existing}; absent → 201: ${retried.created})`,
    `worker log: ${logged503} DATABASE_UNAVAILABLE, ${logged500} INTERNAL, ${uncaught} "Uncaught" (${sendAfterClose} "send() after close()"), ${hung} "had hung" cancellations`,
    `run time ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join("\n"));
}
