import type { TestProject } from "vitest/node";
import { type LocalDatabase, startPglite } from "../../scripts/lib/database";
import { startLocalPostgres } from "../../scripts/lib/local-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    proxyUrl: string;
    /** GET it for the relay's counts (sessions and round trips, in all and per relay path). */
    relayStatsUrl: string;
    databaseKind: string;
  }
}

/**
 * Starts the database the Worker tests talk to through the real Neon driver path:
 * PGlite in memory by default, or with TEST_DATABASE=postgres a throwaway PostgreSQL cluster
 * behind PgBouncer in transaction mode (as production sits behind Neon's pooler).
 * Regions (public reference data) are loaded once; every test makes the rest of its own data.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "pglite";
  const database: LocalDatabase =
    kind === "postgres" ? await startLocalPostgres() : await startPglite();
  await database.seedRegions();
  project.provide("databaseUrl", database.databaseUrl);
  project.provide("proxyUrl", database.proxyUrl);
  project.provide("relayStatsUrl", database.relayStatsUrl);
  project.provide("databaseKind", kind);
  return () => database.close();
}
