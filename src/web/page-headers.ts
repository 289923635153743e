import { createMiddleware } from "hono/factory";
import type { WebEnv } from "./env";

/**
 * Pages hold scoped data and accept forms: never cached, never framed, no script at all
 * (they work without JavaScript), forms only to this site.
 */
export const pageHeaders = createMiddleware<WebEnv>(async (c, next) => {
  c.header("Cache-Control", "no-store");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});
