import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Reads `.dev.vars` (KEY=value lines) into an object. */
export function readDevVars(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = match[2] ?? "";
  }
  return vars;
}

/** Returns a `.dev.vars` value, generating and appending it on first use, then keeping it. */
function ensureDevVar(path: string, name: string, generate: () => string): string {
  const current = readDevVars(path)[name];
  if (current) return current;
  const value = generate();
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const header = existing
    ? ""
    : "# Local secrets for `npm run dev` (git-ignored). Never commit this file.\n";
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  writeFileSync(path, `${existing}${separator}${header}${name}=${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * Makes sure `.dev.vars` holds a DATA_KEY: generated once, then kept, because the local
 * database's encrypted mobile numbers can only be read with the key they were written with.
 */
export function ensureDataKey(path: string): string {
  return ensureDevVar(path, "DATA_KEY", () => randomBytes(32).toString("base64"));
}

/** Makes sure `.dev.vars` holds a SESSION_SECRET, so staff sessions survive a restart. */
export function ensureSessionSecret(path: string): string {
  return ensureDevVar(path, "SESSION_SECRET", () => randomBytes(32).toString("base64url"));
}
