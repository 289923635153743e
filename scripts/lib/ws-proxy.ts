import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { type AddressInfo, connect } from "node:net";
import type * as WsTypes from "ws";
import { createBackendParser, createFrontendParser, SYNC_POINTS } from "./pg-wire";

// `import "ws"` resolves to its browser build inside vitest's globalSetup (LOCAL_RUNTIME.md #4).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof WsTypes;

/**
 * True once the client has sent Terminate ('X'). The Neon driver never closes its WebSocket
 * after Terminate; real servers close the TCP side, pglite-socket does not, so the relay closes
 * both sides itself (LOCAL_RUNTIME.md pitfall 1).
 */
export function createTerminateDetector(): (chunk: Buffer) => boolean {
  const parse = createFrontendParser();
  return (chunk) => parse(chunk).some((message) => message.type === "X");
}

/**
 * One Postgres session shared by every connection (pglite-socket) must not interleave two
 * connections' transactions: a statement from B would run inside A's transaction, and B's error
 * would abort A's. The lock gives the session to one connection from its first message until the
 * server answers its last sync point with ReadyForQuery "idle" — a transaction holds it to the
 * end, exactly as a real server's isolation would make the others wait.
 */
export class SessionLock {
  private holder: symbol | undefined;
  private readonly waiting: { id: symbol; grant: () => void }[] = [];

  acquire(id: symbol): Promise<void> {
    if (this.holder === undefined || this.holder === id) {
      this.holder = id;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ id, grant }));
  }

  release(id: symbol): void {
    const queued = this.waiting.findIndex((w) => w.id === id);
    if (queued >= 0) this.waiting.splice(queued, 1);
    if (this.holder !== id) return;
    const next = this.waiting.shift();
    this.holder = next?.id;
    next?.grant();
  }

  holds(id: symbol): boolean {
    return this.holder === id;
  }
}

/** What the relay has carried so far: the Worker's database sessions and its round trips. */
export interface RelayCounts {
  /** WebSocket connections relayed: one per database session the Worker opened. */
  connections: number;
  /** Client messages the server answers with ReadyForQuery (a simple Query, a Sync). */
  roundTrips: number;
}

/**
 * Totals, and the same per path of the relay's URL: a client that dials `ws://relay/<tag>` is
 * counted under `/<tag>` too, so a test can count one request's sessions while others run.
 */
export interface RelayStats extends RelayCounts {
  byPath: Record<string, RelayCounts>;
}

export interface WsProxy {
  url: string;
  /** `GET` it for {@link RelayStats} as JSON (from Node, a test, or a Worker test). */
  statsUrl: string;
  server: Server;
  stats(): RelayStats;
  close(): Promise<void>;
}

/** Relays one WebSocket to one TCP connection, serialising through `lock` when one is given. */
function relay(
  ws: WsTypes.WebSocket,
  port: number,
  lock: SessionLock | undefined,
  counts: RelayCounts[],
): void {
  for (const count of counts) count.connections++;
  const id = Symbol("connection");
  const tcp = connect({ host: "127.0.0.1", port });
  const frontend = createFrontendParser();
  const backend = createBackendParser();
  const outbox: Buffer[] = [];
  let awaitingReady = 0;
  let lastStatus = "I";
  let requested = false;
  let closed = false;

  const closeBoth = () => {
    if (closed) return;
    closed = true;
    lock?.release(id);
    tcp.destroy();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
  };
  const forward = (chunk: Buffer) => {
    let terminate = false;
    for (const message of frontend(chunk)) {
      if (SYNC_POINTS.has(message.type)) awaitingReady++;
      if (message.type === "Q" || message.type === "S")
        for (const count of counts) count.roundTrips++;
      if (message.type === "negotiate") backend.expectNegotiationByte();
      if (message.type === "X") terminate = true;
    }
    tcp.write(chunk);
    if (terminate) tcp.end(closeBoth);
  };
  const flush = () => {
    while (outbox.length > 0 && (!lock || lock.holds(id))) forward(outbox.shift() as Buffer);
  };
  const maybeRelease = () => {
    if (lock && awaitingReady === 0 && lastStatus === "I" && outbox.length === 0) {
      requested = false;
      lock.release(id);
    }
  };

  ws.on("message", (data: Buffer) => {
    outbox.push(data);
    if (!lock || lock.holds(id)) return flush();
    if (requested) return;
    requested = true;
    void lock.acquire(id).then(() => (closed ? lock.release(id) : flush()));
  });
  tcp.on("data", (data) => {
    for (const message of backend.parse(data)) {
      if (message.type === "Z") {
        awaitingReady = Math.max(0, awaitingReady - 1);
        lastStatus = message.status ?? "I";
      }
    }
    if (ws.readyState === ws.OPEN) ws.send(data);
    maybeRelease();
  });
  tcp.on("error", closeBoth);
  tcp.on("close", closeBoth);
  ws.on("close", closeBoth);
  ws.on("error", closeBoth);
}

/**
 * A WebSocket-to-TCP relay in the shape the Neon driver expects of `neonConfig.wsProxy`:
 * `ws://host:port/?address=<db host>:<db port>`. Only loopback database addresses are relayed.
 * `serialize` puts every connection through one {@link SessionLock} (for pglite-socket).
 */
export async function startWsProxy(
  options: { port?: number; targetPort?: number; serialize?: boolean } = {},
): Promise<WsProxy> {
  const lock = options.serialize ? new SessionLock() : undefined;
  const stats: RelayStats = { connections: 0, roundTrips: 0, byPath: {} };
  const server = createServer((req, res) => {
    if (req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
      return;
    }
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    const port = options.targetPort ?? Number(portText);
    if (!["localhost", "127.0.0.1", "::1"].includes(host ?? "") || !Number.isInteger(port)) {
      ws.close(1008, "only loopback databases are relayed");
      return;
    }
    const counts: RelayCounts[] = [stats];
    if (url.pathname !== "/") {
      stats.byPath[url.pathname] ??= { connections: 0, roundTrips: 0 };
      counts.push(stats.byPath[url.pathname] as RelayCounts);
    }
    relay(ws, port, lock, counts);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    statsUrl: `http://127.0.0.1:${port}/stats`,
    server,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
