/**
 * `npx tsx bench/signups.ts [--attempts 2000] [--events 100] [--capacity 15] [--connections 50]
 * [--burst 500] [--no-pgbouncer]`: sign-ups through `wrangler dev` on a real PostgreSQL server
 * behind PgBouncer (transaction mode, as Neon's pooled endpoint), then a check that no event is
 * overbooked and every waitlist is whole, next to the rate of the same core transaction (lock the
 * event's counter row, insert the sign-up) run by `pgbench` on persistent connections to the
 * server at the same client count. Prints the database sessions and round trips per sign-up, then
 * sends `--burst` sign-ups at once and counts the answers. Prints figures and never fails on
 * time; it exits non-zero when the stack cannot start or an invariant is broken.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { freePort, type ScriptDatabase } from "../scripts/lib/database";
import { type Stack, startStack } from "../scripts/lib/stack";
import { type CpuSample, coresBetween, sampleCpu } from "./lib/cpu";
import { describePerRequest, perRequest, readCounters } from "./lib/db-counters";
import { runLoadInThread } from "./lib/load";
import { makeSignupEvents, signUpRequests } from "./lib/signup-fixtures";

const { values } = parseArgs({
  options: {
    attempts: { type: "string", default: "2000" },
    events: { type: "string", default: "100" },
    capacity: { type: "string", default: "15" },
    connections: { type: "string", default: "50" },
    "pgbench-seconds": { type: "string", default: "10" },
    burst: { type: "string", default: "500" },
    "no-pgbouncer": { type: "boolean", default: false },
  },
});
const burst = Number(values.burst);
const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const attempts = Number(values.attempts);
const eventCount = Number(values.events);
const capacity = Number(values.capacity);
const connections = Number(values.connections);
const pgbenchSeconds = Number(values["pgbench-seconds"]);

type Rows<T> = { rows: T[] };
const rowsOf = async <T>(db: ScriptDatabase, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as Rows<T>).rows;

interface EventCheck {
  event_id: string;
  capacity: number;
  confirmed: number;
  counter: number;
  waitlisted: number;
  distinct_seqs: number;
}

/**
 * Per event: confirmed ≤ capacity and equal to the counter, nobody waits while places are left,
 * and every waitlisted sign-up has its own place in the queue (positions are ranks: no gaps).
 */
async function checkInvariants(db: ScriptDatabase, eventIds: string[]) {
  const rows = await rowsOf<EventCheck>(
    db,
    sql`select e.id as event_id, e.capacity, c.confirmed as counter,
          count(*) filter (where s.status = 'confirmed')::int as confirmed,
          count(*) filter (where s.status = 'waitlisted')::int as waitlisted,
          count(distinct s.waitlist_seq)::int as distinct_seqs
        from events e
        join event_signup_counters c on c.event_id = e.id
        left join signups s on s.event_id = e.id
        where e.id in ${sql.raw(`('${eventIds.join("','")}')`)}
        group by e.id, e.capacity, c.confirmed`,
  );
  const problems: string[] = [];
  for (const row of rows) {
    if (row.confirmed > row.capacity) problems.push(`${row.event_id}: overbooked`);
    if (row.confirmed !== row.counter) problems.push(`${row.event_id}: counter disagrees`);
    if (row.waitlisted > 0 && row.confirmed < row.capacity)
      problems.push(`${row.event_id}: waitlisted while places were left`);
    if (row.distinct_seqs !== row.waitlisted) problems.push(`${row.event_id}: waitlist gap`);
  }
  const total = (key: "confirmed" | "waitlisted") => rows.reduce((sum, row) => sum + row[key], 0);
  return {
    events: rows.length,
    confirmed: total("confirmed"),
    waitlisted: total("waitlisted"),
    maxConfirmed: Math.max(...rows.map((row) => row.confirmed)),
    /** Every 201 is one sign-up row, confirmed or waitlisted. */
    created: total("confirmed") + total("waitlisted"),
    problems,
  };
}

function pgbenchBin(): string {
  for (const version of ["18", "17", "16", "15", "14"]) {
    const bin = `/usr/lib/postgresql/${version}/bin/pgbench`;
    if (existsSync(bin)) return bin;
  }
  throw new Error("pgbench not found under /usr/lib/postgresql/*/bin");
}

/** The app's core sign-up transaction, without its reads and checks: lock the counter, insert. */
const PGBENCH_SCRIPT = `\\set n random(1, ${eventCount})
BEGIN;
SELECT (c.confirmed < c.capacity)::int AS place FROM event_signup_counters c
  JOIN bench_pgbench_events b ON b.event_id = c.event_id WHERE b.n = :n FOR UPDATE OF c \\gset
INSERT INTO signups (event_id, name, mobile_ciphertext, mobile_hash, mobile_masked, status,
  waitlist_seq, confirmation_code, manage_token_hash, consent_at)
  SELECT event_id, 'pgbench', 'x', md5(random()::text), '137****0000',
    (CASE WHEN :place = 1 THEN 'confirmed' ELSE 'waitlisted' END)::signup_status,
    CASE WHEN :place = 1 THEN NULL ELSE nextval('signup_waitlist_seq') END,
    lpad(to_hex(nextval('bench_pgbench_codes')), 6, '0'), md5(random()::text), now()
  FROM bench_pgbench_events WHERE n = :n;
COMMIT;
`;

async function runPgbench(stack: Stack, eventIds: string[]) {
  await stack.db.execute(sql`create table bench_pgbench_events (n int primary key, event_id uuid)`);
  // Confirmation codes from a sequence: random ones would collide over thousands per event.
  await stack.db.execute(sql`create sequence bench_pgbench_codes`);
  await stack.db.execute(
    sql.raw(
      `insert into bench_pgbench_events values ${eventIds.map((id, i) => `(${i + 1}, '${id}')`).join(",")}`,
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), "shuangyi-pgbench-"));
  try {
    const script = join(dir, "signup.sql");
    writeFileSync(script, PGBENCH_SCRIPT);
    const threads = String(Math.min(connections, availableParallelism()));
    const output = execFileSync(
      pgbenchBin(),
      ["-n", "-c", String(connections), "-j", threads, "-T", String(pgbenchSeconds), "-f", script],
      // The database's own rate: persistent connections to the server, no pooler in between.
      {
        env: { ...process.env, PGDATABASE: stack.directUrl ?? stack.databaseUrl },
        encoding: "utf8",
      },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    const done = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);
    return { tps, latencyAverageMs: latency, transactions: done, failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CPU groups the table shows, in this order (bench/lib/cpu.ts names them). */
const CPU_GROUPS = [
  "workerd",
  "postgres",
  "pgbouncer",
  "pgbench",
  "bench (client + relay)",
  "wrangler (node)",
  "machine: busy",
  "machine: idle",
];

interface CpuUse {
  /** Cores busy per group over the step. */
  cores: Record<string, number>;
  /** Milliseconds of CPU per request (per transaction for pgbench), per group. */
  msEach: Record<string, number>;
}

function cpuUse(before: CpuSample, after: CpuSample, requests: number): CpuUse {
  const msEach: Record<string, number> = {};
  for (const [group, seconds] of Object.entries(after.seconds))
    msEach[group] = ((seconds - (before.seconds[group] ?? 0)) * 1000) / Math.max(1, requests);
  return { cores: coresBetween(before, after), msEach };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((r) => r[column]?.length ?? 0)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths?.[0] ?? 0) : cell.padStart(widths?.[i] ?? 0),
        )
        .join("  "),
    );
}

const shutdown = new AbortController();
let stack: Stack | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    shutdown.abort();
    void (stack?.stop() ?? Promise.resolve()).then(() => process.exit(130));
  });

const pooler = values["no-pgbouncer"] ? "none" : "PgBouncer (transaction mode)";
console.log(`load average before the run: ${loadText()} (1/5/15 min)`);
console.log(`Starting the stack (postgres, pooler: ${pooler})…`);
try {
  stack = await startStack({
    port: await freePort(),
    database: "postgres",
    quiet: true,
    tokenLabel: "bench/signups",
    signal: shutdown.signal,
    pgbouncer: values["no-pgbouncer"] ? false : undefined,
    vars: {
      API_RATE_LIMIT_PER_TOKEN: "1000000000",
      SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000000",
      SIGNUP_RATE_LIMIT_PER_EVENT: "1000000000",
    },
  });
  const [version] = await rowsOf<{ server_version: string }>(stack.db, sql`show server_version`);
  const appEvents = await makeSignupEvents(stack.db, eventCount, 400, capacity);
  const pgbenchEvents = await makeSignupEvents(stack.db, eventCount, 400 + eventCount, capacity);
  const warmUpEvents = await makeSignupEvents(stack.db, 5, 400 + 2 * eventCount, capacity);
  const burstEvents = await makeSignupEvents(stack.db, 10, 410 + 2 * eventCount, capacity);
  console.log(
    `PostgreSQL ${version?.server_version} · ${availableParallelism()} cores (${cpus()[0]?.model.trim()})`,
  );
  console.log(
    `${attempts} sign-up attempts over ${eventCount} events of ${capacity} places, ${connections} connections\n`,
  );

  // A few sign-ups to other events first, so that the burst does not pay for the Worker's start.
  await runLoadInThread({
    url: stack.url,
    requests: signUpRequests(stack.url, warmUpEvents, 50),
    connections: 10,
    durationMs: 60_000,
  });

  const before = await readCounters(stack);
  const cpuBefore = sampleCpu(stack.cluster?.port);
  const load = await runLoadInThread({
    url: stack.url,
    requests: signUpRequests(stack.url, appEvents, attempts),
    connections,
    durationMs: 60_000,
  });
  const appCpu = cpuUse(cpuBefore, sampleCpu(stack.cluster?.port), load.requests);
  const cost = perRequest(before, await readCounters(stack), load.requests);
  const check = await checkInvariants(stack.db, appEvents);
  if (check.created !== (load.statuses["201"] ?? 0))
    check.problems.push(
      `${check.created} sign-ups stored for ${load.statuses["201"] ?? 0} answers 201`,
    );
  const pgbenchCpuBefore = sampleCpu(stack.cluster?.port);
  const pgbench = await runPgbench(stack, pgbenchEvents);
  const pgbenchCpu = cpuUse(pgbenchCpuBefore, sampleCpu(stack.cluster?.port), pgbench.transactions);
  const ratio = load.rps / pgbench.tps;

  // Everyone at once: `burst` sign-ups sent together to 10 events (each has `capacity` places).
  const beforeBurst = await readCounters(stack);
  const crowd = await runLoadInThread({
    url: stack.url,
    requests: signUpRequests(stack.url, burstEvents, burst, attempts),
    connections: burst,
    durationMs: 60_000,
    requestTimeoutMs: 120_000,
  });
  const crowdCost = perRequest(beforeBurst, await readCounters(stack), crowd.requests);
  const crowdCheck = await checkInvariants(stack.db, burstEvents);
  if (crowdCheck.created !== (crowd.statuses["201"] ?? 0))
    crowdCheck.problems.push(
      `${crowdCheck.created} sign-ups stored for ${crowd.statuses["201"] ?? 0} answers 201`,
    );
  const serverErrors = Object.entries(crowd.statuses)
    .filter(([status]) => status === "error" || Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);

  printTable([
    ["", "requests", "req/s", "p50 ms", "p99 ms", "statuses"],
    [
      "app: POST /api/v1/events/:id/signups",
      String(load.requests),
      load.rps.toFixed(0),
      load.p50.toFixed(1),
      load.p99.toFixed(1),
      Object.entries(load.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(" "),
    ],
    [
      `app: ${burst} sign-ups at once`,
      String(crowd.requests),
      crowd.rps.toFixed(0),
      crowd.p50.toFixed(1),
      crowd.p99.toFixed(1),
      Object.entries(crowd.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(" "),
    ],
    [
      "pgbench: lock counter + insert",
      String(pgbench.transactions),
      pgbench.tps.toFixed(0),
      pgbench.latencyAverageMs.toFixed(1),
      "",
      `failed×${pgbench.failed}`,
    ],
  ]);
  console.log(
    `\napp ÷ pgbench at ${connections} clients: ${ratio.toFixed(3)}× (${(ratio * 100).toFixed(1)}% of the database's own rate, pgbench on persistent connections)`,
  );
  console.log(`sign-ups: ${describePerRequest(cost)}`);
  console.log(
    "\nCPU while each ran (cores busy; ms of CPU per sign-up or per pgbench transaction):",
  );
  printTable([
    ["", ...CPU_GROUPS],
    ...[
      ["app sign-ups", appCpu],
      ["pgbench", pgbenchCpu],
    ].map(([name, use]) => {
      const { cores, msEach } = use as CpuUse;
      return [
        name as string,
        ...CPU_GROUPS.map((g) => `${(cores[g] ?? 0).toFixed(2)} (${(msEach[g] ?? 0).toFixed(1)})`),
      ];
    }),
  ]);
  console.log(
    `${burst} at once: ${serverErrors} 5xx or failed, ${describePerRequest(crowdCost)}; ` +
      (crowdCheck.problems.length === 0 ? "no overbooking, no waitlist gaps" : "PROBLEMS:"),
  );
  for (const problem of crowdCheck.problems.slice(0, 20)) console.log(`  ${problem}`);
  if (crowdCheck.problems.length > 0) process.exitCode = 1;
  console.log(`load average after the run: ${loadText()}`);
  console.log(
    `after the run: ${check.confirmed} confirmed, ${check.waitlisted} waitlisted over ${check.events} events; ` +
      `most confirmed in one event ${check.maxConfirmed} (capacity ${capacity}); ` +
      (check.problems.length === 0 ? "no overbooking, no waitlist gaps" : "PROBLEMS:"),
  );
  for (const problem of check.problems.slice(0, 20)) console.log(`  ${problem}`);
  if (check.problems.length > 0) process.exitCode = 1;

  const resultsDir = new URL("./results/", import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  const summary = {
    date: new Date().toISOString(),
    databaseVersion: version?.server_version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim(),
    attempts,
    events: eventCount,
    capacity,
    connections,
    app: load,
    pgbench: { ...pgbench, seconds: pgbenchSeconds, clients: connections, script: PGBENCH_SCRIPT },
    cpuUse: { app: appCpu, pgbench: pgbenchCpu },
    appToPgbenchRatio: ratio,
    pooler,
    perSignUp: cost,
    check,
    burst: { size: burst, result: crowd, perSignUp: crowdCost, serverErrors, check: crowdCheck },
    loadAverageAfter: loadText(),
  };
  writeFileSync(new URL("signups.json", resultsDir), `${JSON.stringify(summary, null, 2)}\n`);
  console.log("\nWritten to bench/results/signups.json");
} catch (error) {
  if (!shutdown.signal.aborted) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
} finally {
  await stack?.stop();
}
