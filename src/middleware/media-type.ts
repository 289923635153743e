import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";

const ACCEPTED = ["application/json", "text/csv"];

/** Write requests must say what they send: JSON, or CSV for imports. Anything else is a 415. */
export const requireMediaType = createMiddleware<AppEnv>(async (c, next) => {
  if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
  const hasBody = c.req.header("Content-Length") !== "0" && c.req.raw.body !== null;
  if (!hasBody) return next();
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!ACCEPTED.includes(mediaType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `send the body as ${ACCEPTED.join(" or ")}`);
  }
  await next();
});
