import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env";
import { fromDatabaseError } from "../lib/database-errors";
import { AppError, type ErrorBody } from "../lib/errors";
import { redact } from "../lib/redact";

function fromHttpException(error: HTTPException): AppError {
  switch (error.status) {
    case 400:
      return new AppError("BAD_REQUEST", error.message || "the request is malformed");
    case 401:
      return new AppError("UNAUTHORIZED", "sign in first");
    case 403:
      return new AppError("FORBIDDEN", error.message || "not allowed");
    case 413:
      return new AppError("PAYLOAD_TOO_LARGE", "the request body is too large");
    case 415:
      return new AppError("UNSUPPORTED_MEDIA_TYPE", error.message || "unsupported content type");
    case 429:
      return new AppError("RATE_LIMITED", "too many requests; slow down");
    default:
      return new AppError("INTERNAL", "something went wrong on our side");
  }
}

/**
 * What operators see in the log: the innermost cause's type and message. Drizzle's own message
 * carries the query's parameters (names, hashes), so it is skipped; what remains is redacted.
 */
function describeCause(error: unknown): string {
  let innermost = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (innermost as { cause?: unknown } | undefined)?.cause;
    if (!cause) break;
    innermost = cause;
  }
  const text =
    innermost instanceof Error ? `${innermost.name}: ${innermost.message}` : String(innermost);
  return redact(text.slice(0, 300));
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) return fromHttpException(error);
  return fromDatabaseError(error) ?? new AppError("INTERNAL", "something went wrong on our side");
}

/** The app's one error path: every failure becomes `{ error: { code, message, issues, requestId } }`. */
export function handleError(error: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(error);
  if (appError.code === "INTERNAL" || appError.code === "DATABASE_UNAVAILABLE") {
    console.error(`[${c.var.requestId ?? "-"}] ${appError.code}`, describeCause(error));
  }
  if (appError.retryAfterSeconds) c.header("Retry-After", String(appError.retryAfterSeconds));
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      issues: appError.issues,
      requestId: c.var.requestId ?? "",
      ...appError.details,
    },
  };
  return c.json(body, appError.status);
}
