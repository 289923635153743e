import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";

/** Rows per statement: thousands of changed rows in a few round trips, well under 65,535 parameters. */
export const CHUNK = 500;

/** Splits a list into chunks of CHUNK. */
export function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** A column an import sets: its SQL name, its SQL type, and where its value comes from. */
export interface SetColumn {
  column: string;
  type: string;
  value(fields: Record<string, unknown>): unknown;
}

/** A Postgres array literal for an array of identifiers (vocabulary codes). */
export const arrayLiteral = (items: unknown) => `{${(items as string[]).join(",")}}`;

/**
 * Updates many rows of `table` by id in one statement per chunk
 * (`UPDATE … FROM (VALUES …)`): a row-by-row UPDATE would cost a round trip each, seconds for a
 * province's list over the Neon WebSocket. Names and types are the code's own, never input.
 */
export async function updateById(
  tx: Queryable,
  table: string,
  columns: SetColumn[],
  rows: { id: string; fields: Record<string, unknown> }[],
): Promise<void> {
  const names = sql.raw(["id", ...columns.map((c) => c.column)].join(", "));
  const assignments = sql.raw(
    [...columns.map((c) => `${c.column} = v.${c.column}`), "updated_at = now()"].join(", "),
  );
  for (const chunk of chunks(rows)) {
    const values: SQL[] = chunk.map(
      (row) =>
        sql`(${sql.join(
          [
            sql`${row.id}::uuid`,
            ...columns.map((c) => sql`${c.value(row.fields)}::${sql.raw(c.type)}`),
          ],
          sql`, `,
        )})`,
    );
    await tx.execute(
      sql`UPDATE ${sql.raw(table)} AS t SET ${assignments} FROM (VALUES ${sql.join(values, sql`, `)}) AS v(${names}) WHERE t.id = v.id`,
    );
  }
}
