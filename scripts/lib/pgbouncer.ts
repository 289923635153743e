import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./database";

/**
 * Debian's PgBouncer in transaction mode in front of the throwaway cluster: what production's
 * Neon pooled endpoint is, so that the local stack, the tests and the benchmarks pay for a
 * connection the way production does (a pooled server session, not a new backend per request).
 */
export interface PgBouncer {
  /** Connection string for clients (the Worker): same database and user, PgBouncer's port. */
  url: string;
  port: number;
  /** PgBouncer's admin console (`SHOW STATS`, `SHOW POOLS`), as the postgres user. */
  adminUrl: string;
  /** Stops PgBouncer (closing every client connection) and deletes its directory. */
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Server connections per database/user pair (default 20). */
  poolSize?: number;
  /** Seconds a transaction may wait for a server connection before its client gets an error (default 10). */
  queryWaitTimeout?: number;
}

const BIN = "/usr/sbin/pgbouncer";

/** Whether Debian's `pgbouncer` is installed (`apt-get install pgbouncer`). */
export function pgBouncerInstalled(): boolean {
  return existsSync(BIN);
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port, or rejects when `child` exits. */
async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (;;) {
    if (exited) {
      const text = existsSync(log) ? readFileSync(log, "utf8").slice(-1500) : "";
      throw new Error(`pgbouncer exited during start-up:\n${text}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts PgBouncer (transaction pooling, trust auth, loopback only, on a free port) in front of
 * the PostgreSQL server at 127.0.0.1:`serverPort`. As root it runs as the `postgres` user (it
 * refuses root). Settings from LOCAL_RUNTIME.md: `server_login_retry = 1` so that it reconnects
 * within a second after the server comes back, `query_wait_timeout` so a saturated pool answers
 * with an error rather than never.
 */
export async function startPgBouncer(
  serverPort: number,
  options: PgBouncerOptions = {},
): Promise<PgBouncer> {
  if (!pgBouncerInstalled())
    throw new Error("PgBouncer not found. Install it with: apt-get install -y pgbouncer");
  const dir = mkdtempSync(join(tmpdir(), "shuangyi-pgbouncer-"));
  const port = await freePort();
  const log = join(dir, "pgbouncer.log");
  const config = join(dir, "pgbouncer.ini");
  writeFileSync(join(dir, "users.txt"), '"postgres" ""\n');
  writeFileSync(
    config,
    [
      "[databases]",
      `* = host=127.0.0.1 port=${serverPort}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 2000",
      `default_pool_size = ${options.poolSize ?? 20}`,
      "server_login_retry = 1",
      `query_wait_timeout = ${options.queryWaitTimeout ?? 10}`,
      // node-postgres sends it at start-up; PgBouncer refuses unknown parameters otherwise.
      "ignore_startup_parameters = extra_float_digits",
      "admin_users = postgres",
      `logfile = ${log}`,
      "",
    ].join("\n"),
  );
  const root = process.getuid?.() === 0;
  if (root) execFileSync("chown", ["-R", "postgres", dir]);
  chmodSync(dir, 0o700);
  const child = spawn(BIN, root ? ["-u", "postgres", config] : [config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof Error && stderr) error.message += `\n${stderr}`;
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/pgbouncer`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill("SIGKILL"), 2_000);
          child.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          // Immediate shutdown in 1.18 (later versions wait for clients: hence the SIGKILL above).
          child.kill("SIGTERM");
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
