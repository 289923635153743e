/**
 * Writes the Worker's copy of `@neondatabase/serverless` (wrangler.toml `[alias]`, the git-ignored
 * `.build/`): the package is one prebundled file that carries its own browser polyfills of
 * Node's `buffer` and `events` (37 KB, 11 KiB of the Worker's gzip). Under `nodejs_compat` the
 * Worker has both modules, and the driver already prefers the runtime's `Buffer` when there is
 * one, so its copy is dead code there. This cuts the two polyfills out and imports `node:buffer`
 * and `node:events` in their place; the rest of the file is the package's, byte for byte.
 *
 * The cuts are made on exact text of the pinned version (package.json pins it): each must be
 * found exactly once, or this throws, naming the version to re-check after an upgrade. Run by
 * wrangler's `[build]` (scripts/build.ts) and by the test config, whose Worker tests run this
 * copy (test/worker/neon-slim.test.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Where the Worker's copy is written (wrangler.toml and vitest.config.ts alias it). */
export const NEON_SLIM_PATH = join(root, ".build/neon-serverless.mjs");

/** The version whose text the cuts below were written against. */
export const NEON_VERSION = "1.2.0";

/** The Node modules that replace the polyfills (imported under names the file does not use). */
const IMPORTS =
  'import{Buffer as __nodeBuffer}from"node:buffer";import __nodeEvents from"node:events";\n';

interface Cut {
  what: string;
  /** Text from `from` (inclusive) up to `to` (exclusive) is replaced by `by`. */
  from: string;
  to: string;
  by: string;
}

const CUTS: Cut[] = [
  {
    // base64-js, ieee754 and feross/buffer, up to the shim module that picks the Buffer.
    what: "the Buffer polyfill",
    from: "var Wn=T(",
    to: "var b,x,v,p,y,h=V(",
    by: "",
  },
  {
    // `p=globalThis.Buffer if it is a function, else the polyfill's`: now node:buffer's.
    what: "the Buffer fallback",
    from: "oi().Buffer",
    to: ",y=globalThis.process",
    by: "__nodeBuffer",
  },
  {
    // The `events` package as a CommonJS module: now node:events' EventEmitter (its default
    // export, with `.EventEmitter`, `.once` and the rest on it, as the package exports).
    what: "the events polyfill",
    from: "var ve=T((Ef,Xt)=>{",
    to: "var Ii={};",
    by: "var ve=T((Ef,Xt)=>{Xt.exports=__nodeEvents});",
  },
];

/** The package's file with the cuts made; throws when its text is not what the cuts expect. */
export function slimNeon(source: string, version: string): string {
  let text = source;
  for (const cut of CUTS) {
    const start = text.indexOf(cut.from);
    const end = start < 0 ? -1 : text.indexOf(cut.to, start + cut.from.length);
    if (start < 0 || end < 0 || text.indexOf(cut.from, start + 1) >= 0) {
      throw new Error(
        `scripts/neon-slim.ts: ${cut.what} is not where it was in @neondatabase/serverless ${NEON_VERSION} (found ${version}); re-check the cuts against the new version`,
      );
    }
    text = text.slice(0, start) + cut.by + text.slice(end);
  }
  for (const gone of ["oi()", "Wn()", "jn()"]) {
    if (text.includes(gone)) throw new Error(`scripts/neon-slim.ts: ${gone} is still called`);
  }
  return IMPORTS + text;
}

/** Writes the Worker's copy unless it is already current. */
export function prepareNeonSlim(path = NEON_SLIM_PATH): void {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve("@neondatabase/serverless"));
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    version: string;
  };
  const text = slimNeon(readFileSync(join(dir, "index.mjs"), "utf8"), version);
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
