/**
 * Writes the Worker's copy of `@neondatabase/serverless` (wrangler.toml `[alias]`, the git-ignored
 * `.build/`). The package is one prebundled file that carries browser polyfills of Node's
 * `buffer`, `events` and `crypto`, the HTTP mode (`neon()`, SQL over fetch), pgpass and
 * node-postgres' pg-native client: 66 KB, 21.5 KiB of the Worker's gzip. Under `nodejs_compat`
 * the Worker has the three Node modules (and the driver already preferred the runtime's
 * `Buffer`); the app's one driver is the Pool over WebSocket (README, "the driver's HTTP mode");
 * a Worker has no ~/.pgpass and no libpq. This cuts them out and imports `node:buffer`,
 * `node:events` and `node:crypto` in their place; the rest is the package's file, byte for byte.
 *
 * The cuts are made on exact text of the pinned version (package.json pins it): each must be
 * found exactly once, or this throws, naming the version to re-check after an upgrade. Run by
 * wrangler's `[build]` (scripts/build.ts) and by the test config: the Worker tests run this copy
 * (test/worker/neon-slim.test.ts), and test/faults/driver-auth.test.ts signs in with it to real
 * PostgreSQL with SCRAM-SHA-256 and MD5 passwords.
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
  'import{Buffer as __nodeBuffer}from"node:buffer";import * as __nodeCrypto from"node:crypto";import __nodeEvents from"node:events";\n';

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
  {
    // SHA-256, MD5 and HMAC in JavaScript behind a `crypto` stand-in (createHash, createHmac,
    // randomBytes), for node-postgres' MD5 and SCRAM password exchanges: now node:crypto's,
    // which node-postgres was written for.
    what: "the crypto polyfill",
    from: "function Xe(r){let e=1779033703",
    to: "var tt=T((vh,hr)=>{",
    by: "var lr=__nodeCrypto,fr=()=>{};",
  },
  {
    // pgpass, which looks for a password in ~/.pgpass when the connection string has none: in the
    // package it asks a stand-in filesystem that has no files, so it always finds none, as now.
    what: "pgpass",
    from: "var _s=T((Kh,Cs)=>{",
    to: "var Bs={};",
    by: "var Ls=T((rd,Cr)=>{Cr.exports=(r,e)=>e(void 0)});",
  },
  {
    // The stand-ins for `path`, `stream` and `string_decoder` that only pgpass used.
    what: "pgpass's path stand-in",
    from: "var yr={};se(yr,{join:",
    to: "var gr={};",
    by: "",
  },
  {
    what: "pgpass's stream and string_decoder stand-ins",
    from: "var br={};se(br,{default:",
    to: "var Ls=T(",
    by: "",
  },
  {
    // node-postgres' client for libpq (pg-native, which the package does not include either),
    // reached only through `pg.native` or NODE_PG_FORCE_NATIVE.
    what: "the pg-native client",
    from: "var yo=T((Yd,Pl)=>{",
    to: "var Mn=T(",
    by: 'var So=T((tp,vo)=>{vo.exports=function(){throw new Error("pg-native is not in the Worker\'s build")}});',
  },
  {
    // Hex encoding for the HTTP mode's bytea parameters.
    what: "the HTTP mode's hex helpers",
    from: "h();h();h();var da=Object.defineProperty",
    to: "h();h();var Zt=class Zt{",
    by: "",
  },
  {
    // Connection-string handling for the HTTP mode (`neon()`).
    what: "the HTTP mode's connection parameters",
    from: "function di(r,e){",
    to: "Ge();h();var vt=",
    by: "",
  },
  {
    // `neon()`, SQL over HTTP (fetch): the app's one driver is the Pool over WebSocket (README,
    // "the driver's HTTP mode"). The Pool would call it only with `poolQueryViaFetch` set.
    what: "the HTTP mode",
    from: "var ds=we(_t()),ps=we(rt());",
    to: "h();h();var Co=",
    by: 'function ys(){throw new Error("neon() over HTTP is left out of the Worker\'s build (scripts/neon-slim.ts)")}',
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
