import type { TestProject } from "vitest/node";
import { type LocalDatabase, startPglite, startPostgres } from "../../scripts/lib/database";
import { type PgCluster, startPgCluster } from "../../scripts/lib/pg-cluster";
import { seedRegions } from "../../scripts/seed/regions";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    proxyUrl: string;
    databaseKind: string;
  }
}

/**
 * Starts the database the Worker tests talk to through the real Neon driver path:
 * PGlite in memory by default, or a throwaway PostgreSQL cluster with TEST_DATABASE=postgres.
 * Regions (public reference data) are loaded once; every test makes the rest of its own data.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "pglite";
  let cluster: PgCluster | undefined;
  let database: LocalDatabase;
  if (kind === "postgres") {
    cluster = await startPgCluster();
    database = await startPostgres(cluster.url);
  } else {
    database = await startPglite();
  }
  await seedRegions(database.db);
  project.provide("databaseUrl", database.databaseUrl);
  project.provide("proxyUrl", database.proxyUrl);
  project.provide("databaseKind", kind);
  return async () => {
    await database.close();
    cluster?.stop();
  };
}
