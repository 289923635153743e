/**
 * wrangler's `[build]` step (dev and deploy), run before it bundles the Worker: lays out the
 * static assets (scripts/docs-assets.ts) and writes the Worker's trimmed copy of the Neon driver
 * (scripts/neon-slim.ts). The test config does the same.
 */
import { prepareDocsAssets } from "./docs-assets";
import { prepareNeonSlim } from "./neon-slim";

prepareDocsAssets();
prepareNeonSlim();
