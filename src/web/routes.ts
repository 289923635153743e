import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { trimTrailingSlash } from "hono/trailing-slash";
import { calendarPageRoutes } from "./calendar/routes";
import { checkinPageRoutes } from "./checkin/routes";
import type { WebEnv } from "./env";
import { notFoundPage, webErrorHandler } from "./errors";
import { eventListRoutes } from "./events/list";
import { eventPageRoutes } from "./events/routes";
import { homeRoutes } from "./home";
import { chooseLanguage } from "./i18n";
import { importPageRoutes } from "./imports/routes";
import { loginRoutes } from "./login";
import { needListRoutes } from "./needs/list";
import { needPageRoutes } from "./needs/routes";
import { outcomePageRoutes } from "./outcomes/routes";
import { pageHeaders } from "./page-headers";
import { periodPageRoutes } from "./periods/routes";
import { requestPageRoutes } from "./requests/routes";
import { tallyPageRoutes } from "./tallies/routes";

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
  // The lists before the pages under them: their guard answers, not the others' `/*` ones too.
  .route("/needs", needListRoutes)
  .route("/needs", needPageRoutes)
  .route("/events", eventListRoutes)
  .route("/events", checkinPageRoutes)
  .route("/events", outcomePageRoutes)
  .route("/events", eventPageRoutes)
  .route("/tallies", tallyPageRoutes)
  .route("/calendar", calendarPageRoutes)
  .route("/requests", requestPageRoutes)
  .route("/periods", periodPageRoutes)
  .route("/imports", importPageRoutes)
  .all("*", (c) => notFoundPage(c))
  .onError(webErrorHandler);
