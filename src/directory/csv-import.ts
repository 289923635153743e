import Papa from "papaparse";
import * as v from "valibot";
import { AppError, type ErrorIssue } from "../lib/errors";

/** Most rows a single import may carry; a province's whole roster fits well within it. */
export const MAX_IMPORT_ROWS = 5_000;

/** A column of an import: its canonical key and the header spellings accepted for it. */
export type ImportColumns = Record<string, readonly string[]>;

/** A valid row and its number as a spreadsheet shows it (the header is row 1). */
export interface NumberedRow<Row> {
  row: number;
  value: Row;
}

export interface ParsedImport<Row> {
  rows: NumberedRow<Row>[];
  issues: ErrorIssue[];
}

function canonicalHeaders(
  headers: string[],
  columns: ImportColumns,
): { map: (string | undefined)[]; issues: ErrorIssue[] } {
  const issues: ErrorIssue[] = [];
  const map = headers.map((header) => {
    const wanted = header.trim().toLowerCase();
    const key = Object.entries(columns).find(([canonical, aliases]) =>
      [canonical, ...aliases].some((alias) => alias.toLowerCase() === wanted),
    )?.[0];
    if (!key) issues.push({ row: 1, path: header, message: "unknown column" });
    return key;
  });
  return { map, issues };
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === "");

/**
 * Parses CSV text (RFC 4180, optional BOM, header row in English keys or Chinese labels) and
 * validates each row against `schema`. Rows keep the number a spreadsheet shows (blank lines
 * count), so the per-row, per-field report points at the cell to fix.
 */
export function parseImport<Row>(
  text: string,
  columns: ImportColumns,
  schema: v.GenericSchema<Record<string, string>, Row>,
): ParsedImport<Row> {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { delimiter: "," });
  const [headerRow, ...records] = parsed.data;
  if (!headerRow || isBlank(headerRow)) {
    return { rows: [], issues: [{ row: 1, path: "", message: "the file is empty" }] };
  }
  const { map, issues } = canonicalHeaders(headerRow, columns);
  for (const error of parsed.errors) {
    issues.push({ row: (error.row ?? 0) + 1, path: "", message: `CSV: ${error.message}` });
  }
  const dataRows = records
    .map((cells, index) => ({ cells, row: index + 2 }))
    .filter(({ cells }) => !isBlank(cells));
  if (dataRows.length === 0)
    issues.push({ row: 2, path: "", message: "the file has no data rows" });
  if (dataRows.length > MAX_IMPORT_ROWS) {
    issues.push({
      row: MAX_IMPORT_ROWS + 2,
      path: "",
      message: `at most ${MAX_IMPORT_ROWS} rows per import`,
    });
  }
  if (issues.length > 0) return { rows: [], issues };

  const rows: NumberedRow<Row>[] = [];
  for (const { cells, row } of dataRows) {
    const record: Record<string, string> = {};
    map.forEach((key, column) => {
      const cell = cells[column]?.trim() ?? "";
      if (key && cell !== "") record[key] = cell;
    });
    const result = v.safeParse(schema, record);
    if (result.success) rows.push({ row, value: result.output });
    else {
      for (const issue of result.issues) {
        issues.push({ row, path: v.getDotPath(issue) ?? "", message: issue.message });
      }
    }
  }
  return { rows, issues };
}

/** The 400 for a rejected import: nothing was stored, here is every problem. */
export function importFailed(issues: ErrorIssue[]): AppError {
  return new AppError(
    "VALIDATION_FAILED",
    `the import has ${issues.length} problem(s); nothing was stored`,
    {
      issues,
    },
  );
}

/** Splits a cell listing several values: `a;b`, `a、b`, `a,b` or `a|b`. */
export function splitList(cell: string): string[] {
  return cell
    .split(/[;；、,，|]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A CSV cell holding one of `values`, written as the code or as its Chinese or English label. */
export function labelledPicklist<T extends string>(
  values: readonly T[],
  labels: Record<T, { zh: string; en: string }>,
  what: string,
) {
  const lookup = new Map<string, T>();
  for (const value of values) {
    lookup.set(value.toLowerCase(), value);
    lookup.set(labels[value].zh, value);
    lookup.set(labels[value].en.toLowerCase(), value);
  }
  return v.pipe(
    v.string(),
    v.check((cell) => lookup.has(cell.trim().toLowerCase()), `is not a known ${what}`),
    v.transform((cell) => lookup.get(cell.trim().toLowerCase()) as T),
  );
}

/** A CSV cell listing several values of a labelled vocabulary. */
export function labelledList<T extends string>(
  values: readonly T[],
  labels: Record<T, { zh: string; en: string }>,
  what: string,
) {
  const item = labelledPicklist(values, labels, what);
  return v.pipe(
    v.string(),
    v.transform(splitList),
    v.array(item),
    v.transform((items) => [...new Set(items)]),
  );
}
