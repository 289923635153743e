/**
 * `npm run bench:period-locks`: what serialising month closing with outcome writes (migration
 * 0031) costs, on a throwaway PostgreSQL cluster. Prints, never fails on time:
 * 1. the period check every outcome row write runs (refuse_closed_period), with its shared
 *    advisory lock and without it (the body before 0031), 100,000 times server-side;
 * 2. writers (short transactions each running the check, as a recorded outcome does) while months
 *    are closed beside them: their throughput with and without closes, and how long a close
 *    waits for the writes in flight.
 */
import { loadavg } from "node:os";
import pg from "pg";
import { startPostgres } from "../scripts/lib/database";
import { startPgCluster } from "../scripts/lib/pg-cluster";

const cluster = await startPgCluster();
const database = await startPostgres(cluster.url);
const client = () => {
  const c = new pg.Client({ connectionString: cluster.url });
  c.on("error", () => {});
  return c;
};

const WRITERS = 8;
const SECONDS = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

try {
  const admin = client();
  await admin.connect();
  // The check as it was before 0031, to compare.
  await admin.query(`CREATE FUNCTION refuse_closed_period_unlocked(p_region_code text, p_month date)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF period_is_locked(p_region_code, p_month) THEN
        RAISE EXCEPTION 'closed';
      END IF;
    END $$`);
  // Some closed months elsewhere, so that the check reads a non-empty table.
  await admin.query(`INSERT INTO period_locks (region_code, region_prefix, month)
    SELECT '2101' || lpad(n::text, 2, '0'), '2101' || lpad(n::text, 2, '0'), '2019-01-01'::date
      FROM generate_series(2, 40) n`);

  console.log(`period locks on PostgreSQL (load ${loadavg()[0]?.toFixed(1)})`);
  for (const fn of ["refuse_closed_period_unlocked", "refuse_closed_period"]) {
    const started = performance.now();
    await admin.query(`DO $$ BEGIN FOR i IN 1..100000 LOOP
        PERFORM ${fn}('210103001001', make_date(2025, 1 + i % 12, 1));
      END LOOP; END $$`);
    const ms = performance.now() - started;
    console.log(
      `  ${fn.padEnd(30)} ${((ms * 1000) / 100_000).toFixed(2)} µs per check (100,000 in one transaction)`,
    );
  }

  async function writers(withCloses: boolean) {
    const clients = Array.from({ length: WRITERS }, client);
    await Promise.all(clients.map((c) => c.connect()));
    const closer = client();
    await closer.connect();
    const deadline = Date.now() + SECONDS * 1000;
    let writes = 0;
    const waits: number[] = [];
    const write = async (c: pg.Client, i: number) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const month = `2026-${String(1 + ((i + n) % 12)).padStart(2, "0")}-01`;
        await c.query("BEGIN");
        await c.query("SELECT refuse_closed_period('210103001001', $1::date)", [month]);
        await c.query("COMMIT");
        writes++;
      }
    };
    const close = async () => {
      for (let n = 0; withCloses && Date.now() < deadline; n++) {
        const month = `2026-${String(1 + (n % 12)).padStart(2, "0")}-01`;
        const started = performance.now();
        await closer.query("BEGIN");
        await closer.query("SELECT lock_period_month($1::date, true)", [month]);
        const waited = performance.now() - started;
        // Rolled back: the next writers must not be refused, only held off.
        await closer.query("ROLLBACK");
        waits.push(waited);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await Promise.all([...clients.map(write), close()]);
    await Promise.all([...clients, closer].map((c) => c.end()));
    return { perSecond: writes / SECONDS, waits };
  }

  await writers(false); // warm-up: connections, plans, caches
  const quiet = await writers(false);
  const busy = await writers(true);
  console.log(
    `  ${WRITERS} writers, no closes:        ${quiet.perSecond.toFixed(0)} write transactions/s`,
  );
  console.log(
    `  ${WRITERS} writers, a close every ~20 ms: ${busy.perSecond.toFixed(0)} write transactions/s; ` +
      `${busy.waits.length} closes waited p50 ${percentile(busy.waits, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(busy.waits, 99).toFixed(2)} ms, max ${Math.max(...busy.waits).toFixed(2)} ms`,
  );
  await admin.end();
} finally {
  await database.close();
  cluster.stop();
}
