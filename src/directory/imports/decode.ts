import { parseCsv } from "../../lib/csv";
import type { Table, TableRow } from "./table";
import { readXlsx, WorkbookError, type WorkbookProblem } from "./xlsx-read";

/** The media type of an .xlsx workbook, as browsers and curl send it. */
export { XLSX_MEDIA_TYPE } from "../../lib/download";

/** Why an uploaded file is refused before any row is read. */
export type FileProblem =
  | "empty"
  | "legacy_excel"
  | "opendocument"
  | "binary"
  | "utf16"
  | "not_text"
  | WorkbookProblem;

export type Decoded = { ok: true; table: Table } | { ok: false; problem: FileProblem };

const startsWith = (bytes: Uint8Array, prefix: number[]) =>
  prefix.every((byte, index) => bytes[index] === byte);

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** OLE2 compound file: Excel 97–2003 `.xls`, and every password-protected workbook. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Strict decoding: undefined when the bytes are not valid in that encoding. */
function decodeAs(encoding: "utf-8" | "gb18030", bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** CSV text (RFC 4180) as rows numbered as a spreadsheet numbers them (header = row 1). */
export function csvRows(text: string): { rows: TableRow[]; errors: { row: number }[] } {
  const parsed = parseCsv(text);
  const rows = parsed.rows.map((cells, index) => ({ row: index + 1, cells }));
  const errors = parsed.errorRows.map((index) => ({ row: index + 1 }));
  return { rows, errors };
}

function readCsv(bytes: Uint8Array, charset: string | undefined): Decoded {
  if (bytes.includes(0)) return { ok: false, problem: "binary" };
  const declaredGb = charset !== undefined && /^(gbk|gb2312|gb18030|cp936)$/i.test(charset);
  let text: string | undefined;
  let encoding: Table["encoding"];
  const utf8 = declaredGb ? undefined : decodeAs("utf-8", bytes);
  if (startsWith(bytes, UTF8_BOM)) {
    text = decodeAs("utf-8", bytes.subarray(3));
    encoding = "utf-8-bom";
  } else if (utf8 !== undefined) {
    text = utf8;
    encoding = "utf-8";
  } else {
    // What Excel and WPS on Chinese Windows save as "CSV": GBK, of which GB18030 is the superset.
    text = decodeAs("gb18030", bytes);
    encoding = "gb18030";
  }
  if (text === undefined) return { ok: false, problem: "not_text" };
  const { rows, errors } = csvRows(text);
  return { ok: true, table: { format: "csv", encoding, rows, syntaxErrors: errors } };
}

/**
 * Reads an uploaded directory list, whatever an office saved it as: an .xlsx workbook (Excel,
 * WPS), or CSV in UTF-8 (with or without a BOM) or GBK/GB18030. The bytes decide, not the name:
 * a workbook renamed `.csv` is still read as a workbook. Anything else is refused with the reason.
 * `charset` (from `text/csv; charset=…`) is honoured only when it names a GB encoding, the one
 * case where detection could guess wrong (a short GBK file that happens to be valid UTF-8).
 */
export function decodeUpload(bytes: Uint8Array, charset?: string): Decoded {
  if (bytes.length === 0) return { ok: false, problem: "empty" };
  if (startsWith(bytes, OLE2)) return { ok: false, problem: "legacy_excel" };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]))
    return { ok: false, problem: "utf16" };
  if (startsWith(bytes, ZIP)) {
    const head = new TextDecoder().decode(bytes.subarray(30, 120));
    if (head.includes("mimetypeapplication/vnd.oasis.opendocument"))
      return { ok: false, problem: "opendocument" };
    try {
      return { ok: true, table: { format: "xlsx", rows: readXlsx(bytes), syntaxErrors: [] } };
    } catch (error) {
      if (error instanceof WorkbookError) return { ok: false, problem: error.problem };
      throw error;
    }
  }
  return readCsv(bytes, charset);
}
