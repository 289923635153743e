/**
 * Batch assignment: all open needs of a region and period at once, maximising the total score.
 *
 * What is exactly optimal, and what is not:
 * - Exact: the assignment of needs to (social worker, ISO week) under every worker's weekly
 *   capacity. It is a min-cost flow (min-cost-flow.ts): source → need (capacity 1) → (worker,
 *   week) (capacity = weekly capacity minus the events already that week) → sink, each need →
 *   (worker, week) arc costing −(the best candidate score for that need with that worker in that
 *   week). Ignoring overlaps, no plan on those arcs scores more: the first flow's total is
 *   reported as `stats.flowBound`, an upper bound for every feasible plan built from them.
 * - Approximated: each need brings only its top `optionsPerNeed` (worker, week) arcs (default 10,
 *   see run.ts), which keeps the flow small. Under tight capacity a need whose options are all
 *   full is left to the fill step below, which looks at every worker but greedily (widening such
 *   needs' shortlists and re-solving gained 0.2 % for twice the time on a tight instance).
 * - Repaired afterwards, heuristically (repair.ts): the flow sees neither time overlaps (two
 *   needs given one worker or one team at overlapping times) nor teams at all. The plan is
 *   realised best-scoring entry first; an entry whose slot is taken moves, in the same week (so
 *   capacity still holds), to the best start any suitable team still shares with its worker; if
 *   there is none, the need is a conflict. Leftover needs are then filled from all workers and
 *   teams, best first, wherever the plan leaves room.
 * - Improved by re-solving (up to `maxResolves` more flows): without the arcs that ended in a
 *   conflict, and with re-slotted arcs counted at the score they were actually realised at; once
 *   also without the arcs that blocked the first round's conflicts. The greedy order, repaired
 *   the same way, is one more starting point. The best plan found is returned.
 * When the flow's own plan needs no repair, it is exactly optimal over the arcs.
 *
 * Scores come from the facts as given: an entry's load part counts the worker's existing events
 * that week, not the other entries of this plan (capacity, of course, counts both).
 */

import { greedyChoice } from "./greedy";
import { MinCostFlow } from "./min-cost-flow";
import type { PreparedWorker } from "./prepare";
import { unmatchedReasons } from "./reasons";
import { type Choice, type Realised, realise } from "./repair";
import { type BatchOptions, type BatchRun, prepareRun } from "./run";
import type { NeedOption } from "./shortlist";
import type { NeedFacts, Plan, TeamFacts, WorkerFacts } from "./types";

export { greedyBaseline } from "./greedy";
export { validatePlan } from "./validate";

/** Scores are scaled to integers for the flow: ties closer than 1e-6 points are not told apart. */
const COST_SCALE = 1_000_000;

export interface AssignOptions extends BatchOptions {
  /**
   * Times the flow is re-solved after a repair (default 3): without the arcs that ended in a
   * conflict, and with re-slotted arcs counted at the score they were realised at.
   */
  maxResolves?: number;
  /** Also repair the greedy order as a starting point (default true; off only to study the flow). */
  greedyStart?: boolean;
}

export interface AssignStats {
  /** need → (worker, week) arcs given to the flow. */
  arcs: number;
  /**
   * The first flow's total score: the best total over those arcs when overlaps are ignored, so
   * an upper bound for any plan built from them.
   */
  flowBound: number;
  /** Entries kept on their flow arc but given another team or a later start. */
  reslotted: number;
  /** Needs whose flow arc could not be kept because of an overlap. */
  conflicts: number;
  /** Needs placed by the fill step. */
  filled: number;
  /** Flow solves run (1 + re-solves). */
  solves: number;
  /** The starting point the returned plan was repaired from: a flow solution, or greedy's. */
  source: "flow" | "greedy";
}

export interface BatchPlan extends Plan {
  stats: AssignStats;
}

/** The optimal-then-repaired plan for all `needs` (see the module comment). */
export function assignBatch(
  needs: readonly NeedFacts[],
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
  options: AssignOptions = {},
): BatchPlan {
  const run = prepareRun(needs, workers, teams, options);
  const model = flowModel(run);
  // Each round solves the flow without a set of arcs, counting re-slotted arcs at the score they
  // were realised at. A conflict is resolved either by dropping the arc that lost (the default
  // next round) or the arc that blocked it (tried once, from the first round's conflicts).
  const repriced = new Map<NeedOption, number>();
  const queue: Set<NeedOption>[] = [new Set()];
  const tried = new Set<string>([""]);
  const setKey = (arcs: Set<NeedOption>) =>
    [...arcs]
      .map((arc) => model.arcIds.get(arc))
      .sort()
      .join(",");
  let best: Realised | undefined;
  let flowBound = 0;
  let solves = 0;
  const maxSolves = 1 + (options.maxResolves ?? 3);
  while (queue.length > 0 && solves < maxSolves) {
    const forbidden = queue.shift() as Set<NeedOption>;
    const realised = realise(run, solveFlow(model, forbidden, repriced));
    if (solves++ === 0) {
      flowBound = realised.flowScore;
      const blockers = new Set(realised.blockerArcs);
      if (blockers.size > 0 && !tried.has(setKey(blockers))) {
        tried.add(setKey(blockers));
        queue.push(blockers);
      }
    }
    if (!best || realised.builder.total > best.builder.total) best = realised;
    let repricedAny = false;
    for (const [arc, score] of realised.reslottedArcs) {
      repricedAny ||= repriced.get(arc) !== score;
      repriced.set(arc, score);
    }
    const next = new Set([...forbidden, ...realised.conflictArcs]);
    const key = setKey(next);
    if (next.size > forbidden.size && !tried.has(key)) {
      tried.add(key);
      queue.unshift(next);
    } else if (repricedAny) {
      queue.unshift(forbidden);
    }
  }
  // The greedy order, repaired the same way, is one more starting point: the flow's plans win
  // almost always, but when overlaps dominate, greedy can beat their repair (an instance is in
  // test/unit/matching/assign.test.ts); keeping the better makes the plan never worse than the
  // greedy baseline.
  const greedy = options.greedyStart === false ? undefined : realise(run, greedyChoice(run).choice);
  const greedyWon = greedy !== undefined && (!best || greedy.builder.total > best.builder.total);
  if (greedyWon) best = greedy;
  const chosen = best as Realised;
  const entries = chosen.builder.candidates(run.needs);
  return {
    entries,
    totalScore: entries.reduce((total, entry) => total + entry.score, 0),
    unmatched: unmatchedReasons(run, chosen),
    stats: {
      arcs: model.arcs.length,
      flowBound,
      reslotted: chosen.reslotted,
      conflicts: chosen.conflicts.size,
      filled: chosen.filled,
      solves,
      source: greedyWon ? "greedy" : "flow",
    },
  };
}

/** The flow's fixed shape: one arc per need option, one node per (worker, week). */
function flowModel(run: BatchRun) {
  const nodeOf = new Map<string, number>();
  const capacity: number[] = [];
  const arcs: { need: number; option: NeedOption; node: number }[] = [];
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
 * Solves the flow leaving out `forbidden` arcs and counting `repriced` ones at their realised
 * score; returns the chosen option (with its best team) per need, or undefined.
 */
function solveFlow(
  model: ReturnType<typeof flowModel>,
  forbidden: Set<NeedOption>,
  repriced: Map<NeedOption, number>,
): (Choice | undefined)[] {
  const { needCount, capacity, arcs } = model;
  // Nodes: 0 source, 1..needs, then one per (worker, week), then the sink.
  const firstSlot = 1 + needCount;
  const sink = firstSlot + capacity.length;
  const graph = new MinCostFlow(sink + 1);
  for (let need = 0; need < needCount; need++) graph.addEdge(0, 1 + need, 1, 0);
  const ids = arcs.map(({ need, option, node }) => {
    if (forbidden.has(option)) return -1;
    const score = repriced.get(option) ?? option.picks[0]?.score ?? 0;
    return graph.addEdge(1 + need, firstSlot + node, 1, -Math.round(score * COST_SCALE));
  });
  capacity.forEach((units, node) => {
    graph.addEdge(firstSlot + node, sink, units, 0);
  });
  graph.solve(0, sink, { mode: "minCost" });
  const choice: (Choice | undefined)[] = new Array(needCount).fill(undefined);
  arcs.forEach(({ need, option }, i) => {
    const id = ids[i] as number;
    const pick = option.picks[0];
    if (id >= 0 && pick && graph.flowOn(id) > 0) choice[need] = { option, pick };
  });
  return choice;
}
