import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Config } from "../env";
import type * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;

/**
 * What queries accept: the Worker's database, one of its transactions, or (in scripts and
 * tests) a PGlite / node-postgres database with the same schema.
 */
export type Queryable = PgDatabase<PgQueryResultHKT, typeof schema>;

const CONNECT_TIMEOUT_MS = 5_000;

export interface DatabaseHandle {
  db: Database;
  /** Ends the pool; call through `executionCtx.waitUntil` so the response is not delayed. */
  close(): Promise<void>;
}

/**
 * The one place that knows which driver the app talks to: the Neon serverless Pool over
 * WebSocket (interactive transactions), made per request because Workers may not share I/O
 * objects between requests, holding at most one connection. Locally the same driver reaches PGlite or a real Postgres through a
 * WebSocket relay (`LOCAL_DB_PROXY`), using the Neon driver's documented local-proxy settings.
 */
export function createDatabase(config: Config): DatabaseHandle {
  neonConfig.webSocketConstructor ??= closedTolerantWebSocket();
  if (config.localDbProxy) {
    // The driver adds the ws:// scheme itself, so the relay address goes in without one.
    const proxy = config.localDbProxy.replace(/^wss?:\/\//, "");
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: config.databaseUrl,
    // One connection per request, as on Neon's pooled endpoint (PgBouncer, transaction mode): a
    // request's queries take turns on it. A query sent on the outer `db` while the same request
    // holds a transaction open waits for that transaction, so inside `db.transaction()` use `tx`.
    max: 1,
    // Bounds connecting and, as pg-pool counts it, a query's wait for the request's connection
    // (its sibling queries go first): never shorter than a query may take.
    connectionTimeoutMillis: Math.max(CONNECT_TIMEOUT_MS, config.queryTimeoutMs),
    // So that no request hangs on a slow query (config.queryTimeoutMs, default 10 s). It is
    // client-side: Neon's pooler refuses a startup `options=-c statement_timeout`; the server-side
    // limit is a role setting (README, deployment).
    query_timeout: config.queryTimeoutMs,
  });
  // Without a listener, a server-side close of an idle client crashes the isolate
  // (LOCAL_RUNTIME.md pitfall 3); the next query reports the failure instead.
  pool.on("error", () => {});
  // pg-pool takes its own listener off a client while a request holds it; if the connection is
  // lost then (the database died), the client's error would be thrown uncaught from the socket
  // handler and leave the pool's end() hanging. The query itself still fails, and the request
  // still gets its 503.
  pool.on("connect", (client: PoolClient) => {
    client.on("error", () => {});
  });
  // Clients the request holds. At the end of the request one still held was abandoned: drizzle
  // never gives a client back when its BEGIN fails (a query timeout while the pooler queues it),
  // and pool.end() would wait for it forever, its connection still queued at the pooler, to be
  // handed a server connection that it then holds in an open transaction.
  const held = new Set<PoolClient>();
  pool.on("acquire", (client: PoolClient) => held.add(client));
  pool.on("release", (_error: Error | undefined, client: PoolClient) => held.delete(client));
  // Without `schema`: drizzle would rebuild its relational-query map of every table on each
  // request (0.4 ms of CPU measured in Node), for `db.query`, which the app never uses (queries
  // are built with select/insert/update); the type stays the schema's for the callers.
  const db = drizzle({ client: pool, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    close: () => {
      for (const client of held) dropConnection(client);
      return pool.end();
    },
  };
}

/**
 * The runtime's WebSocket, except that sending on a closed one does nothing. When the database
 * or its pooler closes a connection (a restart, an overload), the driver may still flush a write
 * it had buffered (in a timer) or say goodbye; workerd throws "Can't call WebSocket send() after
 * close()" there, uncaught. The pg client learns of the close from the socket's close event and
 * fails its queries, so a dropped write changes nothing.
 */
function closedTolerantWebSocket(): typeof WebSocket {
  return class extends WebSocket {
    override send(data: string | ArrayBuffer | ArrayBufferView): void {
      if (this.readyState === WebSocket.CLOSING || this.readyState === WebSocket.CLOSED) return;
      super.send(data);
    }
  };
}

/**
 * Closes a client's connection without a goodbye: the server (or pooler) rolls back whatever it
 * had open. The Neon socket's destroy() closes its WebSocket; pg's own end() would not (it writes
 * Terminate and waits for a callback the Neon socket never calls).
 */
function dropConnection(client: PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
    ?.stream;
  try {
    stream?.destroy();
  } catch {
    // Already closed.
  }
  // Back to the pool as broken, so that pool.end() does not wait for it.
  client.release(new Error("abandoned at the end of the request"));
}
