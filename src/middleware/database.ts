import { createMiddleware } from "hono/factory";
import { createDatabase } from "../db/client";
import type { AppEnv, Variables } from "../env";

/** Any request's context (the API's or the pages'): only its variables are used. */
export type RequestContext = { var: Pick<Variables, "afterResponse"> };

import { importPersonalDataKeys, type PersonalDataKeys } from "../lib/personal-data";
import { redact } from "../lib/redact";

let keysCache: { dataKey: string; keys: Promise<PersonalDataKeys> } | undefined;

function personalDataKeys(dataKey: string): Promise<PersonalDataKeys> {
  if (keysCache?.dataKey !== dataKey)
    keysCache = { dataKey, keys: importPersonalDataKeys(dataKey) };
  return keysCache.keys;
}

/**
 * Runs `work` after the handler has answered (its transaction committed), on the request's own
 * database client, through `executionCtx.waitUntil`: the response does not wait for it, and the
 * client closes only once it is done. A failure is logged (redacted), never shown to anyone.
 */
export function afterResponse(c: RequestContext, work: () => Promise<void>): void {
  const queue = c.var.afterResponse;
  if (!queue) throw new Error("afterResponse: the route has no database middleware");
  queue.push(work);
}

async function runQueued(queue: (() => Promise<void>)[], requestId: string): Promise<void> {
  for (const work of queue) {
    await work().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`[${requestId}] after-response work failed: ${redact(reason)}`);
    });
  }
}

/**
 * Opens a database client for this request (`c.var.db`); once the response is sent, runs the
 * work queued with {@link afterResponse} and ends the client.
 */
export const withDatabase = createMiddleware<AppEnv>(async (c, next) => {
  const handle = createDatabase(c.var.config);
  const queue: (() => Promise<void>)[] = [];
  c.set("db", handle.db);
  c.set("afterResponse", queue);
  c.set("personalDataKeys", await personalDataKeys(c.var.config.dataKey));
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(
      runQueued(queue, c.var.requestId).finally(() => handle.close().catch(() => {})),
    );
  }
});
