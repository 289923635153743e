import type { Context } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";

/** Reads a `text/csv` request body (UTF-8, with or without a BOM). */
export async function readCsvBody(c: Context<AppEnv>): Promise<string> {
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "text/csv") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the file as text/csv (UTF-8)");
  }
  return c.req.text();
}
