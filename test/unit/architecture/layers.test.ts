import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../../src", import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const all = filesUnder(src).map((path) => ({
  path: relative(src, path),
  text: readFileSync(path, "utf8"),
}));

/** Files that speak HTTP or render pages: they call services and queries, never SQL. */
const callers = all.filter(
  (file) => file.path.startsWith("web/") || /(^|\/)routes\.tsx?$/.test(file.path),
);

const importsOf = (text: string) =>
  [...text.matchAll(/^import[^;]*?from\s+"([^"]+)";/gms)].map((match) => match[1] ?? "");

describe("the layers", () => {
  it("finds the route files and pages it checks", () => {
    expect(callers.length).toBeGreaterThan(30);
    expect(callers.some((file) => file.path === "events/routes.ts")).toBe(true);
    expect(callers.some((file) => file.path === "web/needs/routes.tsx")).toBe(true);
  });

  it("keeps drizzle-orm and the schema out of route files and pages", () => {
    const offenders = callers.flatMap((file) =>
      importsOf(file.text)
        .filter(
          (from) =>
            from === "drizzle-orm" || from.startsWith("drizzle-orm/") || /db\/schema/.test(from),
        )
        .map((from) => `${file.path} imports ${from}`),
    );
    expect(offenders).toEqual([]);
  });

  it("has no service or query function that takes a Hono Context, and no context casts", () => {
    const layers = all.filter((file) =>
      /(^|\/)(service|queries|booking|checkin|retention|calendar-feeds|accounts|sessions|records)\.ts$/.test(
        file.path,
      ),
    );
    expect(layers.length).toBeGreaterThan(15);
    const offenders = [
      ...layers
        .filter((file) => /from "hono"/.test(file.text))
        .map((file) => `${file.path} imports hono`),
      ...all
        .filter((file) => /as unknown as (Context|AppEnv)|appContext\(/.test(file.text))
        .map((file) => `${file.path} casts a context`),
    ];
    expect(offenders).toEqual([]);
  });

  it("decides reach in one place: only auth/scope.ts reads a scope's kind or codes", () => {
    // Suppression reads the caller's level to decide what is withheld, not what it may reach.
    const exempt = new Set([
      "auth/scope.ts",
      "auth/principal.ts",
      "auth/tokens.ts",
      "tallies/suppression.ts",
    ]);
    const offenders = all
      .filter((file) => !exempt.has(file.path))
      .filter((file) =>
        /scope\.(kind|regionCode|communityId|socialWorkerId|prefix)\b/.test(file.text),
      )
      .map((file) => file.path);
    expect(offenders).toEqual([]);
  });
});
