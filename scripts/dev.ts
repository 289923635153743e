/**
 * `npm run dev`: the whole app on this machine with nothing to install or sign up for.
 * Starts PGlite (data kept in .pglite/dev), migrates and seeds it, serves it through the same
 * WebSocket relay the tests use, and runs the Worker in workerd with `wrangler dev`.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { mintToken } from "../src/auth/tokens";
import { accounts, regions } from "../src/db/schema";
import { importPersonalDataKeys } from "../src/lib/personal-data";
import { startPglite } from "./lib/database";
import { ensureDataKey } from "./lib/dev-vars";
import { demoAccountIds, seedDemo } from "./seed/demo";
import { seedRegions } from "./seed/regions";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

mkdirSync(`${root}.pglite`, { recursive: true });
const dataKey = ensureDataKey(`${root}.dev.vars`);
const database = await startPglite({ dataDir: `${root}.pglite/dev` });
const db = database.db;

const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(regions)) as [
  { count: number },
];
if (count === 0)
  console.log(`Loading the Liaoning region tree… (${await seedRegions(db)} regions)`);
const summary = await seedDemo(db, await importPersonalDataKeys(dataKey), {});
console.log(`Database ready in ${seconds()} s: ${JSON.stringify(summary)}`);

const tokens: [string, string][] = [];
for (const [label, accountId] of Object.entries(demoAccountIds)) {
  const [account] = await db
    .select({ name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const { token } = await mintToken(db, accountId, {
    label: "npm run dev",
    expiresAt: new Date(Date.now() + 7 * 86_400_000),
  });
  tokens.push([`${label} (${account?.name ?? accountId})`, token]);
}

const wranglerBin = createRequire(import.meta.url)
  .resolve("wrangler/package.json")
  .replace(/package\.json$/, "bin/wrangler.js");
// Spawned with this same Node (24, from the node devDependency): wrangler refuses Node 20.
const wrangler = spawn(
  process.execPath,
  [
    wranglerBin,
    "dev",
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--show-interactive-dev-session=false",
    "--var",
    `DATABASE_URL:${database.databaseUrl}`,
    "--var",
    `LOCAL_DB_PROXY:${database.proxyUrl}`,
    "--var",
    "ENVIRONMENT:development",
  ],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  },
);
wrangler.stdout?.on("data", (chunk: Buffer) => {
  const text = chunk.toString();
  // Wrangler prints the bindings, DATABASE_URL included; keep the output to what people need.
  if (/error|warn|\[wrangler/i.test(text) && !/DATABASE_URL|DATA_KEY/.test(text))
    process.stdout.write(text);
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  wrangler.kill("SIGTERM");
  await database.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
wrangler.on("exit", (code) => {
  if (!stopping) {
    console.error(`wrangler dev stopped (exit ${code}).`);
    void stop(code ?? 1);
  }
});

const url = `http://localhost:${port}`;
for (let attempt = 0; attempt < 300 && !stopping; attempt++) {
  const ok = await fetch(`${url}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log(`
双翼 Shuangyi is running at ${url}  (ready in ${seconds()} s)
  API docs:   ${url}/docs
  Health:     ${url}/healthz

Development tokens (valid 7 days, this database only):
${tokens.map(([who, token]) => `  ${who}\n    ${token}`).join("\n")}

  curl -H "Authorization: Bearer ${tokens[0]?.[1] ?? "<token>"}" "${url}/api/v1/regions?parent=210000"

Press Ctrl-C to stop. Data is kept in .pglite/dev (delete it to start afresh).
`);
