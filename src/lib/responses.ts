import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";
import { resolver } from "hono-openapi";
import * as v from "valibot";
import { XLSX_MEDIA_TYPE } from "./download";
import { codeToStatus, type ErrorCode } from "./errors";

/*
 * What responses look like, in one place: the OpenAPI response objects every route describes
 * itself with, built from the same valibot schemas its handler answers through (`reply`), so the
 * document and the answers cannot drift apart. The Worker tests check every answer they get
 * against /openapi.json (test/worker/contract.ts).
 */

/** An instant as JSON carries it: ISO 8601 in UTC. */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp());

/** One problem with the input: where (a field path; `row` for files) and what. */
const ErrorIssue = v.object({
  path: v.string(),
  message: v.string(),
  row: v.optional(v.number()),
});

/** The one error shape; some errors add details (`conflictingEventId`, `reasons`, …). */
export const ErrorBody = v.object({
  error: v.looseObject({
    code: v.picklist(Object.keys(codeToStatus) as [ErrorCode, ...ErrorCode[]]),
    message: v.string(),
    issues: v.array(ErrorIssue),
    requestId: v.string(),
  }),
});

/** A JSON body of `schema`, with a description. */
export function jsonResponse(description: string, schema: v.GenericSchema) {
  return { description, content: { "application/json": { schema: resolver(schema) } } };
}

/** A download (CSV, xlsx, iCalendar, SVG): its media type, described but not a JSON schema. */
export function fileResponse(description: string, mediaType: string) {
  return {
    description,
    content: { [mediaType]: { schema: { type: "string" as const, format: "binary" } } },
  };
}

/** Statuses an operation can answer with besides its success, by name in components.responses. */
const errorNames = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  429: "TooManyRequests",
  503: "Unavailable",
} as const;
type ErrorStatus = keyof typeof errorNames;

/** `{ 404: { $ref: "#/components/responses/NotFound" }, … }` for the given statuses. */
export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { $ref: `#/components/responses/${errorNames[status]}` }]),
  );
}

/** The shared error responses, for the document's components (Retry-After where it applies). */
export function errorComponents() {
  const retryAfter = {
    "Retry-After": {
      description: "Seconds to wait before trying again",
      schema: { type: "integer" as const },
    },
  };
  const described: Record<ErrorStatus, string> = {
    400: "The input is not valid: `issues` lists each problem with its field path",
    401: "No API token, or one that is unknown, revoked or expired",
    403: "Your role may not do this",
    404: "Not found, or outside your scope (the two look alike)",
    409: "A conflict: full, overlapping, duplicate, closed, or no longer in that state",
    413: "The body is larger than 2 MB",
    415: "The body's media type is not accepted here",
    429: "Too many requests",
    503: "The database is unreachable or took too long",
  };
  return Object.fromEntries(
    (Object.keys(errorNames).map(Number) as ErrorStatus[]).map((status) => [
      errorNames[status],
      {
        ...jsonResponse(described[status], ErrorBody),
        ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
      },
    ]),
  );
}

/** Errors every operation may answer with: too many requests, or the database away. */
const ALWAYS: ErrorStatus[] = [429, 503];

/**
 * The responses of an operation: its success (status → response object) and the errors it can
 * give, named by what the route does: `auth` (401), `roles` (403), `id` (404), `input` (400),
 * `conflict` (409), `body` (413 and 415).
 */
export function responses(
  success: Record<number, object>,
  can: {
    auth?: boolean;
    roles?: boolean;
    id?: boolean;
    input?: boolean;
    conflict?: boolean;
    body?: boolean;
  },
) {
  const statuses: ErrorStatus[] = [
    ...(can.input || can.body ? ([400] as const) : []),
    ...(can.auth ? ([401] as const) : []),
    ...(can.roles ? ([403] as const) : []),
    ...(can.id ? ([404] as const) : []),
    ...(can.conflict ? ([409] as const) : []),
    ...(can.body ? ([413, 415] as const) : []),
    ...ALWAYS,
  ];
  return { ...success, ...errorResponses(...statuses) };
}

/** Fails to compile when the data, as JSON, is not what the schema promises. */
type Conforms<D, S extends v.GenericSchema> =
  JSONParsed<D> extends v.InferOutput<S> ? unknown : { "does not match its schema": S };

/**
 * Answers with `data` as JSON, typed against the schema the route documents: a field missing,
 * added with another type, or renamed is a compile error, not a surprise for a client.
 */
export function reply<S extends v.GenericSchema, D>(
  c: Context,
  _schema: S,
  data: D & Conforms<D, S>,
  status: ContentfulStatusCode = 200,
) {
  return c.json(data as never, status);
}

/** Shorthand for the common status codes of a JSON success. */
export const ok = (description: string, schema: v.GenericSchema) => ({
  200: jsonResponse(description, schema),
});
/** A 200 of `schema` as JSON, or the same rows as a CSV or an xlsx download (`format=csv|xlsx`). */
export const okOrTable = (description: string, schema: v.GenericSchema) => ({
  200: {
    description,
    content: {
      "application/json": { schema: resolver(schema) },
      "text/csv": { schema: { type: "string" as const } },
      [XLSX_MEDIA_TYPE]: { schema: { type: "string" as const, format: "binary" } },
    },
  },
});
export const created = (description: string, schema: v.GenericSchema) => ({
  201: jsonResponse(description, schema),
});

export { codeToStatus };

/** A page of a list: the items, and where in the whole list they are. */
export function Page<S extends v.GenericSchema>(item: S) {
  return v.object({
    data: v.array(item),
    page: v.object({ limit: v.number(), offset: v.number(), total: v.number() }),
  });
}

/** A nullable field, as JSON has it (present, maybe null). */
export const nullable = <S extends v.GenericSchema>(schema: S) => v.nullable(schema);

/** What a write can answer besides its success (add `id: true` for one addressed by id). */
export const WRITE = {
  auth: true,
  roles: true,
  input: true,
  conflict: true,
  body: true,
} as const;

/** The `Idempotency-Key` request header of retryable writes. */
export const IDEMPOTENCY_KEY = { $ref: "#/components/parameters/IdempotencyKey" };
