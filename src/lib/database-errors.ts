import { AppError } from "./errors";

export interface PgErrorLike {
  code: string;
  constraint?: string;
  detail?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The Postgres error (SQLSTATE, constraint) inside an error chain, if any. */
export function findPgError(error: unknown): PgErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as Partial<PgErrorLike> & { cause?: unknown };
    if (typeof candidate.code === "string" && SQLSTATE.test(candidate.code)) {
      return candidate as PgErrorLike;
    }
    current = candidate.cause;
  }
  return undefined;
}

const CONNECTION_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|connection|connect|network|socket|terminated|timeout|websocket/i;

function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error)
      parts.push(current.message, String((current as { code?: unknown }).code ?? ""));
    else if (typeof current === "object" && current && "message" in current)
      parts.push(String(current.message));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(" ");
}

/** Human messages for the constraints that protect invariants, by constraint name. */
const constraintMessages: Record<string, string> = {
  volunteers_mobile_hash_key: "a volunteer with this mobile number is already registered",
  communities_region_code_key: "this community is already in the directory",
  organisations_name_key: "an organisation with this name already exists",
  social_workers_certificate_number_key: "a social worker with this certificate number exists",
  outcomes_period_open:
    "the month is closed for this region, so its figures cannot change; an admin can record an adjustment",
  outcomes_kept: "outcomes are never deleted",
  event_signup_counters_within_capacity:
    "the change would put more volunteers in than there are places",
  signups_no_idle_place: "a place would stay free while volunteers wait for one",
};

/**
 * Turns a database failure into the API's error: constraint violations become 409 or 400, a lost
 * or refused connection becomes 503 with Retry-After. Returns undefined for anything else, which
 * the caller treats as an internal error. Never carries the database's own message.
 */
export function fromDatabaseError(error: unknown): AppError | undefined {
  const pg = findPgError(error);
  if (pg) {
    const constraint = pg.constraint;
    switch (pg.code) {
      case "23505":
        return new AppError(
          "DUPLICATE",
          constraintMessages[constraint ?? ""] ?? "this already exists",
          {
            details: { constraint },
          },
        );
      case "23P01":
        return new AppError("OVERLAP", "this overlaps with an existing booking", {
          details: { constraint },
        });
      case "23514":
      case "23001":
        return new AppError(
          "CONFLICT",
          constraintMessages[constraint ?? ""] ?? "the change would break a rule of the data",
          {
            details: { constraint },
          },
        );
      case "23503":
        return new AppError(
          "CONFLICT",
          "the change refers to something that does not exist or is still in use",
          {
            details: { constraint },
          },
        );
      case "40001":
      case "40P01":
        return new AppError("CONFLICT", "the change collided with another one; try again");
      // Input the schemas should have refused; a backstop, so it is never a 500.
      case "22021":
      case "22P05":
        return new AppError(
          "VALIDATION_FAILED",
          "the text contains a character that cannot be stored",
        );
      case "22003":
      case "22007":
      case "22008":
        return new AppError(
          "VALIDATION_FAILED",
          "a number or date is out of the range that can be stored",
        );
      case "57014":
        return new AppError("DATABASE_UNAVAILABLE", "the database took too long to answer", {
          retryAfterSeconds: 5,
        });
    }
    if (pg.code.startsWith("08") || pg.code.startsWith("57P") || pg.code === "53300") {
      return new AppError("DATABASE_UNAVAILABLE", "the database is unreachable", {
        retryAfterSeconds: 5,
      });
    }
    return undefined;
  }
  if (CONNECTION_FAILURE.test(messagesOf(error))) {
    return new AppError("DATABASE_UNAVAILABLE", "the database is unreachable", {
      retryAfterSeconds: 5,
    });
  }
  return undefined;
}
