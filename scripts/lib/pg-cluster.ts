import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./database";

/** How `pg_ctl stop` shuts the server down (`immediate`: like a crash, recovery at the next start). */
export type PgShutdownMode = "smart" | "fast" | "immediate";

/** A throwaway PostgreSQL cluster (Debian's server package), for tests that need real concurrency. */
export interface PgCluster {
  url: string;
  port: number;
  /** Stops the server (if running) and deletes the cluster. */
  stop(): void;
  /**
   * Stops the server but keeps the cluster, for fault-injection tests. The default `immediate`
   * kills it without a checkpoint, dropping every connection, as a crash would.
   */
  stopServer(mode?: PgShutdownMode): Promise<void>;
  /** Starts the server again on the same data directory and port; resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Whether the server is running (as far as this handle started and stopped it). */
  readonly running: boolean;
}

export interface PgClusterOptions {
  /**
   * Server settings (`-c name=value`) over the defaults below. The defaults give up durability
   * for speed: `fsync=off` only matters if the machine crashes, but `synchronous_commit=off`
   * acknowledges a commit before its WAL leaves the server's memory, so a killed server (see
   * `stopServer`) can lose commits it acknowledged. Fault tests set `synchronous_commit: "on"`.
   */
  settings?: Record<string, string>;
}

const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: "127.0.0.1",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "300",
};

function binDir(): string {
  for (const version of ["18", "17", "16", "15", "14"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "No PostgreSQL server found under /usr/lib/postgresql. Install it with: apt-get install -y postgresql",
  );
}

/** The command line for a server binary: as the `postgres` user when we are root (it refuses root). */
function commandFor(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ["runuser", ["-u", "postgres", "--", bin, ...args]]
    : [bin, args];
}

/** Runs a server binary (as the `postgres` user when we are root). */
function run(bin: string, args: string[]): void {
  const [command, argv] = commandFor(bin, args);
  execFileSync(command, argv, { stdio: ["ignore", "ignore", "pipe"] });
}

const execFileAsync = promisify(execFile);

/** Like {@link run}, without blocking the event loop (requests in flight keep being answered). */
async function runAsync(bin: string, args: string[]): Promise<void> {
  const [command, argv] = commandFor(bin, args);
  await execFileAsync(command, argv);
}

/**
 * Creates a cluster in a temp directory with trust auth on 127.0.0.1 and no fsync (data is
 * disposable), starts it on a free port, and returns its URL. `stop()` shuts it down and deletes it.
 */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "shuangyi-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  run(join(bin, "initdb"), [
    "-D",
    data,
    "--auth=trust",
    "--no-sync",
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C",
  ]);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const serverOptions = [`-p ${port}`, `-k ${dir}`]
    .concat(Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`))
    .join(" ");
  const pgCtl = join(bin, "pg_ctl");
  const startArgs = ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", serverOptions, "start"];
  const stopArgs = (mode: PgShutdownMode) => ["-D", data, "-m", mode, "-w", "stop"];
  run(pgCtl, startArgs);
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    get running() {
      return running;
    },
    stop() {
      try {
        if (running) run(pgCtl, stopArgs("immediate"));
        running = false;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async stopServer(mode = "immediate") {
      await runAsync(pgCtl, stopArgs(mode));
      running = false;
    },
    async startServer() {
      await runAsync(pgCtl, startArgs);
      running = true;
    },
  };
}
