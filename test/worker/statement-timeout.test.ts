import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../src/db/client";
import { readConfig } from "../../src/env";
import { fromDatabaseError } from "../../src/lib/database-errors";

describe("query timeout", () => {
  it("gives up on a query that runs too long, as a 503 with Retry-After", async () => {
    const handle = createDatabase({ ...readConfig(env), queryTimeoutMs: 300 });
    try {
      // Were the timeout not enforced, the query would succeed after 5 s: no clock is read here.
      const error = await handle.db.execute(sql`select pg_sleep(5)`).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeDefined();
      const mapped = fromDatabaseError(error);
      expect(mapped?.code).toBe("DATABASE_UNAVAILABLE");
      expect(mapped?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await handle.close().catch(() => {});
    }
  });

  it("defaults to 10 seconds and refuses a nonsense setting", () => {
    // The test bindings raise it (vitest.config.ts); without the binding it is the default.
    expect(readConfig({ ...env, QUERY_TIMEOUT_MS: undefined }).queryTimeoutMs).toBe(10_000);
    expect(() => readConfig({ ...env, QUERY_TIMEOUT_MS: "0" })).toThrow(/QUERY_TIMEOUT_MS/);
  });
});
