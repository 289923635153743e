import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import type { WebEnv } from "../env";
import { chooseLanguage } from "../i18n";
import { askPages, requestPages } from "./ask-routes";
import { devPages } from "./dev-routes";
import { publicErrorHandler, publicNotFound } from "./errors";
import { eventPages } from "./event-routes";
import { findPages } from "./find-routes";
import { frontPage } from "./front";
import { signupPages } from "./signup-routes";

/** Volunteers' pages hold personal data and take forms: never cached, never framed, no script. */
const pageHeaders = createMiddleware<WebEnv>(async (c, next) => {
  c.header("Cache-Control", "no-store");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});

/**
 * Every public page: headers, the language, and forms only from this site (the database: app.ts).
 * A section owns its prefix, so an unknown address below it gets the volunteers' 404 page.
 */
function section<T extends Hono<WebEnv>>(pages: T) {
  return new Hono<WebEnv>()
    .use(pageHeaders, chooseLanguage, csrf())
    .route("/", pages)
    .all("*", (c) => publicNotFound(c))
    .onError(publicErrorHandler);
}

/**
 * The volunteers' pages, mounted at the root by src/app.ts: `/` (the front door), /events (list,
 * event page, sign-up form, poster QR code), /signups/:token (the private link: view, add to
 * calendar, cancel), /find (find one's sign-ups by a code) and /dev/messages (development only).
 */
export const publicPages = new Hono<WebEnv>()
  .route("/events", section(eventPages))
  .route("/signups", section(signupPages))
  .route("/find", section(findPages))
  .route("/ask", section(askPages))
  .route("/requests", section(requestPages))
  .route("/dev", section(devPages))
  // The front door only (its middleware on "/" alone): the root's other addresses belong to app.ts.
  .route(
    "/",
    new Hono<WebEnv>()
      .use("/", pageHeaders, chooseLanguage)
      .route("/", frontPage)
      .onError(publicErrorHandler),
  );
