/**
 * `npx tsx bench/profile-signups.ts [--attempts 1000] [--connections 10] [--out file.cpuprofile]`:
 * a CPU profile of the Worker (workerd's inspector, through wrangler dev's inspector proxy) while
 * it serves sign-ups on PostgreSQL behind PgBouncer, as bench/signups.ts runs them; prints self
 * time by function and by file. A diagnosis tool: it prints figures and never fails on time.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { freePort } from "../scripts/lib/database";
import { type Stack, startStack } from "../scripts/lib/stack";
import { coresBetween, sampleCpu } from "./lib/cpu";
import { runLoadInThread } from "./lib/load";
import { makeSignupEvents, signUpRequests } from "./lib/signup-fixtures";

const { values } = parseArgs({
  options: {
    attempts: { type: "string", default: "1000" },
    connections: { type: "string", default: "10" },
    out: { type: "string" },
    top: { type: "string", default: "40" },
  },
});
const attempts = Number(values.attempts);
const connections = Number(values.connections);
const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The descendants of a process (wrangler's Node and its workerd processes). */
function descendants(pid: number): Set<number> {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const pairs = out
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of pairs)
      if (child && parent && found.has(parent) && !found.has(child)) {
        found.add(child);
        grew = true;
      }
  }
  return found;
}

/** Inspector targets served by wrangler (its inspector proxy) or its workerd processes. */
function inspectorTargets(
  rootPid: number,
): { port: number; targets: { webSocketDebuggerUrl?: string; title?: string; id?: string }[] }[] {
  const pids = descendants(rootPid);
  const out = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  const found = [];
  for (const line of out.split("\n")) {
    const pid = Number(/pid=(\d+),/.exec(line)?.[1]);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
    if (!pid || !port || !pids.has(pid)) continue;
    try {
      const body = execFileSync("curl", ["-s", "-m", "2", `http://127.0.0.1:${port}/json`], {
        encoding: "utf8",
      });
      if (body.includes("webSocketDebuggerUrl")) found.push({ port, targets: JSON.parse(body) });
    } catch {}
  }
  return found;
}

function connect(url: string) {
  const ws = new WebSocket(url, { origin: "https://devtools.devprod.cloudflare.dev" });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id && pending.has(message.id)) {
      if (message.error) console.error(message.error);
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    opened,
    send<T>(method: string, params: object = {}): Promise<T> {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => {
        pending.set(id, resolve as (r: unknown) => void);
        setTimeout(() => reject(new Error(`${url} ${method}: no answer`)), 10_000).unref();
      });
    },
    close: () => ws.close(),
  };
}

function aggregate(profile: Profile, top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file =
      url.replace(/^.*\/node_modules\//, "nm/").replace(/^.*\/src\//, "src/") || "(native)";
    const fn = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      );
  };
  show("self time by function", byFunction);
  show("self time by file", byFile);
  return total;
}

let stack: Stack | undefined;
try {
  console.log(`load average before: ${loadText()}`);
  stack = await startStack({
    port: await freePort(),
    database: "postgres",
    quiet: true,
    tokenLabel: "bench/profile",
    vars: {
      API_RATE_LIMIT_PER_TOKEN: "1000000000",
      SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000000",
      SIGNUP_RATE_LIMIT_PER_EVENT: "1000000000",
    },
  });
  const ids = await makeSignupEvents(stack.db, 100, 400, 15);
  const url = stack.url;
  const requests = (count: number, first: number) => signUpRequests(url, ids, count, first);
  await runLoadInThread({
    url: stack.url,
    requests: requests(50, 900_000),
    connections: 10,
    durationMs: 60_000,
  });

  // Every worker in the stack's workerd (the app, miniflare's entry worker, its rate limiter,
  // the observability collector…), each profiled through workerd's own inspector.
  console.log("finding the inspector…");
  // The app's own worker only through wrangler's inspector proxy (it holds workerd's session).
  const found = inspectorTargets(process.pid);
  const direct = found.find((t) => t.targets.length > 1);
  const proxied = found.find((t) => t.targets.length === 1)?.targets[0];
  if (!direct || !proxied) throw new Error("no workerd inspector found");
  for (const target of direct.targets)
    if (target.id === "core:user:shuangyi")
      target.webSocketDebuggerUrl = proxied.webSocketDebuggerUrl;
  const wanted = (
    process.env.PROFILE_WORKERS ??
    "core:user:shuangyi,core:entry,ratelimit:ns,ratelimit:ns:entry,core:user:miniflare-observability-collector"
  ).split(",");
  const sessions = await Promise.all(
    direct.targets
      .filter((t) => wanted.includes(t.id ?? ""))
      .map(async (target) => {
        const inspector = connect(target.webSocketDebuggerUrl ?? "");
        await inspector.opened;
        await inspector.send("Profiler.enable");
        await inspector.send("Profiler.setSamplingInterval", { interval: 200 });
        await inspector.send("Profiler.start");
        return { id: target.id ?? "?", inspector };
      }),
  );
  const cpuBefore = sampleCpu(stack.cluster?.port);
  const load = await runLoadInThread({
    url: stack.url,
    requests: requests(attempts, 0),
    connections,
    durationMs: 60_000,
  });
  const cpuAfter = sampleCpu(stack.cluster?.port);
  const profiles = await Promise.all(
    sessions.map(async ({ id, inspector }) => {
      const { profile } = await inspector.send<{ profile: Profile }>("Profiler.stop");
      inspector.close();
      return { id, profile };
    }),
  );
  const cores = coresBetween(cpuBefore, cpuAfter);
  const workerdMs =
    (((cpuAfter.seconds.workerd ?? 0) - (cpuBefore.seconds.workerd ?? 0)) * 1000) / load.requests;
  console.log(
    `${load.requests} sign-ups at ${connections} connections: ${load.rps.toFixed(0)}/s, p99 ${load.p99.toFixed(0)} ms, ${JSON.stringify(load.statuses)}; workerd ${(cores.workerd ?? 0).toFixed(2)} cores, ${workerdMs.toFixed(1)} ms CPU per sign-up (profiling on); load ${loadText()}`,
  );
  console.log("\nJS time sampled per worker (idle and GC apart), ms per sign-up:");
  for (const { id, profile } of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
    let busy = 0;
    let gc = 0;
    profile.samples.forEach((node, i) => {
      const name = byId.get(node);
      const us = profile.timeDeltas[i] ?? 0;
      if (name === "(garbage collector)") gc += us;
      else if (name !== "(idle)" && name !== "(program)") busy += us;
    });
    if (busy + gc > 0)
      console.log(
        `  ${id.padEnd(50)} ${(busy / 1000 / load.requests).toFixed(2)} (+ GC ${(gc / 1000 / load.requests).toFixed(2)})`,
      );
  }
  const app = profiles.find((p) => p.id === "core:user:shuangyi")?.profile;
  if (!app) throw new Error("no profile of the app");
  if (values.out) {
    writeFileSync(values.out, JSON.stringify(app));
    for (const { id, profile } of profiles)
      writeFileSync(`${values.out}.${id.replaceAll(":", "_")}`, JSON.stringify(profile));
  }
  const totalUs = aggregate(app, Number(values.top));
  console.log(`\napp profile: ${(totalUs / 1000).toFixed(0)} ms sampled (idle included)`);
} finally {
  await stack?.stop();
}
