import { createMiddleware } from "hono/factory";
import { XLSX_MEDIA_TYPE } from "../directory/imports/decode";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";

/**
 * Write requests must say what they send: JSON, or CSV or .xlsx to an `/import` route. Anything else is a
 * 415 (a CSV body sent to a JSON route would otherwise be read as `{}` and acted on).
 */
export const requireMediaType = createMiddleware<AppEnv>(async (c, next) => {
  if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
  const hasBody = c.req.header("Content-Length") !== "0" && c.req.raw.body !== null;
  if (!hasBody) return next();
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const accepted = c.req.path.endsWith("/import")
    ? ["text/csv", XLSX_MEDIA_TYPE]
    : ["application/json"];
  if (!accepted.includes(mediaType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `send the body as ${accepted.join(" or ")}`);
  }
  await next();
});
