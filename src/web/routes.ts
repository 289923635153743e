import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { trimTrailingSlash } from "hono/trailing-slash";
import { checkinPageRoutes } from "./checkin/routes";
import type { WebEnv } from "./env";
import { notFoundPage, webErrorHandler } from "./errors";
import { homeRoutes } from "./home";
import { chooseLanguage } from "./i18n";
import { importPageRoutes } from "./imports/routes";
import { loginRoutes } from "./login";
import { needPageRoutes } from "./needs/routes";
import { outcomePageRoutes } from "./outcomes/routes";
import { periodPageRoutes } from "./periods/routes";
import { tallyPageRoutes } from "./tallies/routes";

/**
 * Pages hold scoped data and accept forms: never cached, never framed, no script at all
 * (they work without JavaScript), forms only to this site.
 */
const pageHeaders = createMiddleware<WebEnv>(async (c, next) => {
  c.header("Cache-Control", "no-store");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});

/**
 * The coordinator pages under /staff: server-rendered, Chinese first with English, plain forms.
 * Mounted by src/app.ts after the database middleware.
 */
export const staffPages = new Hono<WebEnv>()
  .use(pageHeaders)
  .use(chooseLanguage)
  // `/staff/` and friends: a 301 to the address without the slash instead of a 404.
  .use(trimTrailingSlash())
  // Refuses a form posted from another origin (Origin / Sec-Fetch-Site), login included.
  .use(csrf())
  .route("/", loginRoutes)
  .route("/", homeRoutes)
  .route("/needs", needPageRoutes)
  .route("/events", checkinPageRoutes)
  .route("/events", outcomePageRoutes)
  .route("/tallies", tallyPageRoutes)
  .route("/periods", periodPageRoutes)
  .route("/imports", importPageRoutes)
  .all("*", (c) => notFoundPage(c))
  .onError(webErrorHandler);
