/**
 * Loads the Liaoning GB/T 2260 region tree into DATABASE_URL (idempotent; public reference data,
 * so it is safe to run against production):  DATABASE_URL=... npm run db:seed-regions
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../src/db/schema";
import type { ScriptDatabase } from "./lib/database";
import { seedRegions } from "./seed/regions";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the Postgres to load the regions into.");
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, max: 1 });
try {
  const db = drizzle(pool, { schema, casing: "snake_case" }) as unknown as ScriptDatabase;
  console.log(`Upserted ${await seedRegions(db)} regions.`);
} finally {
  await pool.end();
}
