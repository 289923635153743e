/**
 * The assignment flow over the shortlisted options: source → need (capacity 1) → (worker, week)
 * (capacity = weekly capacity minus the events already that week) → sink, each need → (worker,
 * week) arc worth the option's score. Solved lexicographically: the most needs first, then the
 * highest total score among plans that serve that many (a minCost solve, then maxFlow from there;
 * see min-cost-flow.ts). A plain "maximise the total score" could leave a need unserved to gain a
 * few points elsewhere, and a coordinator expects every need that can be served to be served.
 */
import { MinCostFlow } from "./min-cost-flow";
import type { PreparedWorker } from "./prepare";
import type { Choice } from "./repair";
import type { BatchRun } from "./run";
import type { NeedOption } from "./shortlist";

/** Scores are scaled to integers for the flow: ties closer than 1e-6 points are not told apart. */
export const COST_SCALE = 1_000_000;

/** One arc per need option, one node per (worker, week). */
export interface FlowModel {
  needCount: number;
  /** Units each (worker, week) node can still take. */
  capacity: number[];
  arcs: { need: number; option: NeedOption; node: number }[];
  arcIds: Map<NeedOption, number>;
}

/** The flow's fixed shape for a run. */
export function flowModel(run: BatchRun): FlowModel {
  const nodeOf = new Map<string, number>();
  const capacity: number[] = [];
  const arcs: FlowModel["arcs"] = [];
  const arcIds = new Map<NeedOption, number>();
  run.options.forEach((options, need) => {
    for (const option of options) {
      const key = `${option.worker}:${option.week}`;
      let node = nodeOf.get(key);
      if (node === undefined) {
        node = nodeOf.size;
        nodeOf.set(key, node);
        const worker = run.workers[option.worker] as PreparedWorker;
        capacity.push(worker.facts.weeklyCapacity - (worker.weekLoad.get(option.week) ?? 0));
      }
      arcIds.set(option, arcs.length);
      arcs.push({ need, option, node });
    }
  });
  return { needCount: run.needs.length, capacity, arcs, arcIds };
}

/**
 * A network over the model: node 0 the source, 1..needs the needs, then one node per (worker,
 * week), then the sink. `addNeedArcs` adds the arcs out of the needs (ids it returns are kept);
 * source and capacity arcs are added around them.
 */
export function flowNetwork<T>(
  model: FlowModel,
  addNeedArcs: (graph: MinCostFlow, firstSlot: number, sink: number) => T,
) {
  const { needCount, capacity } = model;
  const firstSlot = 1 + needCount;
  const sink = firstSlot + capacity.length;
  const graph = new MinCostFlow(sink + 1);
  for (let need = 0; need < needCount; need++) graph.addEdge(0, 1 + need, 1, 0);
  const ids = addNeedArcs(graph, firstSlot, sink);
  capacity.forEach((units, node) => {
    graph.addEdge(firstSlot + node, sink, units, 0);
  });
  return { graph, sink, ids };
}

/**
 * Most units first, then least cost: `needsWithArcs` is the most the flow can carry, so when the
 * least-cost flow already carries that many, the second solve is skipped.
 */
export function solveLexicographic(
  graph: MinCostFlow,
  sink: number,
  needsWithArcs: number,
): { flow: number; cost: number; leastCost: number } {
  const first = graph.solve(0, sink, { mode: "minCost" });
  if (first.flow >= needsWithArcs) return { ...first, leastCost: first.cost };
  const more = graph.solve(0, sink, { mode: "maxFlow" });
  return { flow: first.flow + more.flow, cost: first.cost + more.cost, leastCost: first.cost };
}

/**
 * Solves the flow leaving out `forbidden` arcs and counting `repriced` ones at their realised
 * score; returns the chosen option (with its best team) per need, or undefined.
 */
export function solveFlow(
  model: FlowModel,
  forbidden: Set<NeedOption>,
  repriced: Map<NeedOption, number>,
): (Choice | undefined)[] {
  const withArcs = new Set<number>();
  const { graph, sink, ids } = flowNetwork(model, (graph, firstSlot) =>
    model.arcs.map(({ need, option, node }) => {
      if (forbidden.has(option)) return -1;
      withArcs.add(need);
      const score = repriced.get(option) ?? option.picks[0]?.score ?? 0;
      return graph.addEdge(1 + need, firstSlot + node, 1, -Math.round(score * COST_SCALE));
    }),
  );
  solveLexicographic(graph, sink, withArcs.size);
  const choice: (Choice | undefined)[] = new Array(model.needCount).fill(undefined);
  model.arcs.forEach(({ need, option }, i) => {
    const id = ids[i] as number;
    const pick = option.picks[0];
    if (id >= 0 && pick && graph.flowOn(id) > 0) choice[need] = { option, pick };
  });
  return choice;
}
