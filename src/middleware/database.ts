import { createMiddleware } from "hono/factory";
import { createDatabase } from "../db/client";
import type { AppEnv } from "../env";
import { importPersonalDataKeys, type PersonalDataKeys } from "../lib/personal-data";

let keysCache: { dataKey: string; keys: Promise<PersonalDataKeys> } | undefined;

function personalDataKeys(dataKey: string): Promise<PersonalDataKeys> {
  if (keysCache?.dataKey !== dataKey)
    keysCache = { dataKey, keys: importPersonalDataKeys(dataKey) };
  return keysCache.keys;
}

/** Opens a database client for this request (`c.var.db`) and ends it once the response is sent. */
export const withDatabase = createMiddleware<AppEnv>(async (c, next) => {
  const handle = createDatabase(c.var.config);
  c.set("db", handle.db);
  c.set("personalDataKeys", await personalDataKeys(c.var.config.dataKey));
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(handle.close().catch(() => {}));
  }
});
