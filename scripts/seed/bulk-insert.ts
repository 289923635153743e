/**
 * The seeds' one way of inserting many rows: each batch is one JSON parameter that PostgreSQL
 * unpacks with `jsonb_populate_recordset`, instead of Drizzle's multi-row VALUES with a parameter
 * per column and row. Building those statements in JavaScript was a third of a first start's
 * seeding time (tens of thousands of rows × a dozen columns), and PGlite parses one JSON value
 * faster than thousands of parameters.
 *
 * Rows are the same objects Drizzle's `insert().values()` takes (camelCase keys, Dates); each
 * column goes through its own `mapToDriverValue`, as Drizzle would send it. Only the columns some
 * row sets are named, and rows that set different columns go in separate statements, so a column
 * a row leaves out gets its database default, as in Drizzle.
 */
import { getTableColumns, getTableName, is, type SQL, sql } from "drizzle-orm";
import { CasingCache } from "drizzle-orm/casing";
import { type PgColumn, type PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { ScriptDatabase } from "../lib/database";

const casing = new CasingCache("snake_case");
const BATCH = 5_000;

type Executor = Pick<ScriptDatabase, "execute">;

/** The JSON value PostgreSQL should read for this column (Drizzle's driver value, JSON kept). */
function driverValue(column: PgColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.dataType === "json") return value;
  const mapped = column.mapToDriverValue(value);
  return mapped instanceof Date ? mapped.toISOString() : mapped;
}

/**
 * Inserts `rows` into `table`, `onConflict: "skip"` leaving out rows that conflict (as
 * `onConflictDoNothing()`); returns how many rows were inserted.
 */
export async function bulkInsert<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly PgInsertValue<T>[],
  options: { onConflict?: "skip" } = {},
): Promise<number> {
  if (!is(table, PgTable)) throw new Error("bulkInsert takes a Drizzle PostgreSQL table");
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  // Rows setting the same columns go together, in their order.
  const groups = new Map<string, { keys: string[]; rows: Record<string, unknown>[] }>();
  for (const row of rows as readonly Record<string, unknown>[]) {
    const keys = Object.keys(row).filter((key) => row[key] !== undefined && key in columns);
    const unknown = Object.keys(row).filter((key) => !(key in columns));
    if (unknown.length > 0)
      throw new Error(`${getTableName(table)} has no column ${unknown.join(", ")}`);
    const id = keys.join(",");
    const group = groups.get(id) ?? { keys, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  let inserted = 0;
  for (const { keys, rows: groupRows } of groups.values()) {
    const names = keys.map((key) => casing.getColumnCasing(columns[key] as PgColumn));
    const list = sql.join(
      names.map((name) => sql.identifier(name)),
      sql`, `,
    );
    for (let start = 0; start < groupRows.length; start += BATCH) {
      const json = groupRows.slice(start, start + BATCH).map((row) => {
        const out: Record<string, unknown> = {};
        keys.forEach((key, i) => {
          out[names[i] as string] = driverValue(columns[key] as PgColumn, row[key]);
        });
        return out;
      });
      const conflict: SQL = options.onConflict === "skip" ? sql`on conflict do nothing` : sql``;
      const result = (await db.execute(
        sql`with added as (
              insert into ${table} (${list})
              select ${list} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(json)}::jsonb)
              ${conflict}
              returning 1)
            select count(*)::int as n from added`,
      )) as unknown as { rows: { n: number }[] };
      inserted += Number(result.rows[0]?.n ?? 0);
    }
  }
  return inserted;
}
