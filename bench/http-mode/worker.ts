/**
 * bench/http-mode.ts's Worker: the same one-statement read through the Neon driver's Pool over
 * WebSocket (one connection, as src/db/client.ts opens per request) and through neon() over HTTP.
 * Not part of the app.
 */
import { neon, neonConfig, Pool } from "@neondatabase/serverless";

interface Env {
  DATABASE_URL: string;
  LOCAL_DB_PROXY: string;
  HTTP_ENDPOINT: string;
}

const READ = "select code, name from regions where parent_code = $1 order by code";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    const proxy = env.LOCAL_DB_PROXY.replace(/^wss?:\/\//, "");
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
    neonConfig.fetchEndpoint = env.HTTP_ENDPOINT;
    if (pathname === "/pool") {
      const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
      pool.on("error", () => {});
      try {
        const { rows } = await pool.query(READ, ["210000"]);
        return Response.json({ rows: rows.length });
      } finally {
        ctx.waitUntil(pool.end().catch(() => {}));
      }
    }
    if (pathname === "/http") {
      const rows = await neon(env.DATABASE_URL).query(READ, ["210000"]);
      return Response.json({ rows: rows.length });
    }
    return new Response("no database");
  },
};
