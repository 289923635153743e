import { normaliseWord } from "../../domain/synonyms";
import type { ErrorIssue } from "../../lib/errors";
import { columnLetter } from "../../lib/xlsx-write";
import type { CellProblem, Column } from "./columns";
import type { ImportMessages } from "./messages";

/** Most rows a single import may carry; a province's whole roster fits well within it. */
export const MAX_IMPORT_ROWS = 5_000;

/** One row of a sheet, numbered as the spreadsheet shows it (the first row is 1). */
export interface TableRow {
  row: number;
  cells: string[];
}

/** An uploaded list, read into rows of text: what the file was, and what it holds. */
export interface Table {
  format: "csv" | "xlsx";
  encoding?: "utf-8" | "utf-8-bom" | "gb18030";
  rows: TableRow[];
  /** Rows where the CSV is malformed (an unterminated quote, …). */
  syntaxErrors: { row: number }[];
}

/**
 * A data row's given cells, parsed, by column key (a blank cell is simply absent). An incomplete
 * row had a problem in some cell: its other cells are still checked, but it is never stored.
 */
export interface ReadRow {
  row: number;
  values: Record<string, unknown>;
  complete: boolean;
}

/** Where each column of the file sits: its header as written and its letter (A, B, …). */
export type ColumnPlaces = Record<string, { header: string; letter: string }>;

export interface ReadTable {
  rows: ReadRow[];
  problems: ErrorIssue[];
  columns: ColumnPlaces;
  /** Rows left out because they are the template's example row. */
  exampleRows: number[];
}

/** The marker that starts the template's example row (full- or half-width): never imported. */
export const EXAMPLE_MARK = "（示例）";

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === "");

/** A header as people vary it: `姓名*`, `证书等级（必填）`, ` Name ` all read as the column. */
function headerWord(header: string): string {
  return normaliseWord(header)
    .replace(/\*/g, "")
    .replace(/\((必填|选填|可选|required|optional)\)$/, "");
}

function keyOfHeader(header: string, columns: readonly Column[]): string | undefined {
  const wanted = headerWord(header);
  return columns.find((column) =>
    [column.key, column.header.zh, column.header.en, ...column.aliases].some(
      (alias) => headerWord(alias) === wanted,
    ),
  )?.key;
}

/**
 * The header row: the first of the first ten non-blank rows that names at least two known
 * columns (so a title row above the headers, as offices often put, is passed over), else the
 * first non-blank row.
 */
function findHeader(rows: TableRow[], columns: readonly Column[]): number {
  const candidates = rows.map((r, index) => ({ r, index })).filter(({ r }) => !isBlank(r.cells));
  for (const { r, index } of candidates.slice(0, 10)) {
    const known = r.cells.filter((cell) => keyOfHeader(cell, columns) !== undefined).length;
    if (known >= 2) return index;
  }
  return candidates[0]?.index ?? -1;
}

function mapHeader(header: TableRow, columns: readonly Column[], t: ImportMessages) {
  const problems: ErrorIssue[] = [];
  const keys: (string | undefined)[] = [];
  const places: ColumnPlaces = {};
  header.cells.forEach((cell, index) => {
    const letter = columnLetter(index);
    if (cell.trim() === "") {
      keys.push(undefined);
      return;
    }
    const key = keyOfHeader(cell, columns);
    if (!key) problems.push({ row: header.row, path: letter, message: t.unknownColumn(letter) });
    else if (places[key])
      problems.push({ row: header.row, path: key, message: t.duplicateColumn(places[key].letter) });
    else places[key] = { header: cell.trim(), letter };
    keys.push(key && places[key]?.letter === letter ? key : undefined);
  });
  for (const column of columns) {
    if (column.required && !places[column.key])
      problems.push({ row: header.row, path: column.key, message: t.missingColumn(column) });
  }
  return { keys, places, problems };
}

/** Turns a cell problem into the issue shown for it. */
function issueOf(row: number, column: Column, problem: CellProblem, t: ImportMessages) {
  return { row, path: column.key, message: t.cell(problem) };
}

/**
 * Reads a table against a resource's columns: finds the header (Chinese or English names, a
 * title row above it allowed), then parses every cell of every data row. Every problem is
 * reported by row and column; the caller stores nothing unless there are none.
 */
export function readTable(table: Table, columns: readonly Column[], t: ImportMessages): ReadTable {
  const empty = { rows: [], columns: {}, exampleRows: [] };
  const headerIndex = findHeader(table.rows, columns);
  const header = table.rows[headerIndex];
  if (!header) return { ...empty, problems: [{ row: 1, path: "", message: t.emptyFile }] };
  const { keys, places, problems } = mapHeader(header, columns, t);
  for (const error of table.syntaxErrors) {
    problems.push({ row: error.row, path: "", message: t.csvSyntax });
  }
  const exampleRows: number[] = [];
  const dataRows = table.rows.slice(headerIndex + 1).filter((r) => {
    if (isBlank(r.cells)) return false;
    const example = r.cells.some((cell) => cell.normalize("NFKC").trim().startsWith("(示例)"));
    if (example) exampleRows.push(r.row);
    return !example;
  });
  if (dataRows.length === 0) problems.push({ row: header.row + 1, path: "", message: t.noRows });
  if (dataRows.length > MAX_IMPORT_ROWS) {
    const row = dataRows[MAX_IMPORT_ROWS]?.row ?? 0;
    problems.push({ row, path: "", message: t.tooManyRows(MAX_IMPORT_ROWS) });
  }
  if (problems.length > 0) return { ...empty, columns: places, problems, exampleRows };

  const rows: ReadRow[] = [];
  for (const { row, cells } of dataRows) {
    const values: Record<string, unknown> = {};
    const before = problems.length;
    cells.forEach((raw, index) => {
      const cell = raw.trim();
      if (cell === "") return;
      const column = columns.find((c) => c.key === keys[index]);
      if (!column) {
        const letter = columnLetter(index);
        problems.push({ row, path: letter, message: t.cellWithoutHeader(letter) });
        return;
      }
      const result = column.parse(cell);
      if (result.ok) values[column.key] = result.value;
      else problems.push(issueOf(row, column, result.problem, t));
    });
    for (const column of columns) {
      const cell = cells[keys.indexOf(column.key)]?.trim() ?? "";
      if (column.required && cell === "")
        problems.push(issueOf(row, column, { kind: "required" }, t));
    }
    rows.push({ row, values, complete: problems.length === before });
  }
  return { rows, problems, columns: places, exampleRows };
}
