/**
 * Lays out the Worker's static assets (wrangler.toml `[assets]`, the git-ignored `.docs-assets/`):
 * Swagger UI for `/docs` from the npm package `swagger-ui-dist`, so the API browser needs no public
 * CDN. Swagger UI is ~480 KB gzip, twice the Worker's whole bundle budget; as static assets it is
 * served by the platform and never enters the Worker's bundle. Also the OpenAPI document that
 * `npm run client` generated (client/openapi.json), which the Worker answers /openapi.json with
 * (src/lib/openapi-runtime.ts) instead of bundling the generator. Run by wrangler's `[build]` (dev
 * and deploy), the test config and the local stack; it copies only what changed.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OPENAPI_ASSET_PATH } from "../src/lib/openapi-runtime";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Where the files are served from: `/docs/assets/<file>`. */
export const DOCS_ASSETS_PATH = "/docs/assets";

/** What Swagger UI needs, from swagger-ui-dist, with its licence. */
const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"];

/** Starts Swagger UI on the app's own document (a file, so the page's CSP allows no inline script). */
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
`;

/** The site's icon (every page links it): 翼 on the header's red, served as a static file. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#8b1a1a"/><text x="16" y="24" font-size="22" text-anchor="middle" fill="#fff" font-family="sans-serif">翼</text></svg>
`;

/** Headers for the files themselves (the platform serves them without running the Worker). */
const HEADERS = `${DOCS_ASSETS_PATH}/*
  Cache-Control: public, max-age=3600
  X-Content-Type-Options: nosniff
  Content-Security-Policy: default-src 'none'; frame-ancestors 'none'
/favicon.svg
  Cache-Control: public, max-age=86400
  X-Content-Type-Options: nosniff
`;

/**
 * The OpenAPI document as the Worker serves it: client/openapi.json (kept current by
 * `npm run lint`) without the indentation, byte for byte what the generator answers.
 */
function openApiAsset(): string {
  return JSON.stringify(JSON.parse(readFileSync(join(root, "client/openapi.json"), "utf8")));
}

/**
 * Writes the site icon and the OpenAPI document into `<dir>`, and copies Swagger UI into
 * `<dir>/docs/assets/` unless that version is already there.
 */
export function prepareDocsAssets(dir = join(root, ".docs-assets")): void {
  const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as {
    version: string;
  };
  const target = join(dir, DOCS_ASSETS_PATH);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "favicon.svg"), FAVICON);
  mkdirSync(join(dir, dirname(OPENAPI_ASSET_PATH)), { recursive: true });
  const document = join(dir, OPENAPI_ASSET_PATH);
  const documentText = openApiAsset();
  if (!existsSync(document) || readFileSync(document, "utf8") !== documentText)
    writeFileSync(document, documentText);
  const stamp = join(target, "VERSION");
  const stampText = `swagger-ui-dist ${version}\n${INIT}${HEADERS}`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === stampText) return;
  mkdirSync(target, { recursive: true });
  for (const file of FILES) copyFileSync(join(source, file), join(target, file));
  writeFileSync(join(target, "init.js"), INIT);
  writeFileSync(join(dir, "_headers"), HEADERS);
  writeFileSync(stamp, stampText);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) prepareDocsAssets();
