/**
 * CSV as RFC 4180 has it, for the directory imports (reading) and every CSV download (writing).
 * Our own rather than papaparse's 19 KB, which mostly serve what this app never asks for (header
 * objects, type guessing, streaming, workers, delimiter guessing). test/unit/lib/csv.test.ts
 * checks both directions against papaparse and csv-parse on random tables.
 */

/** A cell to write: text, a number (written as it is), or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined;

/** What a spreadsheet takes for the start of a formula: such text is written after an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A value that must be quoted: a comma, a quote or a line break in it, or a space at an end. */
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;

function cellText(cell: CsvCell, escapeFormulae: boolean): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return String(cell);
  const text = escapeFormulae && FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) || text !== cell ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Rows as CSV lines ended by CRLF, as Excel writes them, with no BOM (the caller adds it). With
 * `escapeFormulae`, text that starts like a formula (=, +, -, @, tab, CR) from something someone
 * typed is defused with a leading apostrophe and quoted; numbers stay numbers.
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[], escapeFormulae = false): string {
  let out = "";
  for (const row of rows) {
    out += `${row.map((cell) => cellText(cell, escapeFormulae)).join(",")}\r\n`;
  }
  return out;
}

/** CSV text read into rows of cells, with the rows (0-based) whose quotes were malformed. */
export interface ParsedCsv {
  rows: string[][];
  errorRows: number[];
}

/**
 * Reads CSV text: fields separated by commas, rows ended by CRLF, LF or CR (whichever each line
 * uses), a leading BOM skipped. A field that starts with `"` is quoted: `""` inside it is one
 * quote, and commas and line breaks are part of it; spaces between its closing quote and the
 * next comma are ignored. A quote inside an unquoted field is kept as a character. Malformed
 * quoting — text after a closing quote, or a quote never closed — is reported by row, and the
 * rest of the row is read as well as it can be. A final line break does not end the table: it
 * starts an empty last row, as papaparse reads it (`""` gives no rows at all).
 */
export function parseCsv(input: string): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  const errorRows: number[] = [];
  if (text.length === 0) return { rows, errorRows };
  const length = text.length;
  let row: string[] = [];
  let i = 0;
  const flagRow = () => {
    if (errorRows.at(-1) !== rows.length) errorRows.push(rows.length);
  };
  for (;;) {
    // One field, starting at i.
    let field: string;
    if (text[i] === '"') {
      field = "";
      let start = i + 1;
      for (;;) {
        const quote = text.indexOf('"', start);
        if (quote < 0) {
          // Never closed: the rest of the text is this field.
          field += text.slice(start);
          i = length;
          flagRow();
          break;
        }
        field += text.slice(start, quote);
        if (text[quote + 1] === '"') {
          field += '"';
          start = quote + 2;
          continue;
        }
        i = quote + 1;
        while (text[i] === " ") i++;
        if (i < length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          // Text after the closing quote: kept, up to the end of the field.
          flagRow();
          const end = fieldEnd(text, i);
          field += text.slice(quote + 1, end);
          i = end;
        }
        break;
      }
    } else {
      const end = fieldEnd(text, i);
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= length) {
      rows.push(row);
      return { rows, errorRows };
    }
    if (text[i] === ",") {
      i++;
      continue;
    }
    // A line break: CRLF, LF or CR.
    i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
    rows.push(row);
    row = [];
    if (i >= length) {
      rows.push([""]);
      return { rows, errorRows };
    }
  }
}

/** Where an unquoted field that starts at `from` ends: the next comma or line break. */
function fieldEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 10 || c === 13) return i;
  }
  return text.length;
}
