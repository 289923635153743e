import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { NEON_SLIM_PATH, prepareNeonSlim, slimNeon } from "../../../scripts/neon-slim";

const packageDir = dirname(createRequire(import.meta.url).resolve("@neondatabase/serverless"));
const original = readFileSync(join(packageDir, "index.mjs"), "utf8");
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));

describe("the Worker's copy of the Neon driver", () => {
  it("exports what the package exports, without the polyfills", async () => {
    prepareNeonSlim();
    const slim = await import(pathToFileURL(NEON_SLIM_PATH).href);
    const full = await import(pathToFileURL(join(packageDir, "index.mjs")).href);
    expect(Object.keys(slim).sort()).toEqual(Object.keys(full).sort());
    const text = readFileSync(NEON_SLIM_PATH, "utf8");
    expect(text.length).toBeLessThan(original.length - 60_000);
    for (const gone of [
      "typedArraySupport",
      "eventTargetAgnosticAddListener",
      "_md5cycle",
      "usePgPass",
      "libpq",
    ])
      expect(text).not.toContain(gone);
    expect(text).not.toContain('method:"POST"');
  });

  it("is built on Node's own EventEmitter", async () => {
    const { EventEmitter } = await import("node:events");
    const slim = await import(pathToFileURL(NEON_SLIM_PATH).href);
    const pool = new slim.Pool({ connectionString: "postgresql://u:p@localhost/db" });
    expect(pool).toBeInstanceOf(EventEmitter);
    await pool.end();
  });

  it("leaves neon() (HTTP) out, saying so if it is called", async () => {
    const slim = await import(pathToFileURL(NEON_SLIM_PATH).href);
    expect(() => slim.neon("postgresql://u:p@localhost/db")).toThrow(
      /left out of the Worker's build/,
    );
  });

  it("refuses a version whose text it does not recognise", () => {
    expect(() => slimNeon(original.replace("var ve=T(", "var ve2=T("), "9.9.9")).toThrow(
      /events polyfill.*found 9\.9\.9/,
    );
    expect(() => slimNeon(`${original}var Wn=T(`, "9.9.9")).toThrow(/Buffer polyfill/);
    expect(() => slimNeon(original, version)).not.toThrow();
  });
});
