/**
 * A small closed-loop load generator: `connections` workers each send a request, wait for the
 * whole response, and send the next, until the time is up or `maxRequests` have been sent.
 * Every latency is recorded (time to the end of the body). Loopback targets only.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** One request of a prepared list (serialisable: the load runs in a worker thread). */
export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Sends these, each once and in order, instead of GET `url` again and again. */
  requests?: LoadRequest[];
  /** Concurrent requests in flight (1–1000). */
  connections: number;
  /** How long to keep sending (at most 60 s). */
  durationMs: number;
  /** Stop after this many requests in all (default and cap: 1,000,000). */
  maxRequests?: number;
  /** A request not answered by then counts as an error (default 10 s). */
  requestTimeoutMs?: number;
}

/** Latencies in ms, over every response of any status; thrown requests count as errors only. */
export interface LoadResult {
  requests: number;
  /** Responses outside 2xx/3xx, and requests that threw (refused, reset, timed out). */
  errors: number;
  /** The first error seen, for diagnosis. */
  firstError?: string;
  rps: number;
  /** Responses per HTTP status, and `error` for requests that threw. */
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const MAX_DURATION_MS = 60_000;
const MAX_REQUESTS = 1_000_000;
const REQUEST_TIMEOUT_MS = 10_000;

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return `${error.name}: ${error.message}${detail ? ` (${detail})` : ""}`;
}

function checkOptions(options: LoadOptions): void {
  for (const { url } of [options, ...(options.requests ?? [])]) {
    const { hostname } = new URL(url);
    if (hostname !== "127.0.0.1") throw new Error(`load targets 127.0.0.1 only, not ${hostname}`);
  }
  if (!(options.connections >= 1 && options.connections <= 1000))
    throw new Error("connections must be between 1 and 1000");
  if (!(options.durationMs > 0 && options.durationMs <= MAX_DURATION_MS))
    throw new Error(`durationMs must be between 1 and ${MAX_DURATION_MS}`);
}

/** Runs the load in this thread. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  checkOptions(options);
  const maxRequests = Math.min(
    options.maxRequests ?? options.requests?.length ?? MAX_REQUESTS,
    MAX_REQUESTS,
  );
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const count = (status: string) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  let sent = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (reason: string) => {
    errors++;
    firstError ??= reason;
  };

  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      const request = options.requests?.[sent] ?? options;
      sent++;
      const begin = performance.now();
      try {
        const response = await fetch(request.url, {
          method: "method" in request ? request.method : "GET",
          headers: request.headers,
          body: "body" in request ? request.body : undefined,
          redirect: "manual",
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - begin);
        count(String(response.status));
        if (response.status >= 400) fail(`HTTP ${response.status}`);
      } catch (error) {
        count("error");
        fail(describe(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsedSeconds = (performance.now() - started) / 1000;

  const sorted = Float64Array.from(latencies).sort();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    requests: sent,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    rps: Math.round((sent / elapsedSeconds) * 10) / 10,
    statuses,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/**
 * Runs the load in a worker thread, so that the client does not share an event loop with
 * whatever else this process serves (PGlite and the database relay, in the benchmarks).
 */
export function runLoadInThread(options: LoadOptions): Promise<LoadResult> {
  checkOptions(options);
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL(import.meta.url), { workerData: { load: options } });
    thread.once("message", resolve);
    thread.once("error", reject);
    thread.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load thread exited with code ${code}`));
    });
  });
}

if (!isMainThread && workerData?.load) {
  parentPort?.postMessage(await runLoad(workerData.load as LoadOptions));
}
