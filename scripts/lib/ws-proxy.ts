import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type * as WsTypes from "ws";

// `import "ws"` resolves to its browser build inside vitest's globalSetup (LOCAL_RUNTIME.md #4).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof WsTypes;

const TERMINATE = 0x58; // 'X': the frontend's Terminate message

/**
 * Follows the frontend side of the Postgres wire protocol just enough to notice Terminate.
 * The Neon driver never closes its WebSocket after Terminate; real servers close the TCP side,
 * pglite-socket does not, so the proxy closes both sides itself (LOCAL_RUNTIME.md pitfall 1).
 */
export function createTerminateDetector(): (chunk: Buffer) => boolean {
  let pending = Buffer.alloc(0);
  let startupDone = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (!startupDone) {
        if (pending.length < 8) return false;
        const length = pending.readInt32BE(0);
        const code = pending.readInt32BE(4);
        if (pending.length < length) return false;
        pending = pending.subarray(length);
        // SSLRequest / GSSENCRequest are followed by another startup packet.
        if (code !== 80877103 && code !== 80877104) startupDone = true;
        continue;
      }
      if (pending.length < 5) return false;
      const type = pending[0];
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return false;
      if (type === TERMINATE) return true;
      pending = pending.subarray(1 + length);
    }
  };
}

export interface WsProxy {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * A WebSocket-to-TCP relay in the shape the Neon driver expects of `neonConfig.wsProxy`:
 * `ws://host:port/?address=<db host>:<db port>`. Only loopback database addresses are relayed.
 */
export async function startWsProxy(
  options: { port?: number; targetPort?: number } = {},
): Promise<WsProxy> {
  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    const port = options.targetPort ?? Number(portText);
    if (!["localhost", "127.0.0.1", "::1"].includes(host ?? "") || !Number.isInteger(port)) {
      ws.close(1008, "only loopback databases are relayed");
      return;
    }
    const tcp = connect({ host: "127.0.0.1", port });
    const sawTerminate = createTerminateDetector();
    const closeBoth = () => {
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    ws.on("message", (data: Buffer) => {
      tcp.write(data);
      if (sawTerminate(data)) tcp.end(() => closeBoth());
    });
    tcp.on("data", (data) => {
      if (ws.readyState === ws.OPEN) ws.send(data);
    });
    tcp.on("error", closeBoth);
    tcp.on("close", closeBoth);
    ws.on("close", () => tcp.destroy());
    ws.on("error", closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
