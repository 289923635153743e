import type { Context } from "hono";
import { writeXlsx, type XlsxCell } from "./xlsx-write";

/** The media type of an .xlsx workbook. */
export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A download: its body, its media type, its file name, and an ASCII name for old clients. */
export interface DownloadFile {
  body: string | Uint8Array;
  mediaType: string;
  filename: string;
  ascii: string;
}

/** What a table download is offered as: CSV (UTF-8 with a BOM) or an Excel workbook. */
export type TableFormat = "csv" | "xlsx";

/** A table of figures as every download shows it: labels, rows, and which rows are totals. */
export interface Table {
  sheet: string;
  header: string[];
  rows: XlsxCell[][];
  /** Indexes into `rows` of total lines (合计), shown in bold in a workbook. */
  totals?: number[];
}

/** A `Content-Disposition` that names the download, in ASCII and in UTF-8 (RFC 6266). */
export function attachment(filename: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A table as an .xlsx workbook of one sheet: text as text, numbers as numbers. */
export function tableXlsx(table: Table): Uint8Array {
  return writeXlsx({
    sheets: [
      {
        name: table.sheet,
        rows: [table.header, ...table.rows],
        boldRows: (table.totals ?? []).map((index) => index + 1),
        widths: table.header.map((label) => Math.min(40, Math.max(12, label.length * 2 + 2))),
      },
    ],
    names: [],
  });
}

/** Sends a download, never cached (figures and lists are scoped to the caller). */
export function sendDownload(c: Context, file: DownloadFile) {
  c.header("Content-Type", file.mediaType);
  c.header("Content-Disposition", attachment(file.filename, file.ascii));
  c.header("Cache-Control", "no-store");
  return c.body(typeof file.body === "string" ? file.body : (file.body as Uint8Array<ArrayBuffer>));
}
