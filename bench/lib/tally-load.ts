/**
 * Loading a scale for bench/tallies.ts: the raw outcome records generated inside PostgreSQL
 * (tally-data.ts) with the outcome tables' triggers, indexes and foreign keys out of the way, then
 * the rollups built by tally_rebuild() as an operator runs it, then VACUUM ANALYZE.
 */
import pg from "pg";
import {
  createIndexes,
  dropIndexes,
  foreignKeys,
  groupsSelect,
  type OutcomeRange,
  outcomeColumns,
  outcomeSelect,
  type TableDdl,
  tableDdl,
  volunteersSelect,
} from "./tally-data";
import { round } from "./tally-timing";

export const RAW_TABLES = ["outcomes", "outcome_groups", "outcome_volunteers"];
/**
 * The rollups whose indexes the load drops and re-creates around the rebuild. tally_presence keeps
 * its primary key: the rebuild writes it in key order and reads it in that order.
 */
export const REBUILT_TABLES = [
  "tally_rollup",
  "tally_group_rollup",
  "tally_social_workers",
  "tally_volunteers",
];
export const ROLLUP_TABLES = [
  ...REBUILT_TABLES,
  "tally_presence",
  "tally_county",
  "tally_distinct",
];

/** Session settings of the loading connections (queries keep the server's default work_mem). */
const LOADER_SESSION = [
  "set work_mem = '512MB'",
  "set maintenance_work_mem = '2GB'",
  "set synchronous_commit = off",
];

export interface Ddl {
  raw: TableDdl[];
  rollups: TableDdl[];
  foreignKeys: [string, string, string][];
}

export async function connectLoader(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const statement of LOADER_SESSION) await client.query(statement);
  return client;
}

export async function readDdl(client: pg.Client): Promise<Ddl> {
  const ddl: Ddl = { raw: [], rollups: [], foreignKeys: await foreignKeys(client, RAW_TABLES) };
  // One after another: a pg.Client runs one query at a time.
  for (const t of RAW_TABLES) ddl.raw.push(await tableDdl(client, t));
  for (const t of REBUILT_TABLES) ddl.rollups.push(await tableDdl(client, t));
  return ddl;
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

export interface LoadReport {
  outcomesMs: number;
  groupsMs: number;
  volunteersMs: number;
  rawTotalMs: number;
  /** tally_rebuild() = tally_rebuild_fine() then tally_rebuild_coarse(), timed apart. */
  rebuildFineMs: number;
  rebuildCoarseMs: number;
  rebuildMs: number;
  /** Re-creating the rollups' indexes after the rebuild. */
  rollupIndexesMs: number;
  vacuumAnalyzeMs: number;
  totalMs: number;
}

export async function loadScale(
  loaders: [pg.Client, pg.Client],
  ddl: Ddl,
  total: number,
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
      outcomesMs = await loadTable(a, byName("outcomes"), outcomeColumns, outcomeSelect, total);
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
        volunteersSelect,
        total,
      );
    })(),
  ]);
  const rawTotalMs = performance.now() - t0;

  // The rebuild as an operator runs it (select tally_rebuild(): its two halves, timed apart),
  // into tables without their indexes, which are built after it (in the rebuild's transaction,
  // so wal_level=minimal writes no WAL for them).
  await a.query("begin");
  for (const table of ddl.rollups) {
    await a.query(`truncate "${table.table}"`);
    await dropIndexes(a, table);
  }
  const t1 = performance.now();
  await a.query("select tally_rebuild_fine()");
  const t2 = performance.now();
  await a.query("select tally_rebuild_coarse()");
  const t3 = performance.now();
  for (const table of ddl.rollups) await createIndexes(a, table);
  await a.query("commit");
  const t4 = performance.now();

  // Back with NOT VALID: new rows are checked, the generated ones are not re-read.
  for (const [table, name, def] of ddl.foreignKeys)
    await a.query(`alter table "${table}" add constraint "${name}" ${def} not valid`);

  const t5 = performance.now();
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
  const vacuumAnalyzeMs = performance.now() - t5;
  return {
    outcomesMs: round(outcomesMs, 0),
    groupsMs: round(groupsMs, 0),
    volunteersMs: round(volunteersMs, 0),
    rawTotalMs: round(rawTotalMs, 0),
    rebuildFineMs: round(t2 - t1, 0),
    rebuildCoarseMs: round(t3 - t2, 0),
    rebuildMs: round(t3 - t1, 0),
    rollupIndexesMs: round(t4 - t3, 0),
    vacuumAnalyzeMs: round(vacuumAnalyzeMs, 0),
    totalMs: round(performance.now() - t0, 0),
  };
}

export async function tableSizes(pool: pg.Pool) {
  const { rows } = await pool.query<{ table: string; rows: string; bytes: string }>(
    `select c.relname as table, c.reltuples::bigint as rows, pg_total_relation_size(c.oid) as bytes
       from pg_class c where c.relname = any($1::text[]) order by array_position($1::text[], c.relname::text)`,
    [[...RAW_TABLES, ...ROLLUP_TABLES]],
  );
  return rows.map((r) => ({ table: r.table, rows: Number(r.rows), bytes: Number(r.bytes) }));
}
