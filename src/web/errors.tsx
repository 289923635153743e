import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { fromDatabaseError } from "../lib/database-errors";
import { AppError } from "../lib/errors";
import { redact } from "../lib/redact";
import type { WebEnv } from "./env";
import { renderPage } from "./layout";

function Message(props: { title: string; body: string; backText?: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      {props.backText && (
        <p>
          <a href="/staff">{props.backText}</a>
        </p>
      )}
    </>
  );
}

/** 404 for a missing page or an id outside the staff member's scope: the two look alike. */
export function notFoundPage(c: Context<WebEnv>) {
  const { t } = c.var;
  return renderPage(
    c,
    { title: t.notFoundTitle, status: 404, principal: c.get("principal") },
    <Message title={t.notFoundTitle} body={t.notFoundBody} backText={t.back} />,
  );
}

/** A polite 403 for a signed-in role these pages are not for. */
export function forbiddenPage(c: Context<WebEnv>) {
  const { t } = c.var;
  return renderPage(
    c,
    { title: t.forbiddenTitle, status: 403, principal: c.get("principal") },
    <Message title={t.forbiddenTitle} body={t.forbiddenBody} />,
  );
}

/** The innermost cause, redacted: Drizzle's outer message carries query parameters. */
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

/**
 * The staff pages' error path: the same classification as the API's (src/middleware/errors.ts),
 * shown as a page. Only the request id reaches the page; the log gets the redacted cause.
 */
export function webErrorHandler(error: unknown, c: Context<WebEnv>) {
  const { t } = c.var;
  if (error instanceof HTTPException && error.status === 403) {
    // csrf() refuses a form posted from another origin.
    return renderPage(
      c,
      { title: t.csrfTitle, status: 403 },
      <Message title={t.csrfTitle} body={t.csrfBody} backText={t.back} />,
    );
  }
  const appError = error instanceof AppError ? error : (fromDatabaseError(error) ?? undefined);
  if (appError?.code === "NOT_FOUND") return notFoundPage(c);
  if (appError?.code === "RATE_LIMITED") {
    if (appError.retryAfterSeconds) c.header("Retry-After", String(appError.retryAfterSeconds));
    return renderPage(
      c,
      { title: t.rateLimitedTitle, status: 429 },
      <Message title={t.rateLimitedTitle} body={t.rateLimitedBody} backText={t.back} />,
    );
  }
  const unavailable = appError?.code === "DATABASE_UNAVAILABLE";
  console.error(`[${c.var.requestId ?? "-"}] staff page failed`, describeCause(error));
  if (unavailable) c.header("Retry-After", "5");
  return renderPage(
    c,
    { title: t.errorTitle, status: unavailable ? 503 : 500 },
    <>
      <Message title={t.errorTitle} body={unavailable ? t.unavailableBody : t.errorBody} />
      <p class="muted">
        {t.requestIdLabel}: {c.var.requestId}
      </p>
    </>,
  );
}
