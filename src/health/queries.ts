import { sql } from "drizzle-orm";
import type { Queryable } from "../db/client";

/** Asks the database the smallest question it can answer; throws if it cannot. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.execute(sql`select 1`);
}
