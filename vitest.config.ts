import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import LogScanReporter from "./test/log-scan/reporter";

// A fixed, test-only key for personal data (32 zero-to-31 bytes); never used outside tests.
const TEST_DATA_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64");

const TEST_SESSION_SECRET = "test-only-session-secret-0123456789abcdef";

export default defineConfig({
  test: {
    // The log scan runs first at the end, so a leak shows in the summary and fails the run.
    reporters: [new LogScanReporter([TEST_DATA_KEY, TEST_SESSION_SECRET]), "default"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
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
                // The concurrency tests send hundreds of sign-ups from one client to one event;
                // test/worker/rate-limit.test.ts removes these to test the real limits.
                SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000",
                SIGNUP_RATE_LIMIT_PER_EVENT: "1000000",
                SIGNUP_RATE_LIMIT_PER_MOBILE: "1000000",
                FIND_RATE_LIMIT_PER_CLIENT: "1000000",
                // Likewise the access-control and fuzz tests send thousands of calls per token.
                API_RATE_LIMIT_PER_TOKEN: "1000000",
                LOGIN_RATE_LIMIT_PER_CLIENT: "1000000",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/worker/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real headless Chromium (Debian's `chromium`) against the whole local stack.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
                environment: "node",
                testTimeout: 90_000,
                hookTimeout: 120_000,
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
