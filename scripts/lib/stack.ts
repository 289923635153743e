/**
 * The whole app on this machine: a database (PGlite, or a throwaway PostgreSQL cluster) migrated
 * and seeded with the demo data, tokens for the demo accounts, and the Worker in workerd through
 * `wrangler dev`. Used by `npm run dev` and the benchmarks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { mintToken } from "../../src/auth/tokens";
import { accounts, regions } from "../../src/db/schema";
import { importPersonalDataKeys } from "../../src/lib/personal-data";
import { demoAccountIds, seedDemo } from "../seed/demo";
import { freePort, type LocalDatabase, type ScriptDatabase, startPglite } from "./database";
import { discardHalfBuilt, markComplete } from "./dev-data-dir";
import { startLocalPostgres } from "./local-postgres";
import type { PgCluster } from "./pg-cluster";
import type { PgBouncer, PgBouncerOptions } from "./pgbouncer";
import type { RelayStats } from "./ws-proxy";

const root = fileURLToPath(new URL("../..", import.meta.url));

export type DemoAccount = keyof typeof demoAccountIds;

export interface StackOptions {
  port: number;
  database: "pglite" | "postgres";
  /** PGlite's data directory; undefined keeps it in memory. Ignored for PostgreSQL. */
  dataDir?: string;
  /** DATA_KEY for the Worker and the seed; a fresh random key when not given. */
  dataKey?: string;
  /** SESSION_SECRET for the Worker; a fresh random one when not given. */
  sessionSecret?: string;
  /** Label of the minted tokens. */
  tokenLabel?: string;
  /** No progress messages and no wrangler output (the end of it goes into start-up errors). */
  quiet?: boolean;
  /** Aborting during start-up stops what has been started and rejects. */
  signal?: AbortSignal;
  /** How long to wait for /healthz (default 60 s; Infinity waits for a build error to be fixed). */
  readyTimeoutMs?: number;
  /**
   * More Worker variables (e.g. SIGNUP_RATE_LIMIT_PER_CLIENT for a burst from one machine). The
   * database, secrets and ENVIRONMENT are the stack's own and cannot be overridden here.
   */
  vars?: Record<string, string>;
  /** Where the Worker's absolute links point (PUBLIC_ORIGIN); default: the loopback address. */
  publicOrigin?: string;
  /** PostgreSQL server settings for the throwaway cluster (see PgClusterOptions). */
  postgresSettings?: Record<string, string>;
  /** PgBouncer in front of the cluster (default: on, with its defaults); false for none. */
  pgbouncer?: PgBouncerOptions | false;
  /** Receives wrangler's output (the Worker's logs included), lines naming secrets left out. */
  onOutput?: (text: string) => void;
  /** Have wrangler pass on the Worker's console.log too, even when quiet (to onOutput). */
  workerLogs?: boolean;
  /**
   * wrangler dev's local observability (the traces and logs of every request, kept in SQLite for
   * its local explorer), which `[observability]` in wrangler.toml turns on. Default: on for
   * `npm run dev`, off for quiet stacks (benchmarks, tests), which never read it: it costs workerd
   * about 1 ms of CPU per sign-up that production's Worker does not spend.
   */
  localObservability?: boolean;
}

export interface Stack {
  /** The Worker's address (loopback). */
  url: string;
  /** A bearer token (valid 7 days) per demo account. */
  tokens: Record<DemoAccount, string>;
  /** The demo accounts' display names. */
  accountNames: Record<DemoAccount, string>;
  databaseUrl: string;
  /** A Node-side client of the same database. */
  db: ScriptDatabase;
  /** The PostgreSQL cluster (database "postgres"), to stop and start its server in place. */
  cluster?: PgCluster;
  /** PgBouncer in front of the cluster, when there is one. */
  pgbouncer?: PgBouncer;
  /** The PostgreSQL server itself, bypassing PgBouncer (pg_stat views, checks). */
  directUrl?: string;
  /** The relay's counts: the Worker's database sessions and round trips so far. */
  relayStats(): RelayStats;
  /** Resolves with wrangler's exit code when it stops on its own (not through stop()). */
  exited: Promise<number | null>;
  /** Stops wrangler, then the relay, then PgBouncer, then the PostgreSQL cluster. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 2_000;

type Log = (message: string) => void;
type Secrets = { DATA_KEY: string; SESSION_SECRET: string };

/** wrangler dev exited before the Worker answered. */
export class WranglerExit extends Error {
  constructor(readonly code: number | null) {
    super(`wrangler dev stopped (exit ${code}).`);
  }
}

async function seed(database: LocalDatabase, options: StackOptions, dataKey: string, log: Log) {
  const { db } = database;
  const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(regions)) as [
    { count: number },
  ];
  // A part-loaded tree only happens to a first start cut short (see dev-data-dir.ts).
  if (count === 0)
    log(`Loading the Liaoning region tree… (${await database.seedRegions()} regions)`);
  const databaseUrl = options.database === "postgres" ? database.databaseUrl : undefined;
  return seedDemo(db, await importPersonalDataKeys(dataKey), { databaseUrl });
}

async function mintDemoTokens(db: ScriptDatabase, label: string) {
  const tokens = {} as Record<DemoAccount, string>;
  const accountNames = {} as Record<DemoAccount, string>;
  for (const [key, accountId] of Object.entries(demoAccountIds) as [DemoAccount, string][]) {
    const [account] = await db
      .select({ name: accounts.name })
      .from(accounts)
      .where(eq(accounts.id, accountId));
    const { token } = await mintToken(db, accountId, {
      label,
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    });
    tokens[key] = token;
    accountNames[key] = account?.name ?? accountId;
  }
  return { tokens, accountNames };
}

function spawnWrangler(
  port: number,
  database: Pick<LocalDatabase, "databaseUrl" | "proxyUrl">,
  secrets: Secrets,
  quiet: boolean,
  extra: {
    vars?: Record<string, string>;
    onOutput?: (text: string) => void;
    workerLogs?: boolean;
    publicOrigin?: string;
    localObservability?: boolean;
  } = {},
) {
  const wranglerBin = createRequire(import.meta.url)
    .resolve("wrangler/package.json")
    .replace(/package\.json$/, "bin/wrangler.js");
  const vars = {
    ...extra.vars,
    DATABASE_URL: database.databaseUrl,
    LOCAL_DB_PROXY: database.proxyUrl,
    // Given explicitly so that .dev.vars (read by wrangler dev) cannot override them.
    ...secrets,
    ENVIRONMENT: "development",
    PUBLIC_ORIGIN: extra.publicOrigin ?? `http://127.0.0.1:${port}`,
  };
  const args = ["dev", "--port", String(port), "--ip", "127.0.0.1"];
  args.push("--show-interactive-dev-session=false");
  // Quiet runs (benchmarks) also skip wrangler's per-request log lines.
  if (quiet) args.push("--log-level", extra.workerLogs ? "log" : "error");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  // Spawned with this same Node (24, from the node devDependency): wrangler refuses Node 20.
  const wrangler = spawn(process.execPath, [wranglerBin, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", quiet || extra.onOutput ? "pipe" : "inherit"],
    env: {
      ...process.env,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      X_LOCAL_OBSERVABILITY: String(extra.localObservability ?? !quiet),
    },
  });
  // The end of wrangler's output, for the error message when it does not start.
  let output = "";
  const keep = (text: string) => {
    output = (output + text).slice(-4000);
  };
  wrangler.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    keep(text);
    extra.onOutput?.(text);
    if (!quiet && extra.onOutput) process.stderr.write(text);
  });
  wrangler.stdout?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    // Wrangler prints the bindings, secrets included; keep the output to what people need.
    if (/DATABASE_URL|DATA_KEY|SESSION_SECRET/.test(text)) return;
    keep(text);
    extra.onOutput?.(text);
    if (!quiet && /error|warn|\[wrangler/i.test(text)) process.stdout.write(text);
  });
  return { wrangler, output: () => output };
}

/** Resolves when /healthz answers 200; rejects if wrangler exits, on abort, or on timeout. */
async function waitUntilReady(
  url: string,
  exited: Promise<number | null>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  let exit: { code: number | null } | undefined;
  void exited.then((code) => {
    exit = { code };
  });
  const deadline = Date.now() + timeoutMs;
  while (!exit && !signal?.aborted && Date.now() < deadline) {
    // wrangler dev holds requests while the Worker does not build: give up on each after a while.
    const probe = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const ok = await fetch(`${url}/healthz`, {
      signal: signal ? AbortSignal.any([signal, probe]) : probe,
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal?.throwIfAborted();
  if (exit) throw new WranglerExit(exit.code);
  throw new Error(`${url}/healthz did not answer within ${timeoutMs / 1000} s`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts database, seed data, tokens and `wrangler dev`, and waits until the Worker answers. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const started = Date.now();
  const log: Log = options.quiet ? () => {} : (message) => console.log(message);
  const secrets: Secrets = {
    DATA_KEY: options.dataKey ?? randomBytes(32).toString("base64"),
    SESSION_SECRET: options.sessionSecret ?? randomBytes(32).toString("base64url"),
  };
  let stopWrangler: (() => Promise<void>) | undefined;
  let database: LocalDatabase | undefined;
  // Workers first, then the relay, PgBouncer and the cluster (LOCAL_RUNTIME.md).
  const stopAll = async () => {
    await stopWrangler?.();
    stopWrangler = undefined;
    await database?.close();
    database = undefined;
  };
  try {
    // PGlite's addresses are chosen first, so that wrangler builds and starts the Worker while
    // the database is created and seeded (a first start's two slowest steps, side by side).
    const pgliteAddresses =
      options.database === "pglite"
        ? { socketPort: await freePort(), proxyPort: await freePort() }
        : undefined;
    const startWorker = (address: Pick<LocalDatabase, "databaseUrl" | "proxyUrl">) => {
      const { wrangler, output } = spawnWrangler(options.port, address, secrets, !!options.quiet, {
        vars: options.vars,
        onOutput: options.onOutput,
        workerLogs: options.workerLogs,
        publicOrigin: options.publicOrigin,
        localObservability: options.localObservability,
      });
      let stopping = false;
      stopWrangler = () => {
        stopping = true;
        return stopProcess(wrangler);
      };
      const exited = new Promise<number | null>((resolve) => {
        wrangler.once("exit", (code) => {
          if (!stopping) resolve(code);
        });
      });
      return { output, exited };
    };
    let worker = pgliteAddresses
      ? startWorker({
          databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pgliteAddresses.socketPort}/postgres`,
          proxyUrl: `ws://127.0.0.1:${pgliteAddresses.proxyPort}/`,
        })
      : undefined;

    if (options.dataDir && options.database === "pglite")
      await discardHalfBuilt(options.dataDir, log);
    options.signal?.throwIfAborted();
    const postgres =
      options.database === "postgres"
        ? await startLocalPostgres({
            settings: options.postgresSettings,
            pgbouncer: options.pgbouncer,
          })
        : undefined;
    database = postgres ?? (await startPglite({ dataDir: options.dataDir, ...pgliteAddresses }));
    options.signal?.throwIfAborted();
    const summary = await seed(database, options, secrets.DATA_KEY, log);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`Database ready in ${seconds} s: ${JSON.stringify(summary)}`);
    const { tokens, accountNames } = await mintDemoTokens(
      database.db,
      options.tokenLabel ?? "stack",
    );
    if (options.dataDir && options.database === "pglite") markComplete(options.dataDir);
    options.signal?.throwIfAborted();

    worker ??= startWorker(database);
    const { output, exited } = worker;
    const url = `http://127.0.0.1:${options.port}`;
    const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    await waitUntilReady(url, exited, timeoutMs, options.signal).catch((error: Error) => {
      if (options.quiet && output()) error.message += `\n${output().trim()}`;
      throw error;
    });
    return {
      url,
      tokens,
      accountNames,
      databaseUrl: database.databaseUrl,
      db: database.db,
      cluster: postgres?.cluster,
      pgbouncer: postgres?.pgbouncer,
      directUrl: postgres?.directUrl,
      relayStats: database.relayStats,
      exited,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
