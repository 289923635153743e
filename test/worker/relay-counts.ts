import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";

const app = createApp();

/** What the relay carried for one request: database sessions and round trips (Query or Sync). */
export interface Counts {
  connections: number;
  roundTrips: number;
}

/**
 * Sends one request to the app with the relay address tagged for it alone, waits until the
 * response is sent and the request's background work (its immediate messages, closing the pool)
 * is done, and returns the database sessions and round trips the relay carried for it.
 */
export async function countFor(
  path: string,
  init: RequestInit = {},
): Promise<Counts & { status: number; response: Response; body: string }> {
  const tag = `/count-${crypto.randomUUID()}`;
  const bindings = {
    ...env,
    LOCAL_DB_PROXY: `${(env.LOCAL_DB_PROXY ?? "").replace(/\/$/, "")}${tag}`,
  };
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://shuangyi.test${path}`, init), bindings, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  const stats = (await (await fetch(env.TEST_RELAY_STATS_URL)).json()) as {
    byPath: Record<string, Counts>;
  };
  const counts = stats.byPath[tag] ?? { connections: 0, roundTrips: 0 };
  return { status: response.status, response, body, ...counts };
}
