/**
 * The outside check for bench/matching.ts: the first flow of a batch run (the assignment of needs
 * to (social worker, week) under capacity, most needs first, then the highest total) solved by
 * our min-cost flow and by SciPy (matching-scipy.py), when python3 with SciPy is installed
 * (Debian: `apt-get install python3-scipy`).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { flowModel, solveFlow } from "../../src/matching/flow-model";
import type { BatchRun } from "../../src/matching/run";

export interface Optimum {
  matched: number;
  score: number;
  ms: number;
}

export interface OutsideCheck {
  ours: Optimum;
  /** SciPy's two solvers, or why they did not run. */
  scipy?: { version: string; sparse: Optimum; dense: Optimum | null };
  note?: string;
}

const script = fileURLToPath(new URL("./matching-scipy.py", import.meta.url));

/** Both optima of the run's first flow (see the module comment). */
export function outsideCheck(run: BatchRun): OutsideCheck {
  const model = flowModel(run);
  // The median of five solves after a warm-up (JavaScript is compiled as it runs; the network is
  // reset each time); SciPy's compiled solvers run once each.
  const times: number[] = [];
  let choice = solveFlow(model, new Set(), new Map());
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    choice = solveFlow(model, new Set(), new Map());
    times.push(performance.now() - started);
  }
  const ms = times.sort((a, b) => a - b)[2] as number;
  const chosen = choice.filter((c) => c !== undefined);
  const score = chosen.reduce((sum, c) => sum + c.pick.score, 0);
  const ours = { matched: chosen.length, score, ms };
  const capacity = new Array<number>(model.capacity.length);
  model.capacity.forEach((units, node) => {
    capacity[node] = Math.max(0, units);
  });
  const arcs = model.arcs.map(({ need, node, option }) => [need, node, option.picks[0]?.score]);
  const input = JSON.stringify({ needs: model.needCount, capacity, arcs });
  const child = spawnSync("python3", [script], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  if (child.error) return { ours, note: `skipped: python3 not found (${child.error.message})` };
  if (child.status !== 0) {
    const missing = /No module named '(scipy|numpy)/.test(child.stderr);
    const why = missing ? "SciPy is not installed (apt-get install python3-scipy)" : child.stderr;
    return { ours, note: `skipped: ${why.trim().split("\n").slice(-1)[0]}` };
  }
  const result = JSON.parse(child.stdout);
  return { ours, scipy: { version: result.scipy, sparse: result.sparse, dense: result.dense } };
}
