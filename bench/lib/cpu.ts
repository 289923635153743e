/**
 * Where the CPU time goes during a load step (Linux /proc only): this process (the load client
 * thread and the WebSocket relay), wrangler's workerd and Node, and one PostgreSQL server (the
 * postmaster with the backends it has reaped, plus those still alive). Read-only; elsewhere it
 * reports nothing.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat (CLK_TCK; 100 on every common Linux). */
const TICKS = 100;

export interface CpuSample {
  at: number;
  /** CPU seconds so far, per group. */
  seconds: Record<string, number>;
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** Own user + system time, in ticks. */
  own: number;
  /** Reaped children's user + system time, in ticks. */
  children: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces: split after the last ')'.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const at = (field: number) => Number(fields[field - 3]);
    return { pid, ppid: at(4), comm, own: at(14) + at(15), children: at(16) + at(17) };
  } catch {
    return undefined;
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function allProcesses(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/** Samples CPU seconds by group; `postgresPort` finds the stack's PostgreSQL server. */
export function sampleCpu(postgresPort?: number): CpuSample {
  const processes = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const stat of processes) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const seconds: Record<string, number> = {};
  const add = (group: string, ticks: number) => {
    seconds[group] = (seconds[group] ?? 0) + ticks / TICKS;
  };
  const self = processes.find((stat) => stat.pid === process.pid);
  if (self) add("bench (client + relay)", self.own);
  // wrangler's tree below this process: workerd, and wrangler's Node (with esbuild).
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      add(child.comm === "workerd" ? "workerd" : "wrangler (node)", child.own + child.children);
      walk(child.pid);
    }
  };
  walk(process.pid);
  if (postgresPort !== undefined) {
    const postmaster = processes.find(
      (stat) => stat.comm === "postgres" && readCmdline(stat.pid).includes(`-p ${postgresPort} `),
    );
    if (postmaster) {
      add("postgres", postmaster.own + postmaster.children);
      for (const backend of children.get(postmaster.pid) ?? []) add("postgres", backend.own);
    }
  }
  return { at: performance.now(), seconds };
}

/** Cores used per group between two samples (1.0 = one core busy all along). */
export function coresBetween(before: CpuSample, after: CpuSample): Record<string, number> {
  const elapsed = (after.at - before.at) / 1000;
  const cores: Record<string, number> = {};
  for (const [group, value] of Object.entries(after.seconds)) {
    const used = value - (before.seconds[group] ?? 0);
    cores[group] = Math.round((Math.max(0, used) / elapsed) * 100) / 100;
  }
  return cores;
}
