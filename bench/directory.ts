/**
 * `npm run bench [-- --postgres] [--no-pgbouncer] [--seconds 8] [--connections 50]`: requests per
 * second and latency of the directory routes through `wrangler dev` on this machine, next to a
 * route that never touches the database (the ratio is what to compare between machines), with
 * the database sessions and round trips each request cost. On PostgreSQL the Worker goes through
 * PgBouncer (transaction mode) as production goes through Neon's pooler. Prints figures and never
 * fails on time; it exits non-zero only when the stack cannot start.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { freePort } from "../scripts/lib/database";
import { type Stack, startStack } from "../scripts/lib/stack";
import { type PerRequest, perRequest, readCounters } from "./lib/db-counters";
import { type LoadResult, runLoadInThread } from "./lib/load";

const { values } = parseArgs({
  options: {
    postgres: { type: "boolean", default: false },
    "no-pgbouncer": { type: "boolean", default: false },
    seconds: { type: "string", default: "8" },
    connections: { type: "string", default: "50" },
  },
});
const database = values.postgres ? "postgres" : "pglite";
const durationMs = Number(values.seconds) * 1000;
const connections = Number(values.connections);
const WARM_UP_MS = 1500;
if (!(durationMs > 0 && durationMs <= 60_000 && connections >= 1 && connections <= 256)) {
  console.error("--seconds must be 1–60 and --connections 1–256");
  process.exit(2);
}

interface Route {
  name: string;
  path: string;
  auth: boolean;
}

const shutdown = new AbortController();
let stack: Stack | undefined;
const dataDir = database === "pglite" ? mkdtempSync(join(tmpdir(), "shuangyi-bench-")) : undefined;
async function cleanUp() {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    shutdown.abort();
    void cleanUp().then(() => process.exit(130));
  });

async function firstSocialWorkerId(stack: Stack): Promise<string> {
  const response = await fetch(`${stack.url}/api/v1/social-workers?region=210100&limit=1`, {
    headers: { authorization: `Bearer ${stack.tokens.admin}` },
  });
  const body = (await response.json()) as { data: { id: string }[] };
  const id = body.data[0]?.id;
  if (!id) throw new Error(`no demo social worker in 210100 (HTTP ${response.status})`);
  return id;
}

type Measured = Route & LoadResult & { cost: PerRequest };

function printTable(rows: Measured[]): void {
  const [base] = rows;
  const ratio = (value: number, baseline = 0) => `${(value / baseline).toFixed(2)}×`;
  const table = [
    [
      "route",
      "requests",
      "errors",
      "req/s",
      "p50 ms",
      "p99 ms",
      "req/s ÷ base",
      "p50 ÷ base",
      "sessions/req",
      "round trips/req",
    ],
    ...rows.map((row) => [
      row.name,
      String(row.requests),
      String(row.errors),
      row.rps.toFixed(0),
      row.p50.toFixed(1),
      row.p99.toFixed(1),
      ratio(row.rps, base?.rps),
      ratio(row.p50, base?.p50),
      row.cost.workerSessions.toFixed(2),
      row.cost.roundTrips.toFixed(2),
    ]),
  ];
  const widths = table[0]?.map((_, column) =>
    Math.max(...table.map((r) => r[column]?.length ?? 0)),
  );
  for (const row of table) {
    const cells = row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths?.[0] ?? 0) : cell.padStart(widths?.[column] ?? 0),
    );
    console.log(cells.join("  "));
  }
  for (const row of rows)
    if (row.firstError) console.log(`  ${row.name}: first error ${row.firstError}`);
}

async function serverVersion(stack: Stack): Promise<string> {
  // PGlite and node-postgres both return { rows }.
  const { rows } = (await stack.db.execute(sql`show server_version`)) as unknown as {
    rows: { server_version: string }[];
  };
  return rows[0]?.server_version ?? "?";
}

function routesFor(workerId: string): Route[] {
  const region = "region=210100&limit=50";
  return [
    // The base: the API docs' page goes through every middleware and touches no database (the
    // home page did once; it now lists upcoming events, one query).
    { name: "GET /docs (no database)", path: "/docs", auth: false },
    { name: "GET / (home, one query)", path: "/", auth: false },
    { name: "GET /healthz (select 1)", path: "/healthz", auth: false },
    { name: "list social workers", path: `/api/v1/social-workers?${region}`, auth: true },
    { name: "get social worker", path: `/api/v1/social-workers/${workerId}`, auth: true },
    { name: "list volunteers", path: `/api/v1/volunteers?${region}`, auth: true },
  ];
}

/** Share of CPU time left idle over a second: other work on the machine skews every figure. */
async function idleShare(): Promise<number> {
  const sample = () =>
    cpus().reduce(
      (sum, { times }) => ({
        idle: sum.idle + times.idle,
        all: sum.all + times.user + times.nice + times.sys + times.idle + times.irq,
      }),
      { idle: 0, all: 0 },
    );
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = sample();
  return (after.idle - before.idle) / Math.max(1, after.all - before.all);
}

const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
  idleBeforeStart: Math.round((await idleShare()) * 100) / 100,
  node: process.version,
};
console.log(`Starting the stack (${database})…`);
try {
  stack = await startStack({
    port: await freePort(),
    database,
    dataDir,
    quiet: true,
    tokenLabel: "npm run bench",
    pgbouncer: values["no-pgbouncer"] ? false : undefined,
    signal: shutdown.signal,
    // One token drives every connection: the per-token limit would measure itself.
    vars: { API_RATE_LIMIT_PER_TOKEN: "1000000000" },
  });
  const version = await serverVersion(stack);
  const routes = routesFor(await firstSocialWorkerId(stack));
  const pooler = stack.pgbouncer ? ", behind PgBouncer (transaction mode)" : "";
  console.log(`database: ${database} (PostgreSQL ${version})${pooler}`);
  const idle = `${Math.round(machine.idleBeforeStart * 100)}% idle before the start`;
  console.log(`machine: ${machine.cores} cores (${machine.cpu}), ${idle} · Node ${machine.node}`);
  console.log(`${connections} connections, ${durationMs / 1000} s per route, after a warm-up`);
  console.log("lists: ?region=210100&limit=50 (沈阳市), as the admin\n");

  const { url, tokens } = stack;
  const load = (route: Route, ms: number) =>
    runLoadInThread({
      url: `${url}${route.path}`,
      headers: route.auth ? { authorization: `Bearer ${tokens.admin}` } : {},
      connections,
      durationMs: ms,
    });
  for (const route of routes) await load(route, WARM_UP_MS);
  const results: Measured[] = [];
  for (const route of routes) {
    const before = await readCounters(stack);
    const result = await load(route, durationMs);
    const cost = perRequest(before, await readCounters(stack), result.requests);
    results.push({ ...route, ...result, cost });
  }
  printTable(results);
  const loadAfter = loadavg().map((n) => n.toFixed(2));
  console.log(`\nload average after the run: ${loadAfter.join(" ")} (1/5/15 min)`);

  const [base] = results;
  const summary = {
    date: new Date().toISOString(),
    database,
    pgbouncer: Boolean(stack.pgbouncer),
    loadAverageAfter: loadAfter,
    databaseVersion: version,
    ...machine,
    connections,
    durationSeconds: durationMs / 1000,
    routes: results.map(({ auth: _auth, ...result }) => ({
      ...result,
      rpsRatio: result.rps / (base?.rps ?? Number.NaN),
      p50Ratio: result.p50 / (base?.p50 ?? Number.NaN),
    })),
  };
  const resultsDir = new URL("./results/", import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    new URL(`directory-${database}.json`, resultsDir),
    `${JSON.stringify(summary, null, 2)}\n`,
  );
  console.log(`\nWritten to bench/results/directory-${database}.json`);
} catch (error) {
  if (!shutdown.signal.aborted) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
