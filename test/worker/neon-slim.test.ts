import { SELF } from "cloudflare:test";
import { EventEmitter } from "node:events";
import { Pool } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";

/*
 * The Worker's build replaces the Neon driver with its copy without the buffer and events
 * polyfills (wrangler.toml `[alias]`, scripts/neon-slim.ts); the Worker tests run the same copy
 * (vitest.config.ts), so every query in them goes through it.
 */
describe("the Worker's copy of the Neon driver", () => {
  it("is what the Worker tests run: its Pool is an EventEmitter of the runtime's node:events", async () => {
    const pool = new Pool({ connectionString: "postgresql://u:p@localhost/db" });
    expect(pool).toBeInstanceOf(EventEmitter);
    await pool.end();
  });

  it("reaches the database", async () => {
    const response = await SELF.fetch("http://shuangyi.test/healthz");
    expect(response.status).toBe(200);
  });
});
