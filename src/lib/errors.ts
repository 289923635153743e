import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The closed set of error codes the API answers with, and their HTTP status. */
export const codeToStatus = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  DUPLICATE: 409,
  OVERLAP: 409,
  FULL: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof codeToStatus;

/** One problem with the input: where (field path) and what. */
export interface ErrorIssue {
  path: string;
  message: string;
  row?: number;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    issues: ErrorIssue[];
    requestId: string;
    [detail: string]: unknown;
  };
}

/** An error whose message is safe to show to the client. Always `throw` it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[];
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      issues?: ErrorIssue[];
      details?: Record<string, unknown>;
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): ContentfulStatusCode {
    return codeToStatus[this.code];
  }
}

/** 404 for an id that does not exist *or* lies outside the caller's scope: the two look alike. */
export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", `${what} not found`);
}
