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
import { seedRegions } from "../seed/regions";
import { type LocalDatabase, type ScriptDatabase, startPglite, startPostgres } from "./database";
import { type PgCluster, startPgCluster } from "./pg-cluster";

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
  /** Receives wrangler's output (the Worker's logs included), lines naming secrets left out. */
  onOutput?: (text: string) => void;
  /** Have wrangler pass on the Worker's console.log too, even when quiet (to onOutput). */
  workerLogs?: boolean;
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
  /** Resolves with wrangler's exit code when it stops on its own (not through stop()). */
  exited: Promise<number | null>;
  /** Stops wrangler, then the database, then the PostgreSQL cluster. */
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
  if (count === 0) log(`Loading the Liaoning region tree… (${await seedRegions(db)} regions)`);
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
  database: LocalDatabase,
  secrets: Secrets,
  quiet: boolean,
  extra: {
    vars?: Record<string, string>;
    onOutput?: (text: string) => void;
    workerLogs?: boolean;
    publicOrigin?: string;
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
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
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
  const cleanup: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    const cluster =
      options.database === "postgres"
        ? await startPgCluster({ settings: options.postgresSettings })
        : undefined;
    if (cluster) cleanup.push(() => cluster.stop());
    options.signal?.throwIfAborted();
    const database = cluster
      ? await startPostgres(cluster.url)
      : await startPglite({ dataDir: options.dataDir });
    cleanup.push(() => database.close());
    const summary = await seed(database, options, secrets.DATA_KEY, log);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`Database ready in ${seconds} s: ${JSON.stringify(summary)}`);
    const { tokens, accountNames } = await mintDemoTokens(
      database.db,
      options.tokenLabel ?? "stack",
    );
    options.signal?.throwIfAborted();

    const { wrangler, output } = spawnWrangler(options.port, database, secrets, !!options.quiet, {
      vars: options.vars,
      onOutput: options.onOutput,
      workerLogs: options.workerLogs,
      publicOrigin: options.publicOrigin,
    });
    let stopping = false;
    cleanup.push(() => {
      stopping = true;
      return stopProcess(wrangler);
    });
    const exited = new Promise<number | null>((resolve) => {
      wrangler.once("exit", (code) => {
        if (!stopping) resolve(code);
      });
    });
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
      cluster,
      exited,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
