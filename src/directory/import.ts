import { inArray } from "drizzle-orm";
import type * as v from "valibot";
import type { Queryable } from "../db/client";
import { organisations } from "../db/schema";
import type { ErrorIssue } from "../lib/errors";
import { type ImportColumns, importFailed, parseImport } from "./csv-import";
import { existingCounties } from "./references";

/** What a CSV row must carry for the directory checks: a county code and maybe an organisation. */
interface DirectoryRow {
  organisation?: string;
}

/** How one resource's CSV maps to its table. */
export interface ImportSpec<Row extends DirectoryRow, Insert> {
  columns: ImportColumns;
  schema: v.GenericSchema<Record<string, string>, Row>;
  countyField: keyof Row & string;
  toInsert(row: Row, organisationId: string | null): Insert;
}

async function organisationIdsByName(db: Queryable, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.name, [...new Set(names)]));
  return new Map(rows.map((row) => [row.name, row.id]));
}

/**
 * Validates a whole CSV — every cell, then every county code and organisation name against the
 * directory — and returns the rows ready to insert, or throws one 400 listing every problem by
 * row and column. Nothing is stored unless every row is valid.
 */
export async function prepareImport<Row extends DirectoryRow, Insert>(
  db: Queryable,
  csv: string,
  spec: ImportSpec<Row, Insert>,
): Promise<Insert[]> {
  const { rows, issues } = parseImport(csv, spec.columns, spec.schema);
  const countyOf = (row: Row) => String(row[spec.countyField]);
  const counties = await existingCounties(
    db,
    rows.map(({ value }) => countyOf(value)),
  );
  const orgIds = await organisationIdsByName(
    db,
    rows.flatMap(({ value }) => (value.organisation ? [value.organisation] : [])),
  );
  const referenceIssues: ErrorIssue[] = [];
  for (const { row, value } of rows) {
    if (!counties.has(countyOf(value))) {
      referenceIssues.push({
        row,
        path: spec.countyField,
        message: "no county-level region has this code",
      });
    }
    if (value.organisation && !orgIds.has(value.organisation)) {
      referenceIssues.push({ row, path: "organisation", message: "no organisation has this name" });
    }
  }
  const all = [...issues, ...referenceIssues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (all.length > 0) throw importFailed(all);
  return rows.map(({ value }) =>
    spec.toInsert(value, value.organisation ? (orgIds.get(value.organisation) ?? null) : null),
  );
}
