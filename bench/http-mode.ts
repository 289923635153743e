/**
 * `npx tsx bench/http-mode.ts [--seconds 8] [--connections 20]`: should one-statement reads use the
 * Neon driver's HTTP mode (`neon()`) instead of the Pool over WebSocket? One Worker
 * (bench/http-mode/worker.ts) reads the same 14 rows both ways, through PgBouncer on a throwaway
 * cluster: over WebSocket through the project's relay, over HTTP through a local imitation of
 * Neon's SQL-over-HTTP endpoint (bench/lib/neon-http-emulator.ts). Both hops are one local Node
 * process, so the comparison is fair here; what it cannot show is the network between a Worker and
 * Neon (a WebSocket connection's extra handshakes). Prints figures, never fails on time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort } from "../scripts/lib/database";
import { type LocalPostgres, startLocalPostgres } from "../scripts/lib/local-postgres";
import { type LoadResult, runLoadInThread } from "./lib/load";
import { type NeonHttpEmulator, startNeonHttpEmulator } from "./lib/neon-http-emulator";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    connections: { type: "string", default: "20" },
  },
});
const durationMs = Number(values.seconds) * 1000;
const connections = Number(values.connections);
const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

let database: LocalPostgres | undefined;
let emulator: NeonHttpEmulator | undefined;
let wrangler: ChildProcess | undefined;
let wranglerErrors = "";

async function startWorker(vars: Record<string, string>): Promise<string> {
  const port = await freePort();
  const bin = createRequire(import.meta.url)
    .resolve("wrangler/package.json")
    .replace(/package\.json$/, "bin/wrangler.js");
  const config = fileURLToPath(new URL("./http-mode/wrangler.toml", import.meta.url));
  const args = ["dev", "--config", config, "--port", String(port), "--ip", "127.0.0.1"];
  args.push("--show-interactive-dev-session=false", "--log-level", "error");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  wrangler = spawn(process.execPath, [bin, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  // Kept for a failed start only (esbuild's watcher complains loudly when wrangler is stopped).
  wrangler.stderr?.on("data", (chunk: Buffer) => {
    wranglerErrors = (wranglerErrors + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return url;
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${wranglerErrors}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

console.log(`load average before the run: ${loadText()} (1/5/15 min)`);
try {
  database = await startLocalPostgres();
  await database.seedRegions();
  emulator = await startNeonHttpEmulator();
  const url = await startWorker({
    DATABASE_URL: database.databaseUrl,
    LOCAL_DB_PROXY: database.proxyUrl,
    HTTP_ENDPOINT: emulator.url,
  });
  const routes = [
    { name: "no database", path: "/" },
    { name: "Pool over WebSocket (1 connection)", path: "/pool" },
    { name: "neon() over HTTP", path: "/http" },
  ];
  const rows: string[][] = [
    [
      "route",
      "conc",
      "requests",
      "errors",
      "req/s",
      "p50 ms",
      "p99 ms",
      "sessions/req",
      "HTTP/req",
    ],
  ];
  for (const concurrency of [1, connections]) {
    for (const route of routes) {
      await runLoadInThread({
        url: `${url}${route.path}`,
        connections: concurrency,
        durationMs: 1500,
      });
      const relayBefore = database.relayStats().connections;
      const httpBefore = emulator.queries();
      const result: LoadResult = await runLoadInThread({
        url: `${url}${route.path}`,
        connections: concurrency,
        durationMs,
      });
      const per = (n: number) => (n / Math.max(1, result.requests)).toFixed(2);
      rows.push([
        route.name,
        String(concurrency),
        String(result.requests),
        String(result.errors),
        result.rps.toFixed(0),
        result.p50.toFixed(1),
        result.p99.toFixed(1),
        per(database.relayStats().connections - relayBefore),
        per(emulator.queries() - httpBefore),
      ]);
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  for (const row of rows)
    console.log(
      row
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join("  "),
    );
  console.log(`\nload average after the run: ${loadText()}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (wrangler && wrangler.exitCode === null) {
    const exited = new Promise((resolve) => wrangler?.once("exit", resolve));
    wrangler.kill("SIGTERM");
    await exited;
  }
  await emulator?.close();
  await database?.close();
}
