import { SELF } from "cloudflare:test";
import { Buffer } from "node:buffer";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { Pool } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";

/*
 * The Worker's build replaces the Neon driver with its copy without the buffer, events and
 * crypto polyfills, the HTTP mode, pgpass and pg-native (wrangler.toml `[alias]`, scripts/neon-slim.ts);
 * the Worker tests run the same copy (vitest.config.ts), so every query in them goes through it.
 */
describe("the Worker's copy of the Neon driver", () => {
  it("is what the Worker tests run: its Pool is an EventEmitter of the runtime's node:events", async () => {
    const pool = new Pool({ connectionString: "postgresql://u:p@localhost/db" });
    expect(pool).toBeInstanceOf(EventEmitter);
    await pool.end();
  });

  it("signs in with workerd's node:crypto, which answers as Node's (test/faults/driver-auth.test.ts)", () => {
    // What node-postgres calls for MD5 and SCRAM-SHA-256, with Node's answers.
    expect(createHash("md5").update("abc", "utf-8").digest("hex")).toBe(
      "900150983cd24fb0d6963f7d28e17f72",
    );
    const sha = createHash("sha256").update(Buffer.from("abc")).digest();
    expect(Buffer.isBuffer(sha) && sha.toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(createHmac("sha256", Buffer.from("key")).update("abc").digest().toString("hex")).toBe(
      "9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab",
    );
    expect(randomBytes(18).toString("base64")).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });

  it("reaches the database", async () => {
    const response = await SELF.fetch("http://shuangyi.test/healthz");
    expect(response.status).toBe(200);
  });
});
