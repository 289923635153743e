/** Timing for bench/tallies.ts: medians of repeated runs, with a budget for slow ones. */

export interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  /** CPU milliseconds per run, by whom (see {@link CpuClock}), where measured. */
  cpuMs?: Record<string, number>;
}

/**
 * CPU milliseconds used so far, by whom (e.g. the PostgreSQL server and this process). On a
 * machine shared with other work, CPU time per run moves less than wall-clock time does.
 */
export type CpuClock = () => Record<string, number>;

export const round = (ms: number, digits = 2) => Math.round(ms * 10 ** digits) / 10 ** digits;

export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2
      ? (sorted[Math.floor(mid)] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    runs: sorted.length,
    medianMs: round(median),
    p95Ms: round(at(0.95) ?? 0),
    minMs: round(sorted[0] ?? 0),
  };
}

export interface MeasureOptions {
  runs: number;
  warmUps: number;
  /** Warm-up runs go on until this much time has passed. */
  warmUpMs: number;
  /** A measurement stops early (after at least 3 runs) when its runs have taken this long. */
  budgetMs: number;
  /** A first run longer than this is the measurement: one run (a scan of seconds is warm). */
  onceMs: number;
  /** Fast runs go on until they have taken this long together (for CPU time to add up). */
  minMs: number;
}

/**
 * Runs `fn` until its timing is steady: warm-ups (a fast query's first few dozen calls run ~2×
 * slower while Node compiles the query builder's code and the pool's fresh server processes fill
 * their catalog caches), then up to `runs` samples within the budget.
 */
export async function measure<T>(
  fn: () => Promise<T>,
  options: MeasureOptions,
  cpu?: CpuClock,
): Promise<{ timing: Timing; result: T }> {
  const w0 = performance.now();
  const c0 = cpu?.();
  let result = await fn();
  const first = performance.now() - w0;
  if (first > options.onceMs)
    return { timing: { ...summarise([first]), cpuMs: cpuPerRun(c0, cpu?.(), 1) }, result };
  const slow = first > 2000;
  for (let i = 1; !slow && (i < options.warmUps || performance.now() - w0 < options.warmUpMs); i++)
    result = await fn();
  const samples: number[] = [];
  const started = performance.now();
  const c1 = cpu?.();
  for (;;) {
    const elapsed = performance.now() - started;
    const enough = samples.length >= options.runs && elapsed >= options.minMs;
    if (samples.length >= 3 && (enough || elapsed >= options.budgetMs)) break;
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  return {
    timing: { ...summarise(samples), cpuMs: cpuPerRun(c1, cpu?.(), samples.length) },
    result,
  };
}

function cpuPerRun(
  before: Record<string, number> | undefined,
  after: Record<string, number> | undefined,
  runs: number,
): Record<string, number> | undefined {
  if (!before || !after) return undefined;
  return Object.fromEntries(
    Object.entries(after).map(([who, ms]) => [who, round((ms - (before[who] ?? 0)) / runs)]),
  );
}
