import { describe, expect, it } from "vitest";
import { fromDatabaseError } from "../../../src/lib/database-errors";

function pgError(code: string, constraint?: string) {
  return Object.assign(new Error("raw database message with secrets"), { code, constraint });
}

describe("database errors", () => {
  it("maps a unique violation to 409 DUPLICATE with a human message, not the database's", () => {
    const error = fromDatabaseError(
      new Error("Failed query", { cause: pgError("23505", "volunteers_mobile_hash_key") }),
    );
    expect(error?.status).toBe(409);
    expect(error?.code).toBe("DUPLICATE");
    expect(error?.message).not.toContain("secrets");
  });

  it.each([
    ["23P01", "OVERLAP", 409],
    ["23514", "CONFLICT", 409],
    ["40001", "CONFLICT", 409],
    ["08006", "DATABASE_UNAVAILABLE", 503],
    ["57P01", "DATABASE_UNAVAILABLE", 503],
    ["57014", "DATABASE_UNAVAILABLE", 503],
  ])("maps SQLSTATE %s to %s", (sqlstate, code, status) => {
    const error = fromDatabaseError(pgError(sqlstate));
    expect(error?.code).toBe(code);
    expect(error?.status).toBe(status);
  });

  it("treats a refused connection as 503 with Retry-After", () => {
    const error = fromDatabaseError(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    expect(error?.code).toBe("DATABASE_UNAVAILABLE");
    expect(error?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("leaves programming errors alone so they become 500s", () => {
    expect(fromDatabaseError(new TypeError("x is not a function"))).toBeUndefined();
    expect(fromDatabaseError(pgError("42703"))).toBeUndefined();
  });
});
