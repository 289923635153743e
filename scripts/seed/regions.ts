import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { regions } from "../../src/db/schema";
import { type RegionLevel, regionLevels } from "../../src/domain/vocabulary";
import type { ScriptDatabase } from "../lib/database";

/** The committed GB/T 2260 extract for Liaoning (see scripts/regions/extract.ts). */
export const liaoningRegionsCsv = fileURLToPath(
  new URL("./data/liaoning-regions.csv", import.meta.url),
);

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

const BATCH_SIZE = 5_000;

/** Reads liaoning-regions.csv, parents before children (province, cities, counties, …). */
export function readLiaoningRegions(path = liaoningRegionsCsv): RegionRow[] {
  const records: Record<"code" | "name" | "level" | "parent_code", string>[] = parse(
    readFileSync(path, "utf8"),
    { columns: true },
  );
  const rows = records.map((record) => ({
    code: record.code,
    name: record.name,
    level: record.level as RegionLevel,
    parentCode: record.parent_code || null,
  }));
  const depth = (row: RegionRow) => regionLevels.indexOf(row.level);
  return rows.sort((a, b) => depth(a) - depth(b) || (a.code < b.code ? -1 : 1));
}

/**
 * Upserts every Liaoning region (public reference data, so safe on production too); a re-run only
 * refreshes names. Returns the number of rows upserted.
 */
export async function seedRegions(db: ScriptDatabase): Promise<number> {
  const rows = readLiaoningRegions();
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await db
      .insert(regions)
      .values(rows.slice(start, start + BATCH_SIZE))
      .onConflictDoUpdate({
        target: regions.code,
        set: { name: sql`excluded.name` },
        // Rewriting unchanged rows would only leave dead tuples behind.
        setWhere: sql`${regions.name} IS DISTINCT FROM excluded.name`,
      });
  }
  return rows.length;
}
