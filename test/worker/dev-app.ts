import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { devMessages } from "../../src/notifications/dev-outbox";
import { ORIGIN } from "./web-helpers";

/** The Worker's bindings as `npm run dev` sets them (the local sender, /dev/messages). */
export const developmentEnv = { ...env, ENVIRONMENT: "development" };

/**
 * Sends a request to the app in this test's own isolate, waiting for its after-response work
 * (the messages it delivers), so what the local sender recorded is visible to the test.
 */
export async function fetchApp(
  path: string,
  init: { method?: string; form?: [string, string][]; bindings?: object; now?: Date } = {},
): Promise<Response> {
  const headers = new Headers();
  if (init.form) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Origin", ORIGIN);
  }
  if (init.now) headers.set("X-Test-Now", init.now.toISOString());
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`${ORIGIN}${path}`, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: "manual",
    }),
    init.bindings ?? developmentEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** The messages the local sender delivered to a number (by its mask), newest first. */
export function messagesTo(mobile: string) {
  const masked = `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
  return devMessages().filter((message) => message.toMasked === masked);
}
