import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { TestProject } from "vitest/node";
import { type Stack, startStack } from "../../scripts/lib/stack";
import { STACK_LOG_DIR } from "../log-scan/reporter";
import { assertChromiumInstalled } from "./chromium";

const STACK_LOG = `${STACK_LOG_DIR}browser-stack.log`;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** A bearer token per demo account, for tests that arrange data through the API. */
    tokens: Record<string, string>;
    /**
     * The database, for the one arrangement no route allows: moving an event into the past, so
     * that its outcome can be recorded without the test waiting for real time to pass.
     */
    databaseUrl: string;
  }
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the whole local stack once for the browser tests: PGlite in memory with the demo data
 * (demo logins included), and the Worker in workerd through `wrangler dev`.
 */
export default async function setup(project: TestProject) {
  assertChromiumInstalled();
  mkdirSync(STACK_LOG_DIR, { recursive: true });
  writeFileSync(STACK_LOG, "");
  let stack: Stack | undefined = await startStack({
    port: await freePort(),
    database: "pglite",
    quiet: true,
    tokenLabel: "browser tests",
    // Every test signs in from this one machine; the limit itself is tested in the Worker suite.
    vars: { LOGIN_RATE_LIMIT_PER_CLIENT: "1000" },
    // The Worker's logs go to a file the log scan reads at the end of the run.
    workerLogs: true,
    onOutput: (text) => appendFileSync(STACK_LOG, text),
  });
  project.provide("baseUrl", stack.url);
  project.provide("tokens", stack.tokens);
  project.provide("databaseUrl", stack.databaseUrl);
  return async () => {
    await stack?.stop();
    stack = undefined;
  };
}
