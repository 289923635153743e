import type { Context } from "hono";

/** A download: its body, its file name, and an ASCII name for old clients. */
export interface DownloadFile {
  body: string;
  filename: string;
  ascii: string;
}

/** A `Content-Disposition` that names the download, in ASCII and in UTF-8 (RFC 6266). */
export function attachment(filename: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Sends CSV as a download, never cached (figures and lists are scoped to the caller). */
export function sendCsv(c: Context, file: DownloadFile) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", attachment(file.filename, file.ascii));
  c.header("Cache-Control", "no-store");
  return c.body(file.body);
}
