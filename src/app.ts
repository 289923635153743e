import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { openAPIRouteHandler } from "hono-openapi";
import { auditRoutes } from "./audit/routes";
import { accountRoutes } from "./auth/routes";
import { communityRoutes } from "./directory/communities/routes";
import { organisationRoutes } from "./directory/organisations/routes";
import { regionRoutes } from "./directory/regions/routes";
import { socialWorkerRoutes } from "./directory/social-workers/routes";
import { volunteerTeamRoutes } from "./directory/volunteer-teams/routes";
import { volunteerRoutes } from "./directory/volunteers/routes";
import { type AppEnv, readConfig } from "./env";
import { calendarFeedRoutes, publicCalendarRoutes } from "./events/calendar";
import { eventRoutes } from "./events/routes";
import { healthRoutes } from "./health/routes";
import { AppError } from "./lib/errors";
import { matchingRoutes } from "./matching/routes";
import { withDatabase } from "./middleware/database";
import { handleError } from "./middleware/errors";
import { requireMediaType } from "./middleware/media-type";
import { apiTokenRateLimit } from "./middleware/rate-limit";
import { signupClientLimit } from "./middleware/signup-limits";
import { needRoutes } from "./needs/routes";
import { methodResponses, openApiDocumentation } from "./openapi";
import { outcomeRecordRoutes, outcomeRoutes } from "./outcomes/routes";
import { periodLockRoutes } from "./periods/routes";
import { requestRoutes, stationRoutes } from "./requests/routes";
import { checkinRoutes } from "./signups/checkin-routes";
import { signupRoutes } from "./signups/routes";
import { tallyRoutes } from "./tallies/routes";
import { publicPages } from "./web/public/routes";
import { shortLinks } from "./web/public/short-link";
import { staffPages } from "./web/routes";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The policy of everything that is not a page: JSON, CSV, iCalendar, SVG. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * /docs: Swagger UI from the Worker's own static assets (scripts/docs-assets.ts lays them out from
 * the npm package), so the page loads nothing from a public CDN and runs no inline script.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>双翼 Shuangyi API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
`;

const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes as it renders.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const docsPage: MiddlewareHandler = async (c) => {
  c.header("Content-Security-Policy", DOCS_CSP);
  return c.html(DOCS_HTML);
};

/**
 * When the request happened, as every service sees it. The test suites (ENVIRONMENT=test, never
 * set in production) may name another instant, so a model test can move time without waiting.
 */
function requestClock(config: { testClock: boolean }, header: string | undefined): Date {
  if (config.testClock && header) {
    const named = new Date(header);
    if (!Number.isNaN(named.getTime())) return named;
  }
  return new Date();
}

/**
 * `c.var` without its cost: Hono's getter builds a new object of every variable on each read
 * (`Object.fromEntries`, ~2 µs in Node against 0.02 µs for `c.get`), and the app reads `c.var`
 * dozens of times per request. This view reads through `c.get` instead; it only reads.
 */
const fastVariables: MiddlewareHandler<AppEnv> = async (c, next) => {
  const view = new Proxy({} as AppEnv["Variables"], {
    get: (_target, key) => (typeof key === "string" ? c.get(key as never) : undefined),
  });
  Object.defineProperty(c, "var", { value: view });
  await next();
};

/** The JSON API under /api/v1: every resource is its own sub-app. */
function createApi() {
  return new Hono<AppEnv>()
    .use(requireMediaType)
    .route("/regions", regionRoutes)
    .route("/communities", communityRoutes)
    .route("/organisations", organisationRoutes)
    .route("/social-workers", socialWorkerRoutes)
    .route("/volunteer-teams", volunteerTeamRoutes)
    .route("/volunteers", volunteerRoutes)
    .route("/needs", needRoutes)
    .route("/", signupRoutes)
    .route("/events", checkinRoutes)
    .route("/outcomes", outcomeRecordRoutes)
    .route("/events", outcomeRoutes)
    .route("/events", eventRoutes)
    .route("/calendar-feeds", calendarFeedRoutes)
    .route("/matching", matchingRoutes)
    .route("/tallies", tallyRoutes)
    .route("/period-locks", periodLockRoutes)
    .route("/requests", requestRoutes)
    .route("/stations", stationRoutes)
    .route("/audit-log", auditRoutes)
    .route("/", accountRoutes);
}

/** Builds the whole Worker app: middleware, routes, documentation, and the one error path. */
export function createApp() {
  const app = new Hono<AppEnv>();
  const api = createApi();

  app.use(fastVariables);
  app.use(requestId());
  app.use(async (c, next) => {
    const config = readConfig(c.env);
    c.set("config", config);
    c.set("now", requestClock(config, c.req.header("X-Test-Now")));
    await next();
  });
  app.use(secureHeaders());
  // Whatever a route does not say for itself: nothing cached (responses are scoped to the caller
  // and may hold personal data), nothing loaded or framed. Pages set their own, stricter or wider.
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
    if (!c.res.headers.has("Content-Security-Policy"))
      c.res.headers.set("Content-Security-Policy", API_CSP);
  });
  app.use("/api/*", async (c, next) => {
    const origins = c.var.config.corsOrigins;
    if (origins.length === 0) return next();
    return cors({
      origin: origins,
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    })(c, next);
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError(
          "PAYLOAD_TOO_LARGE",
          `the request body is larger than ${MAX_BODY_BYTES} bytes`,
        );
      },
    }),
  );
  // Counted before any database work, so that a flood costs the database nothing.
  app.post("/api/v1/events/:id/signups", signupClientLimit());
  app.use("/api/*", apiTokenRateLimit());
  app.use("/api/*", withDatabase);
  app.use("/healthz", withDatabase);
  app.use("/calendar/*", withDatabase);
  app.use("/staff/*", withDatabase);
  app.use("/events/*", withDatabase);
  app.use("/signups/*", withDatabase);
  app.use("/e/*", withDatabase);
  app.use("/find", withDatabase);
  app.use("/ask", withDatabase);
  app.use("/ask/*", withDatabase);
  app.use("/requests/*", withDatabase);
  app.use("/find/*", withDatabase);
  app.use("/", withDatabase);

  app.route("/healthz", healthRoutes);
  app.route("/api/v1", api);
  app.route("/calendar", publicCalendarRoutes);
  app.route("/staff", staffPages);
  app.route("/", publicPages);
  app.route("/e", shortLinks);
  app.get(
    "/openapi.json",
    openAPIRouteHandler(app, {
      documentation: openApiDocumentation,
      // Each route documents its own 400 (the app's error shape, not the library's default).
      defaultValidationErrorResponse: false,
      // What any request of a method can be answered, whatever the route.
      defaultOptions: methodResponses,
    }),
  );
  app.get("/docs", docsPage);

  app.notFound(() => {
    throw new AppError("NOT_FOUND", "no such route");
  });
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
