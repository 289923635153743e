/**
 * The Worker's copy of the Neon driver (scripts/neon-slim.ts) signs in with passwords through
 * node:crypto in place of the package's own SHA-256, MD5 and HMAC: here against real PostgreSQL
 * with SCRAM-SHA-256 (what Neon asks for) and MD5, through the local WebSocket relay, in Node.
 * test/worker/neon-slim.test.ts checks that workerd's node:crypto answers as Node's does.
 *
 * Runs only with TEST_DATABASE=postgres (`npm run test:postgres`): it needs Debian's PostgreSQL.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type PgCluster, startPgCluster } from "../../scripts/lib/pg-cluster";
import { startWsProxy, type WsProxy } from "../../scripts/lib/ws-proxy";
import { NEON_SLIM_PATH, prepareNeonSlim } from "../../scripts/neon-slim";

type Neon = typeof import("@neondatabase/serverless");

describe("the Worker's copy of the Neon driver signs in with a password", () => {
  let cluster: PgCluster;
  let relay: WsProxy;
  let neon: Neon;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    await admin.query("CREATE ROLE scram_user LOGIN PASSWORD 'scram-secret'");
    await admin.query("SET password_encryption = 'md5'");
    await admin.query("CREATE ROLE md5_user LOGIN PASSWORD 'md5-secret'");
    const { rows } = await admin.query<{ hba_file: string }>("SHOW hba_file");
    writeFileSync(
      rows[0]?.hba_file ?? "",
      [
        "host all scram_user 127.0.0.1/32 scram-sha-256",
        "host all md5_user 127.0.0.1/32 md5",
        "host all all 127.0.0.1/32 trust",
        "local all all trust",
        "",
      ].join("\n"),
    );
    await admin.query("SELECT pg_reload_conf()");
    await admin.end();
    relay = await startWsProxy();
    prepareNeonSlim();
    neon = (await import(pathToFileURL(NEON_SLIM_PATH).href)) as Neon;
    const proxy = relay.url.replace(/^wss?:\/\//, "");
    neon.neonConfig.webSocketConstructor = WebSocket as unknown as typeof globalThis.WebSocket;
    neon.neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neon.neonConfig.useSecureWebSocket = false;
    neon.neonConfig.pipelineTLS = false;
    neon.neonConfig.pipelineConnect = false;
  });

  afterAll(async () => {
    await relay?.close();
    cluster?.stop();
  });

  const signIn = async (user: string, password: string) => {
    const client = new neon.Client(
      `postgresql://${user}:${password}@127.0.0.1:${cluster.port}/postgres`,
    );
    await client.connect();
    try {
      const { rows } = await client.query<{ who: string }>("SELECT current_user AS who");
      return rows[0]?.who;
    } finally {
      await client.end();
    }
  };

  it("with SCRAM-SHA-256, and not with a wrong password", async () => {
    expect(await signIn("scram_user", "scram-secret")).toBe("scram_user");
    await expect(signIn("scram_user", "wrong")).rejects.toThrow(/password authentication failed/);
  });

  it("fails, without hanging, when the server asks for a password the URL does not hold", async () => {
    // node-postgres then looks in ~/.pgpass: the Worker's copy has none to look in.
    const client = new neon.Client(`postgresql://md5_user@127.0.0.1:${cluster.port}/postgres`);
    await expect(client.connect()).rejects.toThrow(/password/);
  });

  it("with MD5, and not with a wrong password", async () => {
    expect(await signIn("md5_user", "md5-secret")).toBe("md5_user");
    await expect(signIn("md5_user", "wrong")).rejects.toThrow(/password authentication failed/);
  });
});
