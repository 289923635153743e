/**
 * Where the CPU time goes during a load step (Linux /proc only): this process (the load client
 * thread and the WebSocket relay), wrangler's workerd and Node, PgBouncer, pgbench, one PostgreSQL
 * server (the postmaster with the backends it has reaped, plus those still alive), and the whole
 * machine busy and idle (other work included). Read-only; elsewhere it reports nothing.
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
  // Below this process: wrangler's Node (with esbuild), its workerd, and PgBouncer when the stack
  // started one (its own group: it is neither the Worker nor the database).
  const named = new Set(["workerd", "pgbouncer", "pgbench"]);
  const groupOf = (comm: string) => (named.has(comm) ? comm : "wrangler (node)");
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      add(groupOf(child.comm), child.own + child.children);
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
  // The whole machine (every core, every process: other work on a shared machine too).
  const machine = readMachine();
  if (machine) {
    add("machine: busy", machine.busy);
    add("machine: idle", machine.idle);
  }
  return { at: performance.now(), seconds };
}

/** Busy and idle ticks of all cores together, from the first line of /proc/stat. */
function readMachine(): { busy: number; idle: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const sum = (...values: (number | undefined)[]) =>
      values.reduce<number>((total, value) => total + (value ?? 0), 0);
    return { busy: sum(user, nice, system, irq, softirq, steal), idle: sum(idle, iowait) };
  } catch {
    return undefined;
  }
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
