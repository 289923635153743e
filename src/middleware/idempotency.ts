import { and, eq, lt } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Queryable } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { sha256Hex } from "../lib/personal-data";

/** How long a key is remembered: a client retries within this, or not at all. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Printable ASCII, 1–255 characters: a UUID v4 is what clients are told to send. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Forgets keys older than the TTL (run by the Cron Trigger). Returns how many. */
export async function forgetExpiredIdempotencyKeys(db: Queryable, now: Date): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)))
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}

/**
 * Makes a write safe to retry with an `Idempotency-Key` header (Stripe's rules, per account):
 * the first request runs and, if it succeeds (2xx), its response is kept; a retry with the same
 * key and the same request gets that response again (`Idempotent-Replayed: true`) without running
 * twice; the same key with a different request is a 409, as is a retry while the first is still
 * running. A failed first request (4xx/5xx) keeps nothing, so the client can correct and retry.
 * Must run after requireAuth. Without the header the route behaves as before.
 */
export const idempotent = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return next();
  if (!KEY_PATTERN.test(key))
    throw new AppError("VALIDATION_FAILED", "the Idempotency-Key header is not valid", {
      issues: [
        { path: "Idempotency-Key", message: "1 to 255 printable ASCII characters, e.g. a UUID" },
      ],
    });
  const db = c.var.db;
  const accountId = c.var.principal.accountId;
  const body = await c.req.text();
  const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
  const mine = and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key));

  const now = new Date();
  await db
    .delete(idempotencyKeys)
    .where(and(mine, lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))));
  const [claimed] = await db
    .insert(idempotencyKeys)
    .values({ accountId, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (!claimed) {
    const [earlier] = await db.select().from(idempotencyKeys).where(mine);
    if (!earlier) throw new AppError("CONFLICT", "the Idempotency-Key was just released; retry");
    if (earlier.requestHash !== requestHash)
      throw new AppError(
        "CONFLICT",
        "this Idempotency-Key was used for a different request; use a new key for a new request",
      );
    if (earlier.responseStatus === null) {
      c.header("Retry-After", "1");
      throw new AppError(
        "CONFLICT",
        "a request with this Idempotency-Key is still being processed; retry shortly",
      );
    }
    c.header("Idempotent-Replayed", "true");
    return c.body(earlier.responseBody ?? "", earlier.responseStatus as ContentfulStatusCode, {
      "Content-Type": "application/json",
    });
  }

  let kept = false;
  try {
    await next();
    if (c.res.status >= 200 && c.res.status < 300 && !c.error) {
      const responseBody = await c.res.clone().text();
      await db
        .update(idempotencyKeys)
        .set({ responseStatus: c.res.status, responseBody, completedAt: new Date() })
        .where(mine);
      kept = true;
    }
  } finally {
    // A failure keeps nothing: the same key may be used again once the client fixed the request.
    if (!kept)
      await db
        .delete(idempotencyKeys)
        .where(mine)
        .catch(() => {});
  }
});
