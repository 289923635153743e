import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { prepareDocsAssets } from "./scripts/docs-assets";
import { NEON_SLIM_PATH, prepareNeonSlim } from "./scripts/neon-slim";
import ContractReporter from "./test/contract/reporter";
import LogScanReporter from "./test/log-scan/reporter";

// A fixed, test-only key for personal data (32 zero-to-31 bytes); never used outside tests.
const TEST_DATA_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64");

const TEST_SESSION_SECRET = "test-only-session-secret-0123456789abcdef";

/**
 * Every test and hook may take this long: a guard against a hang, never a speed limit. Tests run
 * beside other work on 2-core machines (27 minutes for the suite on a busy one), so no test may
 * fail because the machine is slow; a test that measures speed belongs in bench/.
 */
const HANG_GUARD_MS = 10 * 60_000;
const hangGuard = { testTimeout: HANG_GUARD_MS, hookTimeout: HANG_GUARD_MS };

// wrangler.toml's [assets] directory (Swagger UI for /docs): wrangler's own [build] lays it out
// for dev and deploy; the test runtime reads the same configuration without running [build].
prepareDocsAssets();
// Likewise the Worker's copy of the Neon driver (wrangler.toml `[alias]`), which the Worker tests
// run in place of the package (the test runtime does not apply wrangler's aliases).
prepareNeonSlim();

export default defineConfig({
  test: {
    // The log scan runs first at the end, so a leak shows in the summary and fails the run.
    reporters: [
      new LogScanReporter([TEST_DATA_KEY, TEST_SESSION_SECRET]),
      new ContractReporter(),
      "default",
    ],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          ...hangGuard,
        },
      },
      {
        resolve: { alias: { "@neondatabase/serverless": NEON_SLIM_PATH } },
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                DATABASE_URL: inject<string>("databaseUrl"),
                LOCAL_DB_PROXY: inject<string>("proxyUrl"),
                DATA_KEY: TEST_DATA_KEY,
                SESSION_SECRET: TEST_SESSION_SECRET,
                ENVIRONMENT: "test",
                PUBLIC_ORIGIN: "http://shuangyi.test",
                TEST_DATABASE_KIND: inject<string>("databaseKind"),
                TEST_RELAY_STATS_URL: inject<string>("relayStatsUrl"),
                // The concurrency tests send hundreds of sign-ups from one client to one event;
                // test/worker/rate-limit.test.ts removes these to test the real limits.
                SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000",
                SIGNUP_RATE_LIMIT_PER_EVENT: "1000000",
                SIGNUP_RATE_LIMIT_PER_MOBILE: "1000000",
                FIND_RATE_LIMIT_PER_CLIENT: "1000000",
                // Likewise the access-control and fuzz tests send thousands of calls per token.
                API_RATE_LIMIT_PER_TOKEN: "1000000",
                LOGIN_RATE_LIMIT_PER_CLIENT: "1000000",
                // PGlite has one session, so the relay queues every connection's queries: on a
                // busy machine a burst's last query waits longer than the 10 s default allows.
                // The limit itself is tested in statement-timeout.test.ts.
                QUERY_TIMEOUT_MS: "300000",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/worker/global-setup.ts"],
          // Every answer the tests receive is checked against /openapi.json.
          setupFiles: ["test/worker/contract-setup.ts"],
          // One workerd for all the files, not one each: every test makes its own data, and a
          // file's module state (rate-limit counters, the key cache) is keyed by its own ids.
          isolate: false,
          ...hangGuard,
        },
      },
      {
        // Real headless Chromium (Debian's `chromium`) against the whole local stack.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/browser/global-setup.ts"],
          ...hangGuard,
        },
      },
      // Fault injection on real PostgreSQL (kills the server mid-burst): only with
      // TEST_DATABASE=postgres (`npm run test:postgres`), never in `npm test`.
      ...(process.env.TEST_DATABASE === "postgres"
        ? [
            {
              test: {
                name: "faults",
                include: ["test/faults/**/*.test.ts"],
                // Each file starts a whole stack and loads it: one at a time.
                fileParallelism: false,
                environment: "node",
                ...hangGuard,
                // A group of its own, so that no other project's tests run beside the burst (on
                // 2 cores they would slow each other down). The Worker suite runs in vitest's
                // sequential group anyway, after this one.
                sequence: { groupOrder: 1 },
              },
            },
          ]
        : []),
    ],
  },
});
