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

/**
 * Makes sure `.dev.vars` holds a DATA_KEY: generated once, then kept, because the local
 * database's encrypted mobile numbers can only be read with the key they were written with.
 */
export function ensureDataKey(path: string): string {
  const vars = readDevVars(path);
  if (vars.DATA_KEY) return vars.DATA_KEY;
  const key = randomBytes(32).toString("base64");
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const header = existing
    ? ""
    : "# Local secrets for `npm run dev` (git-ignored). Never commit this file.\n";
  writeFileSync(path, `${existing}${header}DATA_KEY=${key}\n`, { mode: 0o600 });
  return key;
}
