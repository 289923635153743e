import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { fetchWorker } from "./contract-setup";

/** The media type of an .xlsx workbook. */
export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A list as an office keeps it: a header row, then one row per record. */
export type Sheet = (string | number)[][];

/** The sheet as CSV text, written by papaparse (RFC 4180, CRLF as Excel writes it). */
export function csvText(sheet: Sheet): string {
  return Papa.unparse(sheet, { newline: "\r\n" });
}

/** UTF-8 CSV bytes, with the BOM Excel's "CSV UTF-8" adds, or without. */
export function utf8Csv(sheet: Sheet, bom = false): Uint8Array {
  return new TextEncoder().encode(`${bom ? "\uFEFF" : ""}${csvText(sheet)}`);
}

/** GBK CSV bytes, as Excel and WPS on Chinese Windows save "CSV", encoded by iconv-lite. */
export function gbkCsv(sheet: Sheet): Uint8Array {
  return new Uint8Array(iconv.encode(csvText(sheet), "gbk"));
}

/** An .xlsx workbook written by ExcelJS, numbers as numbers; `title` adds a title row above. */
export async function xlsxFile(
  sheet: Sheet,
  options: { title?: string } = {},
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet("名单");
  if (options.title) worksheet.addRow([options.title]);
  for (const row of sheet) worksheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** POSTs a file to an import route, as curl --data-binary would. */
export function sendFile(
  path: string,
  token: string,
  bytes: Uint8Array,
  contentType = "text/csv",
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetchWorker(`http://shuangyi.test${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType, ...headers },
    body: bytes,
  });
}
