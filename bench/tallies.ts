/**
 * `npm run bench:tallies [-- --scales=1e5,1e6,1e7] [--runs=20] [--warm-ups=2] [--raw-once-from=1e7]`:
 * tallies from the
 * rollups (src/tallies/query.ts `tally()`) next to the same answer by a plain GROUP BY over the raw
 * outcome records, on a throwaway PostgreSQL cluster with the app's migrations, at 10^5, 10^6 and
 * 10^7 signed-off outcomes over China's 2,975 counties; each query's plan (rows read against rows
 * returned); and the write cost of the rollup triggers, per request and in bulk. Prints tables,
 * writes bench/results/tallies-<timestamp>.json. Exits non-zero only when the database cannot
 * start or an answer differs between the two paths.
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
import { describeRegion, type TallyRequest, tally } from "../src/tallies/query";
import { sampleCpu } from "./lib/cpu";
import {
  type County,
  EVENTS_PER_ACTIVE_MONTH,
  FIRST_MONTH,
  loadDirectory,
  MONTHS,
  PILOT_ACTIVITY,
  RECORDED_PER_MILLE,
  readCounties,
  VOLUNTEERS_PER_COMMUNITY,
} from "./lib/tally-data";
import {
  connectLoader,
  type LoadReport,
  loadScale,
  ROLLUP_TABLES,
  readDdl,
  tableSizes,
} from "./lib/tally-load";
import { explainTally, type PlanSummary } from "./lib/tally-plans";
import { differences, fromTally, type Measures, type RawKey, rawTally } from "./lib/tally-raw";
import {
  type CpuClock,
  type MeasureOptions,
  measure,
  round,
  type Timing,
} from "./lib/tally-timing";
import { bulkWriteTest, requestWriteTest, WRITE_MONTH } from "./lib/tally-writes";

const { values } = parseArgs({
  options: {
    scales: { type: "string", default: "1e5,1e6,1e7" },
    runs: { type: "string", default: "20" },
    "warm-ups": { type: "string", default: "2" },
    "write-outcomes": { type: "string", default: "1e4" },
    "request-writes": { type: "string", default: "1000" },
    /** From this scale on, each raw GROUP BY runs once (at 10^7 one takes up to a minute). */
    "raw-once-from": { type: "string", default: "1e7" },
  },
});
const scales = (values.scales ?? "")
  .split(",")
  .map((s) => Math.round(Number(s.trim())))
  .sort((a, b) => a - b);
const WRITE_OUTCOMES = Math.round(Number(values["write-outcomes"]));
const REQUEST_WRITES = Math.round(Number(values["request-writes"]));
const RAW_ONCE_FROM = Number(values["raw-once-from"]);
const MEASURE: MeasureOptions = {
  runs: Number(values.runs),
  warmUps: Number(values["warm-ups"]),
  warmUpMs: 2000,
  budgetMs: 30_000,
  onceMs: 10_000,
  minMs: 3_000,
};
if (
  !scales.length ||
  scales.some((s) => !(s >= 1000 && s <= 5e7)) ||
  !(MEASURE.runs >= 3) ||
  !(MEASURE.warmUps >= 1) ||
  !(REQUEST_WRITES >= 4) ||
  !(RAW_ONCE_FROM > 0)
) {
  console.error(
    "--scales takes numbers 1e3–5e7 (e.g. --scales=1e5,1e6); --runs at least 3; --warm-ups at least 1; --request-writes at least 4; --raw-once-from a number",
  );
  process.exit(2);
}
const YEAR = "2024";
/** Targets at 10^7 with the server's default settings (issue 17). */
const GOALS: Record<ScenarioId, number> = {
  county: 5,
  province: 20,
  provinceByMonth: 20,
  country: 20,
  allCounties: 100,
};
const GOAL_SCALE = 1e7;
/** The rollup triggers may add this much per outcome, per request and in bulk. */
const WRITE_GOAL_MS = 1;

/**
 * Server settings for a bulk load of disposable data. Queries keep the defaults that matter to
 * them (work_mem 4MB, parallel workers); shared_buffers is large so that every scale's tables stay
 * in memory, as a busy production database's hot rollups would.
 */
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

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

type ScenarioId = "county" | "province" | "provinceByMonth" | "country" | "allCounties";

interface Scenario {
  id: ScenarioId;
  name: string;
  request: TallyRequest;
  rawKey: RawKey;
}

function scenarios(counties: County[]): Scenario[] {
  const perProvince = new Map<string, number>();
  for (const c of counties)
    perProvince.set(c.provinceCode, (perProvince.get(c.provinceCode) ?? 0) + 1);
  const [province] = [...perProvince].sort((x, y) => y[1] - x[1])[0] ?? ["210000"];
  const county = counties.find((c) => c.provinceCode === province)?.code ?? "210102";
  const year = { from: `${YEAR}-01`, to: `${YEAR}-12` };
  return [
    {
      id: "county",
      name: `county-year (${county}, ${YEAR})`,
      request: { region: county, ...year, groupBy: [] },
      rawKey: "none",
    },
    {
      id: "province",
      name: `province-year (${province}, ${YEAR})`,
      request: { region: province, ...year, groupBy: [] },
      rawKey: "none",
    },
    {
      id: "provinceByMonth",
      name: `province by month (${province}, ${YEAR})`,
      request: { region: province, ...year, groupBy: ["month"] },
      rawKey: "month",
    },
    {
      id: "country",
      name: `country-year (全国, ${YEAR})`,
      request: { region: undefined, ...year, groupBy: [] },
      rawKey: "none",
    },
    {
      id: "allCounties",
      name: `all counties (全国, ${YEAR}, by county)`,
      request: { region: undefined, ...year, groupBy: ["region"], level: "county" },
      rawKey: "county",
    },
  ];
}

interface ScenarioResult {
  id: ScenarioId;
  name: string;
  /** The load average (1, 5, 15 min) when its measurement began. */
  loadAverage: string[];
  rollup: Timing;
  raw: Timing;
  ratio: number;
  equal: boolean;
  differences: string[];
  rows: number;
  totals: Measures;
  awaitingSignOff: number;
  plans: PlanSummary[];
}

// ---------------------------------------------------------------------------------------------
// Printing
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
const fmtCount = (n: number) => n.toLocaleString("en");
/** CPU per run: the server's, then this process's. */
const fmtCpu = (t: Timing) =>
  t.cpuMs ? `server ${fmtMs(t.cpuMs.server ?? 0)} + client ${fmtMs(t.cpuMs.client ?? 0)} ms` : "?";
const uptime = () => loadavg().map((x) => x.toFixed(2));

function printPlans(plans: PlanSummary[]): void {
  for (const p of plans)
    console.log(
      `        ${fmtMs(p.executionMs).padStart(7)} ms  read ${fmtCount(p.rowsRead)} → ${fmtCount(p.rowsReturned)} rows  ${p.shape}`,
    );
}

function printLoad(load: LoadReport, loadAverage: string[]): void {
  console.log(
    `   loaded in ${fmtDuration(load.totalMs)} (load average at the end ${loadAverage.join(", ")}): raw records ${fmtDuration(load.rawTotalMs)} (outcomes ${fmtDuration(load.outcomesMs)}, ` +
      `groups ${fmtDuration(load.groupsMs)}, volunteers ${fmtDuration(load.volunteersMs)} in parallel); ` +
      `tally_rebuild() ${fmtDuration(load.rebuildMs)} (fine ${fmtDuration(load.rebuildFineMs)}, coarse ${fmtDuration(load.rebuildCoarseMs)}), ` +
      `rollup indexes ${fmtDuration(load.rollupIndexesMs)}; vacuum analyze ${fmtDuration(load.vacuumAnalyzeMs)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** CPU milliseconds of the PostgreSQL server on `port` and of this process (the client). */
export function cpuClock(port: number): CpuClock {
  return () => {
    const own = process.cpuUsage();
    return {
      server: (sampleCpu(port).seconds.postgres ?? 0) * 1000,
      client: (own.user + own.system) / 1000,
    };
  };
}

async function measureScenario(
  pool: pg.Pool,
  db: ScriptDatabase,
  scenario: Scenario,
  cpu: CpuClock,
  rawOnce: boolean,
): Promise<ScenarioResult> {
  const info = await describeRegion(db, scenario.request.region);
  if (!info) throw new Error(`unknown region ${scenario.request.region}`);
  const loadAverage = uptime();
  const rollup = await measure(() => tally(db, scenario.request, info), MEASURE, cpu);
  // Once: onceMs 0 makes the first run the measurement.
  const raw = await measure(
    () => rawTally(pool, scenario.request, scenario.rawKey),
    rawOnce ? { ...MEASURE, onceMs: 0 } : MEASURE,
    cpu,
  );
  const answer = fromTally(rollup.result);
  const diff = differences(answer, raw.result);
  if (Object.values(rollup.result.totals.adjustments).some((v) => v))
    diff.push("rollup reports adjustments, but none were generated");
  return {
    id: scenario.id,
    name: scenario.name,
    loadAverage,
    rollup: rollup.timing,
    raw: raw.timing,
    ratio: round(raw.timing.medianMs / rollup.timing.medianMs, 1),
    equal: diff.length === 0,
    differences: diff,
    rows: rollup.result.rows.length,
    totals: answer.totals,
    awaitingSignOff: answer.awaitingSignOff,
    plans: await explainTally(pool, scenario.request, info),
  };
}

/**
 * Flushes the load's dirty pages and waits (up to a minute) for the machine to be no busier than
 * its cores. On a machine shared with other work it may never be: the load average is printed
 * with every scale's figures, and CPU time per run moves less than wall-clock time.
 */
async function settle(cores: number): Promise<void> {
  execFileSync("sync");
  const quietBy = Date.now() + 60_000;
  while ((loadavg()[0] ?? 0) >= cores && Date.now() < quietBy)
    await new Promise((resolve) => setTimeout(resolve, 5_000));
}

async function main() {
  const startedAt = performance.now();
  const counties = readCounties();
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  console.log(`Starting a throwaway PostgreSQL cluster… (load average ${uptime().join(", ")})`);
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
    const a = await connectLoader(cluster.url);
    const b = await connectLoader(cluster.url);
    loaders.push(a, b);
    await loadDirectory(a, counties);
    const ddl = await readDdl(a);
    const { rows: directory } = await pool.query<Record<string, string>>(
      `select (select count(*) from communities) as communities,
              (select count(*) from communities where is_pilot) as pilots,
              (select count(*) from social_workers) as workers`,
    );
    const dir = directory[0] ?? {};

    console.log(
      `PostgreSQL ${setting("server_version")} · ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB RAM · Node ${machine.node}`,
    );
    console.log(
      `server: shared_buffers ${Number(setting("shared_buffers")) / 128} MB, work_mem ${setting("work_mem")} kB (queries), jit ${setting("jit")}, ` +
        `parallel workers/gather ${setting("max_parallel_workers_per_gather")}, synchronous_commit ${setting("synchronous_commit")}, autovacuum ${setting("autovacuum")}, fsync off`,
    );
    console.log(
      `data: ${counties.length} counties of skewed sizes, ${dir.communities} communities (${dir.pilots} pilot, 1 per county, ${PILOT_ACTIVITY}× busier), ` +
        `${dir.workers} lead social workers; outcomes over ${MONTHS} months from ${FIRST_MONTH.slice(0, 7)} in bursts of ~${EVENTS_PER_ACTIVE_MONTH} events per community and active month, ` +
        `mostly of the community's two main service types, 1–3 target groups and 1–4 volunteers each (${VOLUNTEERS_PER_COMMUNITY} per community), ${RECORDED_PER_MILLE / 10}% left unsigned`,
    );
    console.log(
      "bulk load: INSERT … SELECT generate_series with the outcome tables' user triggers disabled, their foreign keys " +
        "(incl. outcomes → events: the generated outcomes have no events) dropped and re-added NOT VALID, indexes " +
        "dropped and re-built; rollups then built by tally_rebuild_fine() and tally_rebuild_coarse() (= tally_rebuild()), then VACUUM ANALYZE.\n",
    );

    const results: {
      scale: number;
      /** Load averages before measuring the queries, at the end of the load, before the writes. */
      loadAverage: string[];
      loadedLoadAverage: string[];
      writesLoadAverage: string[];
      load: LoadReport;
      sizes: Awaited<ReturnType<typeof tableSizes>>;
      scenarios: ScenarioResult[];
      bulkWrite: Awaited<ReturnType<typeof bulkWriteTest>>;
      requestWrite: Awaited<ReturnType<typeof requestWriteTest>>;
    }[] = [];
    const cases = scenarios(counties);
    let failed = false;

    for (const scale of scales) {
      console.log(`── ${fmtScale(scale)} outcomes: loading… (load average ${uptime().join(", ")})`);
      const load = await loadScale([a, b], ddl, scale);
      const loadedLoadAverage = uptime();
      printLoad(load, loadedLoadAverage);
      const sizes = await tableSizes(pool);
      for (const group of [sizes.slice(0, 3), sizes.slice(3)])
        console.log(
          `   ${group.map((t) => `${t.table} ${fmtCount(t.rows)} rows ${fmtBytes(t.bytes)}`).join(" · ")}`,
        );

      // The load leaves gigabytes of dirty pages for the kernel to write back (at 10^7 the first
      // queries ran 3× slower than the same queries minutes later): flush and wait.
      await settle(machine.cores);
      const loadAverage = uptime();
      console.log(`   load average before measuring: ${loadAverage.join(", ")}`);
      const scenarioResults: ScenarioResult[] = [];
      const rawOnce = scale >= RAW_ONCE_FROM;
      if (rawOnce)
        console.log(
          `   (each raw GROUP BY runs once at this scale: --raw-once-from=${fmtScale(RAW_ONCE_FROM)})`,
        );
      for (const scenario of cases) {
        const result = await measureScenario(pool, db, scenario, cpuClock(cluster.port), rawOnce);
        if (!result.equal) failed = true;
        scenarioResults.push(result);
        console.log(
          `   ${scenario.name}: rollup ${fmtMs(result.rollup.medianMs)} ms (CPU ${fmtCpu(result.rollup)}), ` +
            `raw ${fmtMs(result.raw.medianMs)} ms (CPU ${fmtCpu(result.raw)}; ${result.raw.runs === 1 ? "1 run" : `${result.raw.runs} runs`}), ` +
            `${result.ratio}×, ${result.equal ? "equal" : `DIFFERENT: ${result.differences.join("; ")}`}; load average ${result.loadAverage.join(", ")}`,
        );
        printPlans(result.plans);
      }

      console.log(
        `   write path in bulk: ${fmtCount(WRITE_OUTCOMES)} outcomes, three times each way…`,
      );
      const writesLoadAverage = uptime();
      const bulkWrite = await bulkWriteTest(a, scale, WRITE_OUTCOMES, cpuClock(cluster.port));
      console.log(
        `   bulk: ${fmtMs(bulkWrite.withTriggersMs)} ms with the rollup triggers, ${fmtMs(bulkWrite.withoutTriggersMs)} ms without ` +
          `(+${bulkWrite.addedPerOutcomeUs} µs per outcome, ${bulkWrite.ratio}×; server CPU +${bulkWrite.addedServerCpuPerOutcomeUs} µs per outcome; then the fold ${bulkWrite.foldPerOutcomeUs} µs per outcome); incremental rollups ` +
          `${bulkWrite.incrementalCheck?.equal ? "equal" : "DIFFER from"} the raw records of ${WRITE_MONTH.slice(0, 7)}; load average ${uptime().join(", ")}`,
      );
      if (!bulkWrite.incrementalCheck?.equal) failed = true;
      const requestWrite = await requestWriteTest(
        a,
        scale,
        scale + WRITE_OUTCOMES + 1,
        REQUEST_WRITES,
        cpuClock(cluster.port),
      );
      console.log(
        `   per request (${requestWrite.outcomes} outcomes, each recorded and signed off in a committed transaction): ` +
          `${fmtMs(requestWrite.withTriggers.medianMs)} ms (p95 ${fmtMs(requestWrite.withTriggers.p95Ms)}) with the rollup triggers, ` +
          `${fmtMs(requestWrite.withoutTriggers.medianMs)} ms (p95 ${fmtMs(requestWrite.withoutTriggers.p95Ms)}) without ` +
          `(+${fmtMs(requestWrite.addedMs)} ms; server CPU ${fmtMs(requestWrite.serverCpuMs.on)} vs ${fmtMs(requestWrite.serverCpuMs.off)} ms per outcome, ` +
          `+${fmtMs(requestWrite.serverCpuMs.on - requestWrite.serverCpuMs.off)}; deferred to one fold of ${requestWrite.fold.changes} keys' changes: ${requestWrite.fold.perOutcomeMs} ms per outcome; shared buffers read in per outcome ${requestWrite.buffersPerOutcome.on.read} vs ` +
          `${requestWrite.buffersPerOutcome.off.read}, found ${requestWrite.buffersPerOutcome.on.hit} vs ${requestWrite.buffersPerOutcome.off.hit}); ` +
          `incremental rollups ${requestWrite.incrementalCheck.equal ? "equal" : "DIFFER from"} ` +
          `the raw records of ${requestWrite.incrementalCheck.month.slice(0, 7)}; load average ${uptime().join(", ")}`,
      );
      if (!requestWrite.incrementalCheck.equal) failed = true;
      await a.query("vacuum (analyze) events");
      results.push({
        scale,
        loadAverage,
        loadedLoadAverage,
        writesLoadAverage,
        load,
        sizes,
        scenarios: scenarioResults,
        bulkWrite,
        requestWrite,
      });
      console.log("");
    }

    printSummary(results);
    const elapsed = performance.now() - startedAt;
    console.log(
      `\nWhole run: ${fmtDuration(elapsed)}; load average at the end ${uptime().join(", ")}`,
    );

    const resultsDir = new URL("./results/", import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = `tallies-${stamp}.json`;
    writeFileSync(
      new URL(file, resultsDir),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          elapsedMs: round(elapsed, 0),
          machine,
          postgres: Object.fromEntries(settings.map((s) => [s.name, `${s.setting}${s.unit}`])),
          serverSettings: SERVER_SETTINGS,
          year: YEAR,
          measure: MEASURE,
          goals: { scale: GOAL_SCALE, queriesMs: GOALS, writeAddedMs: WRITE_GOAL_MS },
          data: {
            counties: counties.length,
            communities: Number(dir.communities),
            pilotCommunities: Number(dir.pilots),
            socialWorkers: Number(dir.workers),
            months: MONTHS,
            firstMonth: FIRST_MONTH,
            eventsPerActiveMonth: EVENTS_PER_ACTIVE_MONTH,
            volunteersPerCommunity: VOLUNTEERS_PER_COMMUNITY,
            recordedPerMille: RECORDED_PER_MILLE,
          },
          rollupTables: ROLLUP_TABLES,
          results,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`Written to bench/results/${file}`);
    if (failed) process.exitCode = 1;
  } finally {
    for (const client of loaders) await client.end().catch(() => {});
    await pool?.end().catch(() => {});
    stop();
  }
}

function printSummary(
  results: {
    scale: number;
    loadedLoadAverage: string[];
    writesLoadAverage: string[];
    load: LoadReport;
    scenarios: ScenarioResult[];
    bulkWrite: Awaited<ReturnType<typeof bulkWriteTest>>;
    requestWrite: Awaited<ReturnType<typeof requestWriteTest>>;
  }[],
): void {
  console.log(
    `Tallies for ${YEAR}: median / p95 of up to ${MEASURE.runs} runs after at least ${MEASURE.warmUps} warm-ups and ${MEASURE.warmUpMs / 1000} s of them; ` +
      `a raw query over ${MEASURE.onceMs / 1000} s runs once, and every raw query from ${fmtScale(RAW_ONCE_FROM)} outcomes on (ms; load average over 1 min when each began). ` +
      "Rows read → returned by the rollup's statements: a tally of whole counties is one statement whose one row carries every cell (as JSON)\n",
  );
  const table: string[][] = [
    [
      "scale",
      "query",
      "rollup p50",
      "p95",
      "CPU server+client",
      "raw p50",
      "raw/rollup",
      "runs",
      "rows read",
      "answers",
      "load avg",
    ],
  ];
  for (const r of results)
    for (const s of r.scenarios)
      table.push([
        fmtScale(r.scale),
        s.name,
        fmtMs(s.rollup.medianMs),
        fmtMs(s.rollup.p95Ms),
        s.rollup.cpuMs
          ? `${fmtMs(s.rollup.cpuMs.server ?? 0)}+${fmtMs(s.rollup.cpuMs.client ?? 0)}`
          : "?",
        fmtMs(s.raw.medianMs),
        `${s.ratio}×`,
        `${s.rollup.runs}/${s.raw.runs}`,
        `${fmtCount(s.plans.reduce((n, p) => n + p.rowsRead, 0))} → ${fmtCount(s.plans.reduce((n, p) => n + p.rowsReturned, 0))}`,
        s.equal ? "equal" : "DIFFERENT",
        s.loadAverage[0] ?? "?",
      ]);
  printTable(table);
  console.log("\nLoad (raw records, then tally_rebuild() and the rollups' indexes):\n");
  printTable([
    ["scale", "total", "raw", "tally_rebuild()", "fine", "coarse", "indexes", "vacuum", "load avg"],
    ...results.map((r) => [
      fmtScale(r.scale),
      fmtDuration(r.load.totalMs),
      fmtDuration(r.load.rawTotalMs),
      fmtDuration(r.load.rebuildMs),
      fmtDuration(r.load.rebuildFineMs),
      fmtDuration(r.load.rebuildCoarseMs),
      fmtDuration(r.load.rollupIndexesMs),
      fmtDuration(r.load.vacuumAnalyzeMs),
      r.loadedLoadAverage.join(" "),
    ]),
  ]);
  console.log(
    "\nWrite path: recording an outcome (with its groups and volunteers) and signing it off, with the rollup triggers and without (the other triggers run in both); then folded: the keys' changes the triggers appended (rows of social workers and volunteers, distinct counts), folded afterwards in one batch as a tally or the Cron job folds them (per outcome):\n",
  );
  printTable([
    [
      "scale",
      "per request p50",
      "p95",
      "without p50",
      "added",
      "server CPU added",
      "then folded",
      "bulk µs/outcome",
      "without",
      "added",
      "server CPU added",
      "then folded",
      "rollups",
      "load avg",
    ],
    ...results.map((r) => [
      fmtScale(r.scale),
      `${fmtMs(r.requestWrite.withTriggers.medianMs)} ms`,
      `${fmtMs(r.requestWrite.withTriggers.p95Ms)} ms`,
      `${fmtMs(r.requestWrite.withoutTriggers.medianMs)} ms`,
      `+${fmtMs(r.requestWrite.addedMs)} ms`,
      `+${fmtMs(r.requestWrite.serverCpuMs.on - r.requestWrite.serverCpuMs.off)} ms`,
      `${r.requestWrite.fold.perOutcomeMs} ms`,
      String(r.bulkWrite.perOutcomeWithTriggersUs),
      String(r.bulkWrite.perOutcomeWithoutTriggersUs),
      `+${r.bulkWrite.addedPerOutcomeUs} µs`,
      `+${r.bulkWrite.addedServerCpuPerOutcomeUs} µs`,
      `${r.bulkWrite.foldPerOutcomeUs} µs`,
      r.requestWrite.incrementalCheck.equal && r.bulkWrite.incrementalCheck?.equal
        ? "equal"
        : "DIFFERENT",
      r.writesLoadAverage[0] ?? "?",
    ]),
  ]);
  const atGoal = results.find((r) => r.scale === GOAL_SCALE);
  if (!atGoal) return;
  const verdicts = atGoal.scenarios.map((s) => {
    const goal = GOALS[s.id];
    return `${s.name} < ${goal} ms → ${fmtMs(s.rollup.medianMs)} (${s.rollup.medianMs < goal ? "met" : "MISSED"})`;
  });
  const request = atGoal.requestWrite.addedMs;
  const bulk = atGoal.bulkWrite.addedPerOutcomeUs / 1000;
  verdicts.push(
    `triggers ≤ +${WRITE_GOAL_MS} ms per outcome → +${fmtMs(request)} ms per request, +${fmtMs(bulk)} ms in bulk (${request <= WRITE_GOAL_MS && bulk <= WRITE_GOAL_MS ? "met" : "MISSED"}; ` +
      `the keys' changes they append are folded later, ${atGoal.requestWrite.fold.perOutcomeMs} ms per outcome in one batch)`,
  );
  console.log(`\nGoals at ${fmtScale(GOAL_SCALE)}:\n  ${verdicts.join("\n  ")}`);
}

await main();
