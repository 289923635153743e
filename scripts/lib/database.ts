import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "../../src/db/schema";
import { liaoningRegionsCsv, seedRegions } from "../seed/regions";
import { type RelayStats, startWsProxy, type WsProxy } from "./ws-proxy";

export type ScriptDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** A database the Worker can reach through the Neon driver's local-proxy settings. */
export interface LocalDatabase {
  /** The connection string the Worker uses (its host:port is relayed by the proxy). */
  databaseUrl: string;
  /** `LOCAL_DB_PROXY` for the Worker: the WebSocket relay in front of the database. */
  proxyUrl: string;
  /** A Node-side Drizzle client for migrations, seeding and test fixtures. */
  db: ScriptDatabase;
  /** The relay's counts so far (the Worker's database sessions and round trips). */
  relayStats(): RelayStats;
  /** The same counts over HTTP, for code that runs elsewhere (Worker tests). */
  relayStatsUrl: string;
  /** Loads the Liaoning region tree (see seedRegions); returns the number of regions. */
  seedRegions(): Promise<number>;
  close(): Promise<void>;
}

/** Finds a free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Opens (or creates) an embedded PGlite database, applies drizzle/ migrations, and serves it over
 * the Postgres wire protocol behind a WebSocket relay. `dataDir` undefined keeps it in memory.
 * Ports given in advance let the Worker start before the database is ready.
 */
export async function startPglite(
  options: { dataDir?: string; proxyPort?: number; socketPort?: number } = {},
): Promise<LocalDatabase> {
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { btree_gist } });
  const db = drizzlePglite(pglite, { schema, casing: "snake_case" });
  await migratePglite(db, { migrationsFolder });
  const port = options.socketPort ?? (await freePort());
  // pglite-socket accepts one connection unless told otherwise (LOCAL_RUNTIME.md pitfall 2).
  const socket = new PGLiteSocketServer({
    db: pglite,
    port,
    host: "127.0.0.1",
    maxConnections: 100,
  });
  await socket.start();
  let proxy: WsProxy;
  try {
    proxy = await startWsProxy({ port: options.proxyPort, serialize: true });
  } catch (error) {
    await socket.stop();
    await pglite.close();
    throw error;
  }
  return {
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    // Into an empty table, COPY from the CSV: 2–3× faster than the upsert on PGlite.
    async seedRegions() {
      const { rows } = await pglite.query<{ n: number }>("select count(*)::int as n from regions");
      if ((rows[0]?.n ?? 0) > 0) return seedRegions(db as unknown as ScriptDatabase);
      const blob = new Blob([readFileSync(liaoningRegionsCsv)]);
      const copied = await pglite.query(
        "COPY regions (code, name, level, parent_code) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)",
        [],
        { blob },
      );
      return copied.affectedRows ?? 0;
    },
    proxyUrl: proxy.url,
    db: db as unknown as ScriptDatabase,
    relayStats: proxy.stats,
    relayStatsUrl: proxy.statsUrl,
    async close() {
      await proxy.close();
      await socket.stop();
      await pglite.close();
    },
  };
}

/**
 * Connects to a real PostgreSQL server, applies migrations, and puts the relay in front of it.
 * `workerUrl` is what the Worker dials through the relay (PgBouncer's address, as production
 * dials Neon's pooler); migrations and the Node-side client use the server directly.
 */
export async function startPostgres(
  databaseUrl: string,
  options: { proxyPort?: number; workerUrl?: string } = {},
): Promise<LocalDatabase> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // An idle client whose server went away must not crash the process (pg-pool re-emits it).
  pool.on("error", () => {});
  const db = drizzleNodePg(pool, { schema, casing: "snake_case" });
  await pool.query("CREATE EXTENSION IF NOT EXISTS btree_gist");
  await migrateNodePg(db, { migrationsFolder });
  const proxy = await startWsProxy({ port: options.proxyPort });
  return {
    databaseUrl: options.workerUrl ?? databaseUrl,
    seedRegions: () => seedRegions(db as unknown as ScriptDatabase),
    proxyUrl: proxy.url,
    db: db as unknown as ScriptDatabase,
    relayStats: proxy.stats,
    relayStatsUrl: proxy.statsUrl,
    async close() {
      await proxy.close();
      await pool.end();
    },
  };
}
