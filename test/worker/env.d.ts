import type { Bindings } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_DATABASE_KIND: string;
      /** wrangler.toml [assets]: the static files (Swagger UI for /docs). */
      ASSETS: Fetcher;
      /** The local relay's counts as JSON (scripts/lib/ws-proxy.ts RelayStats). */
      TEST_RELAY_STATS_URL: string;
    }
  }
}
