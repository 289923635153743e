import { normaliseWord, readWord, type VocabularyName } from "../../domain/synonyms";
import { isStorable } from "../../lib/text";

/** What is wrong with one cell. */
export type CellProblem =
  | { kind: "required" }
  | { kind: "unstorable" }
  | { kind: "tooLong"; max: number }
  | { kind: "wholeNumber"; min: number; max: number }
  | { kind: "unknownWord"; vocabulary: VocabularyName; count: number }
  | { kind: "tooManyWords"; max: number }
  | { kind: "certificateNumber" }
  | { kind: "county" };

export type CellResult = { ok: true; value: unknown } | { ok: false; problem: CellProblem };

/** Where a template column takes its drop-down list from. */
export type ListSource = VocabularyName | "county" | "organisation";

/** One column of an import: how it is named, parsed and offered in the template. */
export interface Column {
  /** The key in API problems and English headers (`certificate_level`). */
  key: string;
  header: { zh: string; en: string };
  /** Other spellings of the header people use. */
  aliases: readonly string[];
  required: boolean;
  /** Parses a non-blank, trimmed cell. */
  parse(cell: string): CellResult;
  list?: ListSource;
  /** Several values in one cell, separated by 、 ; or a comma. */
  multiple?: boolean;
  /** The example row's cell in the template. */
  example: string;
  /** A hint shown when the cell is selected in the template. */
  hint: { zh: string; en: string };
  width: number;
}

const ok = (value: unknown): CellResult => ({ ok: true, value });
const fail = (problem: CellProblem): CellResult => ({ ok: false, problem });

/** Splits a cell listing several values: `a;b`, `a、b`, `a,b`, `a，b`, `a|b` or `a/b`. */
export function splitList(cell: string): string[] {
  return cell
    .split(/[;；、,，|/／\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Free text (a name): at most `max` characters, nothing Postgres cannot store. */
export const text =
  (max: number) =>
  (cell: string): CellResult => {
    if (!isStorable(cell)) return fail({ kind: "unstorable" });
    return [...cell].length > max ? fail({ kind: "tooLong", max }) : ok(cell);
  };

/** A whole number from `min` to `max` (`3`, `３`, `3.0` from a spreadsheet). */
export const wholeNumber =
  (min: number, max: number) =>
  (cell: string): CellResult => {
    const digits = cell.normalize("NFKC").replace(/\.0+$/, "");
    const n = /^\d{1,9}$/.test(digits) ? Number(digits) : Number.NaN;
    return n >= min && n <= max ? ok(n) : fail({ kind: "wholeNumber", min, max });
  };

/** One value of a vocabulary: its code, label or an everyday word. */
export const word =
  (vocabulary: VocabularyName) =>
  (cell: string): CellResult => {
    const code = readWord(vocabulary, cell);
    return code ? ok(code) : fail({ kind: "unknownWord", vocabulary, count: 1 });
  };

/** Several values of a vocabulary in one cell, each once, in the order written. */
export const words =
  (vocabulary: VocabularyName, max: number) =>
  (cell: string): CellResult => {
    const parts = splitList(cell);
    const codes = parts.map((part) => readWord(vocabulary, part));
    const unknown = codes.filter((code) => code === undefined).length;
    if (unknown > 0) return fail({ kind: "unknownWord", vocabulary, count: unknown });
    const distinct = [...new Set(codes as string[])];
    return distinct.length > max ? fail({ kind: "tooManyWords", max }) : ok(distinct);
  };

/**
 * A certificate number (证书编号, the management number on the 社会工作者职业水平证书): letters,
 * digits and dashes, read without spaces and in upper case, so the same number always matches.
 */
export function certificateNumber(cell: string): CellResult {
  const value = cell.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  return /^[0-9A-Z][0-9A-Z-]{3,39}$/.test(value) ? ok(value) : fail({ kind: "certificateNumber" });
}

/** How a county cell refers to a county: by its code, or by name (resolved in the directory). */
export type CountyReference = { code: string } | { name: string };

/**
 * A county: its 6-digit code alone or with the name (`210103`, `210103 沈河区`, `沈河区（210103）`,
 * the template's drop-down), or its name only (`沈河区`, `沈阳市沈河区`).
 */
export function county(cell: string): CellResult {
  const folded = cell.normalize("NFKC").trim();
  const codes = folded.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
  if (codes.length === 1) return ok({ code: codes[0] });
  if (codes.length > 1 || /\d/.test(folded) || folded.length > 40) return fail({ kind: "county" });
  return ok({ name: normaliseWord(folded) });
}
