import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./database";

/** A throwaway PostgreSQL cluster (Debian's server package), for tests that need real concurrency. */
export interface PgCluster {
  url: string;
  port: number;
  stop(): void;
}

function binDir(): string {
  for (const version of ["18", "17", "16", "15", "14"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "No PostgreSQL server found under /usr/lib/postgresql. Install it with: apt-get install -y postgresql",
  );
}

/** Runs a server binary as the `postgres` user when we are root (the server refuses to run as root). */
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", bin, ...args]]
    : [bin, args];
  execFileSync(command, argv, { stdio: ["ignore", "ignore", "pipe"] });
}

/**
 * Creates a cluster in a temp directory with trust auth on 127.0.0.1 and no fsync (data is
 * disposable), starts it on a free port, and returns its URL. `stop()` shuts it down and deletes it.
 */
export async function startPgCluster(): Promise<PgCluster> {
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
  run(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
