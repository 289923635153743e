/**
 * What a request costs the database, read before and after a load step: the Worker's database
 * sessions and round trips (counted by the local relay: one WebSocket per session, one Sync or
 * simple Query per round trip), PostgreSQL's own sessions (pg_stat_database) and the statements
 * PgBouncer passed on (SHOW STATS), so a run prints them per request.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Stack } from "../../scripts/lib/stack";

export interface DbCounters {
  workerSessions: number;
  roundTrips: number;
  /** Backends PostgreSQL started (NaN on PGlite). */
  serverSessions: number;
  /** Statements PgBouncer passed on (NaN without PgBouncer). */
  poolerQueries: number;
}

export interface PerRequest {
  /** Database sessions the Worker opened per request (production: connections to Neon's pooler). */
  workerSessions: number;
  roundTrips: number;
  serverSessions: number;
  poolerQueries: number;
}

async function serverSessions(stack: Stack): Promise<number> {
  if (!stack.cluster) return Number.NaN;
  const result = (await stack.db.execute(
    sql`select sessions from pg_stat_database where datname = current_database()`,
  )) as unknown as { rows: { sessions: string }[] };
  return Number(result.rows[0]?.sessions ?? Number.NaN);
}

async function poolerQueries(stack: Stack): Promise<number> {
  if (!stack.pgbouncer) return Number.NaN;
  const client = new pg.Client({ connectionString: stack.pgbouncer.adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ database: string; total_query_count: string }>(
      "SHOW STATS",
    );
    return rows
      .filter((row) => row.database !== "pgbouncer")
      .reduce((sum, row) => sum + Number(row.total_query_count), 0);
  } finally {
    await client.end();
  }
}

/** Reads every counter the stack has. */
export async function readCounters(stack: Stack): Promise<DbCounters> {
  const relay = stack.relayStats();
  return {
    workerSessions: relay.connections,
    roundTrips: relay.roundTrips,
    serverSessions: await serverSessions(stack),
    poolerQueries: await poolerQueries(stack),
  };
}

/** The counters' growth between two readings, per request (two decimals). */
export function perRequest(before: DbCounters, after: DbCounters, requests: number): PerRequest {
  const per = (key: keyof DbCounters) =>
    Math.round(((after[key] - before[key]) / Math.max(1, requests)) * 100) / 100;
  return {
    workerSessions: per("workerSessions"),
    roundTrips: per("roundTrips"),
    serverSessions: per("serverSessions"),
    poolerQueries: per("poolerQueries"),
  };
}

/** "1.00 sessions, 9.02 round trips, 0.00 PostgreSQL sessions, 9.02 statements via PgBouncer". */
export function describePerRequest(cost: PerRequest): string {
  const parts = [
    `${cost.workerSessions.toFixed(2)} sessions`,
    `${cost.roundTrips.toFixed(2)} round trips`,
  ];
  if (!Number.isNaN(cost.serverSessions))
    parts.push(`${cost.serverSessions.toFixed(2)} new PostgreSQL backends`);
  if (!Number.isNaN(cost.poolerQueries))
    parts.push(`${cost.poolerQueries.toFixed(2)} statements through PgBouncer`);
  return `${parts.join(", ")} per request`;
}
