/**
 * A local imitation of Neon's SQL-over-HTTP endpoint, enough for `neon(url).query(text, params)`:
 * POST /sql with `{ query, params }` and the `Neon-Connection-String` header, answered with the
 * fields and the rows as text arrays (the driver parses the values by type itself). It runs the
 * query on a node-postgres pool per connection string, as Neon's proxy keeps connections warm.
 * For bench/http-mode.ts only: it measures this imitation, not Neon.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

export interface NeonHttpEmulator {
  /** What neonConfig.fetchEndpoint should be. */
  url: string;
  /** Queries answered so far. */
  queries(): number;
  close(): Promise<void>;
}

/** Keeps every value as the server's text, as Neon's endpoint sends it with Raw-Text-Output. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export async function startNeonHttpEmulator(poolSize = 20): Promise<NeonHttpEmulator> {
  const pools = new Map<string, pg.Pool>();
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const connectionString = String(req.headers["neon-connection-string"] ?? "");
      let pool = pools.get(connectionString);
      if (!pool) {
        pool = new pg.Pool({ connectionString, max: poolSize });
        pool.on("error", () => {});
        pools.set(connectionString, pool);
      }
      try {
        const { query, params } = JSON.parse(Buffer.concat(chunks).toString()) as {
          query: string;
          params: unknown[];
        };
        const result = await pool.query({
          text: query,
          values: params,
          rowMode: "array",
          types: RAW_TEXT,
        });
        answered++;
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            command: result.command,
            rowCount: result.rowCount,
            rows: result.rows,
            fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
            rowAsArray: true,
          }),
        );
      } catch (error) {
        const { message, code } = error as { message: string; code?: string };
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ message, code }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    queries: () => answered,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const pool of pools.values()) await pool.end();
    },
  };
}
