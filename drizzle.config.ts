import { defineConfig } from "drizzle-kit";

// `npm run db:migrate` applies drizzle/ to DATABASE_URL (Neon or any Postgres).
// Local development and tests apply the same files from code (scripts/lib/database.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
