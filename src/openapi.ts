import { errorComponents, errorResponses } from "./lib/responses";

/** The OpenAPI document's top part; paths come from the routes' own validators and descriptions. */
export const openApiDocumentation = {
  info: {
    title: "双翼 Shuangyi API",
    version: "1.0.0",
    description:
      "专业社工 + 志愿服务: matching professional social workers with volunteer teams and pilot communities. " +
      "Errors always have the shape `{ error: { code, message, issues, requestId } }`; retryable writes " +
      "take an `Idempotency-Key` header.",
    license: { name: "MIT", identifier: "MIT" },
    contact: { name: "双翼 Shuangyi" },
  },
  // Relative: the document is served by the deployment it describes (npm run dev: localhost:8787).
  servers: [{ url: "/", description: "This deployment" }],
  tags: [
    { name: "health", description: "Liveness and database reachability" },
    {
      name: "directory",
      description: "Regions, communities, organisations, social workers, teams, volunteers",
    },
    { name: "needs", description: "服务需求: what communities ask for, and its candidates" },
    { name: "matching", description: "Batch matching runs over a region and period" },
    { name: "events", description: "服务活动: scheduling, changes, calendar feeds" },
    { name: "signups", description: "报名: volunteers' sign-ups, the waitlist, check-in" },
    { name: "outcomes", description: "服务记录: outcomes, sign-off, adjustments, closed months" },
    {
      name: "tallies",
      description: "统计: figures for departments, coverage, the pilot summary, bulk records",
    },
    { name: "audit", description: "Who changed what" },
    { name: "accounts", description: "Staff accounts and API tokens" },
  ],
  components: {
    securitySchemes: { bearerAuth: { type: "http" as const, scheme: "bearer" } },
    responses: errorComponents(),
    parameters: {
      IdempotencyKey: {
        in: "header" as const,
        name: "Idempotency-Key",
        required: false,
        description:
          "Makes a retried write safe: the same key and request replay the first 2xx " +
          "(`Idempotent-Replayed: true`); the same key with another request is a 409. Kept 24 h.",
        schema: { type: "string" as const, minLength: 1, maxLength: 255 },
      },
    },
  },
  security: [{ bearerAuth: [] }],
};

/**
 * What any request can be answered whatever the route: too many requests, the database away;
 * and for a request with a body, a malformed one, one too large, or of the wrong media type.
 */
const withBody = { responses: errorResponses(400, 413, 415, 429, 503) };
const withoutBody = { responses: errorResponses(429, 503) };
export const methodResponses = {
  GET: withoutBody,
  // A body sent with a DELETE is still limited in size.
  DELETE: { responses: errorResponses(413, 429, 503) },
  POST: withBody,
  PUT: withBody,
  PATCH: withBody,
};
