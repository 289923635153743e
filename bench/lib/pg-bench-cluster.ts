/**
 * A throwaway PostgreSQL cluster for benchmarks: scripts/lib/pg-cluster.ts's startPgCluster with
 * extra server settings (`-c name=value` at start), so that a bulk load of millions of rows is
 * tuned for speed (the data is disposable) without changing the cluster the tests use.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/database";

export interface BenchCluster {
  url: string;
  port: number;
  /** The cluster's directory (data and server.log). */
  dir: string;
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
 * Creates a cluster in a temp directory (trust auth on 127.0.0.1, no fsync), starts it with
 * `settings` on top of pg-cluster.ts's own, and returns its URL. `stop()` shuts it down and
 * deletes it.
 */
export async function startBenchCluster(
  settings: Record<string, string | number> = {},
): Promise<BenchCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "shuangyi-bench-pg-"));
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
  const base: Record<string, string | number> = {
    listen_addresses: "127.0.0.1",
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: 300,
  };
  const options = Object.entries({ ...base, ...settings })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  try {
    run(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "120",
      "-o",
      `-p ${port} -k ${dir} ${options}`,
      "start",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
