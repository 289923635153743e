/**
 * Writes the API's OpenAPI document (client/openapi.json) and the typed client's types
 * (client/schema.d.ts, by openapi-typescript) from the app itself, with no server and no database:
 * `npm run client`. `npm run client -- --check` fails if either is out of date (run by lint).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/app";

const root = fileURLToPath(new URL("..", import.meta.url));
const check = process.argv.includes("--check");

/** Bindings good enough to pass validation; /openapi.json touches no database. */
const bindings = {
  DATABASE_URL: "postgres://openapi@127.0.0.1:1/none",
  DATA_KEY: Buffer.alloc(32).toString("base64"),
  SESSION_SECRET: "openapi-generation-only-0123456789abcdef",
  ENVIRONMENT: "production",
  PUBLIC_ORIGIN: "https://shuangyi.example.org",
};

async function documentText(): Promise<string> {
  const context = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const response = await createApp().request("/openapi.json", {}, bindings, context as never);
  if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
  return `${JSON.stringify(await response.json(), null, 2)}\n`;
}

function typesFor(documentPath: string): string {
  const bin = join(root, "node_modules/openapi-typescript/bin/cli.js");
  const out = join(mkdtempSync(join(tmpdir(), "shuangyi-client-")), "schema.d.ts");
  execFileSync(process.execPath, [bin, documentPath, "--output", out], { stdio: "pipe" });
  return readFileSync(out, "utf8");
}

const docPath = join(root, "client/openapi.json");
const typesPath = join(root, "client/schema.d.ts");
const doc = await documentText();
if (check) {
  const scratch = join(mkdtempSync(join(tmpdir(), "shuangyi-doc-")), "openapi.json");
  writeFileSync(scratch, doc);
  const stale = [
    readFileSync(docPath, "utf8") !== doc ? "client/openapi.json" : "",
    readFileSync(typesPath, "utf8") !== typesFor(scratch) ? "client/schema.d.ts" : "",
  ].filter(Boolean);
  if (stale.length > 0) {
    console.error(`out of date: ${stale.join(", ")} — run \`npm run client\` and commit them`);
    process.exit(1);
  }
  console.log("client/openapi.json and client/schema.d.ts are up to date");
} else {
  writeFileSync(docPath, doc);
  writeFileSync(typesPath, typesFor(docPath));
  console.log("wrote client/openapi.json and client/schema.d.ts");
}
