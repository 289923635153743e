import type { Bindings } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_DATABASE_KIND: string;
      /** The local relay's counts as JSON (scripts/lib/ws-proxy.ts RelayStats). */
      TEST_RELAY_STATS_URL: string;
    }
  }
}
