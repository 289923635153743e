import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { regionLevel } from "./enums";

/** GB/T 2260 administrative divisions: province > city > county > street > community. */
export const regions = pgTable(
  "regions",
  {
    code: varchar({ length: 12 }).primaryKey(),
    name: text().notNull(),
    level: regionLevel().notNull(),
    parentCode: varchar({ length: 12 }).references((): AnyPgColumn => regions.code),
  },
  (t) => [
    index("regions_parent_code_idx").on(t.parentCode),
    // A level's regions under a prefix (all counties of China, of a province) with their names,
    // read from the index alone: a tally broken down by region lists them.
    index("regions_level_code_idx").on(t.level, t.code.op("varchar_pattern_ops"), t.name),
    // Scope checks compare code prefixes, so a code's shape must match its level.
    check(
      "regions_code_matches_level",
      sql`(${t.level} IN ('province', 'city', 'county') AND ${t.code} ~ '^[0-9]{6}$')
        OR (${t.level} = 'street' AND ${t.code} ~ '^[0-9]{9}$')
        OR (${t.level} = 'community' AND ${t.code} ~ '^[0-9]{12}$')`,
    ),
    // Only the province has no parent; a child's code starts with its parent's prefix.
    check("regions_parent_required", sql`(${t.level} = 'province') = (${t.parentCode} IS NULL)`),
  ],
);
