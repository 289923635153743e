import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { fromDatabaseError } from "../../lib/database-errors";
import { AppError } from "../../lib/errors";
import { redact } from "../../lib/redact";
import type { WebEnv } from "../env";
import { backLinkFor } from "./back-link";
import { renderPublicPage } from "./layout";

/** A missing event, private link or recovery address: the list and the way to find one's sign-ups. */
export function publicNotFound(c: Context<WebEnv>) {
  const { t } = c.var;
  return renderPublicPage(
    c,
    { title: t.public.notFoundTitle, status: 404 },
    <>
      <h1>{t.public.notFoundTitle}</h1>
      <p>{t.public.notFoundBody}</p>
      <ul>
        <li>
          <a href="/events">{t.public.backToList}</a>
        </li>
        <li>
          <a href="/find">{t.publicErrors.findLink}</a>
        </li>
      </ul>
    </>,
  );
}

function BackLink(props: { c: Context<WebEnv> }) {
  const { t } = props.c.var;
  const back = backLinkFor(props.c.req.path);
  return (
    <p>
      <a href={back.href}>{t.publicErrors.back[back.target]}</a>
    </p>
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
 * The volunteers' pages' error path: each page links back where the visitor was (the event,
 * their sign-up, the list), never to the staff sign-in. A sign-up that failed with 503 may have
 * been stored: the page says so and points to finding one's sign-ups instead of sending again.
 */
export function publicErrorHandler(error: unknown, c: Context<WebEnv>) {
  const { t } = c.var;
  if (error instanceof HTTPException && error.status === 403) {
    return renderPublicPage(
      c,
      { title: t.csrfTitle, status: 403 },
      <>
        <h1>{t.csrfTitle}</h1>
        <p>{t.csrfBody}</p>
        <BackLink c={c} />
      </>,
    );
  }
  const appError = error instanceof AppError ? error : (fromDatabaseError(error) ?? undefined);
  if (appError?.code === "NOT_FOUND") return publicNotFound(c);
  if (appError?.code === "RATE_LIMITED") {
    const seconds = appError.retryAfterSeconds ?? 60;
    c.header("Retry-After", String(seconds));
    return renderPublicPage(
      c,
      { title: t.limits.title, status: 429 },
      <>
        <h1>{t.limits.title}</h1>
        <p role="alert">{t.find.tooSoon(seconds)}</p>
        <BackLink c={c} />
      </>,
    );
  }
  const unavailable = appError?.code === "DATABASE_UNAVAILABLE";
  console.error(`[${c.var.requestId ?? "-"}] public page failed`, describeCause(error));
  if (unavailable) c.header("Retry-After", "5");
  const signingUp = c.req.method === "POST" && /^\/events\/[^/]+\/signup$/.test(c.req.path);
  const e = t.publicErrors;
  return renderPublicPage(
    c,
    { title: unavailable ? e.unavailableTitle : t.errorTitle, status: unavailable ? 503 : 500 },
    <>
      <h1>{unavailable ? e.unavailableTitle : t.errorTitle}</h1>
      <p>{unavailable ? e.unavailableBody : t.errorBody}</p>
      {signingUp && (
        <p class="notice">
          {e.maybeStored} <a href="/find">{e.findLink}</a>
        </p>
      )}
      <BackLink c={c} />
      <p class="muted">
        {t.requestIdLabel}: {c.var.requestId}
      </p>
    </>,
  );
}
