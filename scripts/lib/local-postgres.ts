import { type LocalDatabase, startPostgres } from "./database";
import { type PgCluster, startPgCluster } from "./pg-cluster";
import { type PgBouncer, type PgBouncerOptions, startPgBouncer } from "./pgbouncer";

/** A throwaway PostgreSQL cluster, PgBouncer in front of it, migrated, behind the relay. */
export interface LocalPostgres extends LocalDatabase {
  cluster: PgCluster;
  /** Undefined when started with `pgbouncer: false` (the Worker then dials the server itself). */
  pgbouncer?: PgBouncer;
  /** The server itself, bypassing PgBouncer (fixtures, checks, pg_stat views). */
  directUrl: string;
}

export interface LocalPostgresOptions {
  /** Server settings over the cluster's defaults (see PgClusterOptions). */
  settings?: Record<string, string>;
  /** PgBouncer's settings, or false for none (to compare against the bare server). */
  pgbouncer?: PgBouncerOptions | false;
}

/**
 * Starts the PostgreSQL side of the local stack as production has it: the Worker reaches the
 * database through a transaction-mode pooler (Neon's pooled endpoint there, PgBouncer here).
 * `close()` stops them in order: relay, PgBouncer, cluster.
 */
export async function startLocalPostgres(
  options: LocalPostgresOptions = {},
): Promise<LocalPostgres> {
  const cluster = await startPgCluster({ settings: options.settings });
  let pgbouncer: PgBouncer | undefined;
  try {
    if (options.pgbouncer !== false)
      pgbouncer = await startPgBouncer(cluster.port, options.pgbouncer || {});
    const database = await startPostgres(cluster.url, { workerUrl: pgbouncer?.url });
    return {
      ...database,
      cluster,
      pgbouncer,
      directUrl: cluster.url,
      async close() {
        try {
          await database.close();
          await pgbouncer?.stop();
        } finally {
          cluster.stop();
        }
      },
    };
  } catch (error) {
    await pgbouncer?.stop();
    cluster.stop();
    throw error;
  }
}
