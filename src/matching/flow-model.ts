/**
 * The assignment flow over the shortlisted options: source → need (capacity 1) → (worker, week)
 * (capacity = weekly capacity minus the events already that week) → sink, each need → (worker,
 * week) arc worth the option's score. Solved lexicographically: the most needs first, then the
 * highest total score among plans that serve that many (a minCost solve, then maxFlow from there;
 * see min-cost-flow.ts). A plain "maximise the total score" could leave a need unserved to gain a
 * few points elsewhere, and a coordinator expects every need that can be served to be served.
 *
 * The network is built once per run and reset between solves: the re-solves only forbid some
 * arcs and reprice others, and the bound (plan-bound.ts) only opens one more arc per need.
 */
import { MinCostFlow } from "./min-cost-flow";
import type { PreparedWorker } from "./prepare";
import type { Choice } from "./repair";
import type { BatchRun } from "./run";
import type { NeedOption } from "./shortlist";

/** Scores are scaled to integers for the flow: ties closer than 1e-6 points are not told apart. */
export const COST_SCALE = 1_000_000;

/** An arc's cost for a score, rounded up so that the flow's optimum never understates a total. */
export const scoreCost = (score: number) => -Math.ceil(score * COST_SCALE);

/** One arc per need option, one node per (worker, week), and the network over them. */
export interface FlowModel {
  needCount: number;
  /** Units each (worker, week) node can still take. */
  capacity: number[];
  arcs: { need: number; option: NeedOption; node: number; edge: number }[];
  arcIds: Map<NeedOption, number>;
  /** Per need, the edge straight to the sink that plan-bound.ts opens (−1: none), closed here. */
  boundEdges: number[];
  /** Options per need. */
  optionCount: Int32Array;
  graph: MinCostFlow;
  sink: number;
}

/** The flow's nodes, arcs and network for a run (arcs straight to the sink left closed). */
export function flowModel(run: BatchRun): FlowModel {
  // (worker, week) → node; weeks are small consecutive numbers, so one number keys both.
  const nodeOf = new Map<number, number>();
  const capacity: number[] = [];
  const arcs: FlowModel["arcs"] = [];
  const arcIds = new Map<NeedOption, number>();
  run.options.forEach((options, need) => {
    for (const option of options) {
      const key = option.worker * 1e6 + option.week;
      let node = nodeOf.get(key);
      if (node === undefined) {
        node = nodeOf.size;
        nodeOf.set(key, node);
        const worker = run.workers[option.worker] as PreparedWorker;
        capacity.push(worker.facts.weeklyCapacity - (worker.weekLoad.get(option.week) ?? 0));
      }
      arcIds.set(option, arcs.length);
      arcs.push({ need, option, node, edge: -1 });
    }
  });
  // Nodes: 0 source, 1..needs, then one per (worker, week), then the sink.
  const needCount = run.needs.length;
  const firstSlot = 1 + needCount;
  const sink = firstSlot + capacity.length;
  const graph = new MinCostFlow(sink + 1);
  for (let need = 0; need < needCount; need++) graph.addEdge(0, 1 + need, 1, 0);
  for (const arc of arcs) {
    const score = arc.option.picks[0]?.score ?? 0;
    arc.edge = graph.addEdge(1 + arc.need, firstSlot + arc.node, 1, scoreCost(score));
  }
  const boundEdges = run.options.map((options, need) =>
    options.length > 0 ? graph.addEdge(1 + need, sink, 0, 0) : -1,
  );
  capacity.forEach((units, node) => {
    graph.addEdge(firstSlot + node, sink, units, 0);
  });
  graph.snapshot();
  const optionCount = Int32Array.from(run.options, (options) => options.length);
  return { needCount, capacity, arcs, arcIds, boundEdges, optionCount, graph, sink };
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

/** The option (with its best team) the solved network gives each need, or undefined. */
export function choiceOf(model: FlowModel): (Choice | undefined)[] {
  const choice: (Choice | undefined)[] = new Array(model.needCount).fill(undefined);
  for (const { need, option, edge } of model.arcs) {
    const pick = option.picks[0];
    if (pick && model.graph.flowOn(edge) > 0) choice[need] = { option, pick };
  }
  return choice;
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
  const { graph, arcs, arcIds, optionCount } = model;
  graph.reset();
  const left = Int32Array.from(optionCount);
  for (const option of forbidden) {
    const arc = arcs[arcIds.get(option) ?? -1];
    if (!arc) continue;
    graph.setArc(arc.edge, 0, 0);
    left[arc.need] = (left[arc.need] as number) - 1;
  }
  for (const [option, score] of repriced) {
    const arc = arcs[arcIds.get(option) ?? -1];
    if (arc && !forbidden.has(option)) graph.setArc(arc.edge, 1, scoreCost(score));
  }
  solveLexicographic(graph, model.sink, left.filter((count) => count > 0).length);
  return choiceOf(model);
}
