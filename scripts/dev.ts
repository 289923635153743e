/**
 * `npm run dev`: the whole app on this machine with nothing to install or sign up for.
 * Starts PGlite (data kept in .pglite/dev), migrates and seeds it, serves it through the same
 * WebSocket relay the tests use, and runs the Worker in workerd with `wrangler dev`.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureDataKey, ensureSessionSecret } from "./lib/dev-vars";
import { type DemoAccount, type Stack, startStack } from "./lib/stack";
import { DEMO_PASSWORD, demoLogins } from "./seed/demo";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

const shutdown = new AbortController();
process.on("SIGINT", () => shutdown.abort());
process.on("SIGTERM", () => shutdown.abort());

mkdirSync(`${root}.pglite`, { recursive: true });
let stack: Stack;
try {
  stack = await startStack({
    port,
    database: "pglite",
    dataDir: `${root}.pglite/dev`,
    dataKey: ensureDataKey(`${root}.dev.vars`),
    sessionSecret: ensureSessionSecret(`${root}.dev.vars`),
    tokenLabel: "npm run dev",
    // The address printed below: links in pages and messages point there.
    publicOrigin: `http://localhost:${port}`,
    signal: shutdown.signal,
    // A Worker that does not build waits here until it is fixed (wrangler watches src/).
    readyTimeoutMs: Number.POSITIVE_INFINITY,
  });
} catch (error) {
  if (shutdown.signal.aborted) process.exit(0);
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const url = `http://localhost:${port}`;
const tokens = (Object.entries(stack.tokens) as [DemoAccount, string][]).map(
  ([label, token]) => [`${label} (${stack.accountNames[label]})`, token] as const,
);
console.log(`
双翼 Shuangyi is running at ${url}  (ready in ${seconds()} s)
  Staff pages: ${url}/staff  (sign in as ${demoLogins.duofuCoordinator}, coordinator of 多福社区; password ${DEMO_PASSWORD})
  API docs:    ${url}/docs
  Health:      ${url}/healthz

Development tokens (valid 7 days, this database only):
${tokens.map(([who, token]) => `  ${who}\n    ${token}`).join("\n")}

  curl -H "Authorization: Bearer ${tokens[0]?.[1] ?? "<token>"}" "${url}/api/v1/regions?parent=210000"

The Cron job (messages, reminders, limits) runs here every minute; deployed, every 15 minutes.
Press Ctrl-C to stop. Data is kept in .pglite/dev (delete it to start afresh).
`);

// wrangler dev does not fire Cron triggers by itself: fire the scheduled handler every minute,
// so messages reach /dev/messages and reminders go out as they would deployed.
const cron = setInterval(() => {
  fetch(`http://127.0.0.1:${port}/cdn-cgi/local/scheduled`).catch(() => {});
}, 60_000);

const stoppedByUser = new Promise<number>((resolve) => {
  if (shutdown.signal.aborted) resolve(0);
  shutdown.signal.addEventListener("abort", () => resolve(0), { once: true });
});
const code = await Promise.race([
  stoppedByUser,
  stack.exited.then((exitCode) => {
    console.error(`wrangler dev stopped (exit ${exitCode}).`);
    return exitCode ?? 1;
  }),
]);
clearInterval(cron);
await stack.stop();
process.exit(code);
