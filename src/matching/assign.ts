/**
 * Batch assignment: all open needs of a region and period at once, serving as many needs as
 * possible and, among plans that serve that many, maximising the total score.
 *
 * What is exactly optimal, and what is not:
 * - Exact: the assignment of needs to (social worker, ISO week) under every worker's weekly
 *   capacity, most needs first, then the highest total (flow-model.ts): a need → (worker, week)
 *   arc is worth the best candidate score for that need with that worker in that week.
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
 *   the same way, is one more starting point. The best plan found (most needs, then score) is
 *   returned.
 * - Measured: `stats.matchedBound` and `stats.scoreBound` bound every feasible plan of the full
 *   model (plan-bound.ts), so `stats.gap` says how far below the best possible the plan is at
 *   most. When the flow's own plan needs no repair, it is exactly optimal over the arcs.
 *
 * Scores come from the facts as given: an entry's load part counts the worker's existing events
 * that week, not the other entries of this plan (capacity, of course, counts both).
 */

import { type FlowModel, flowModel, solveFlow } from "./flow-model";
import { greedyChoice } from "./greedy";
import { planBound } from "./plan-bound";
import { unmatchedReasons } from "./reasons";
import { type Realised, realise } from "./repair";
import { type BatchOptions, type BatchRun, prepareRun } from "./run";
import type { NeedOption } from "./shortlist";
import type { NeedFacts, Plan, TeamFacts, WorkerFacts } from "./types";

export { greedyBaseline } from "./greedy";
export { validatePlan } from "./validate";

export interface AssignOptions extends BatchOptions {
  /**
   * Times the flow is re-solved after a repair (default 2): without the arcs that ended in a
   * conflict, and with re-slotted arcs counted at the score they were realised at. On the
   * benchmark's instances (n = 100 to 3,000, two seeds, and the demo month) a third re-solve
   * changed the total by 0.009 % at most, for a sixth more time.
   */
  maxResolves?: number;
  /** Also repair the greedy order as a starting point (default true; off only to study the flow). */
  greedyStart?: boolean;
  /** A clock in milliseconds (e.g. performance.now); when given, stats.phases times each phase. */
  clock?: () => number;
}

/** Milliseconds spent in each phase of a run, when a clock was given. */
export interface AssignPhases {
  /** Preparing the facts and shortlisting every need's options. */
  shortlist: number;
  /** Building and solving the flows. */
  flow: number;
  /** Realising each starting point: repair and fill. */
  repair: number;
  /** The greedy starting point (its repair and fill included). */
  greedy: number;
  /** The upper bound (plan-bound.ts). */
  bound: number;
  /** The chosen plan's entries explained (score parts) and its unmatched needs' reasons. */
  explain: number;
}

export interface AssignStats {
  /** need → (worker, week) arcs given to the flow. */
  arcs: number;
  /** No feasible plan of the full model serves more needs than this (plan-bound.ts). */
  matchedBound: number;
  /** No feasible plan of the full model scores more than this, whatever it serves. */
  scoreBound: number;
  /** 1 − totalScore ÷ scoreBound: the plan is at most this share below the best possible. */
  gap: number;
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
  phases?: AssignPhases;
}

export interface BatchPlan extends Plan {
  stats: AssignStats;
}

/** True when plan a is better than plan b: more needs served, then a higher total. */
function better(a: Realised, b: Realised | undefined): boolean {
  if (!b) return true;
  const [servedA, servedB] = [a.builder.entries.size, b.builder.entries.size];
  return servedA !== servedB ? servedA > servedB : a.builder.total > b.builder.total;
}

/** Sums the time spent in phases, when there is a clock. */
function stopwatch(clock: (() => number) | undefined) {
  const phases: AssignPhases = {
    shortlist: 0,
    flow: 0,
    repair: 0,
    greedy: 0,
    bound: 0,
    explain: 0,
  };
  const time = <T>(phase: keyof AssignPhases, work: () => T): T => {
    if (!clock) return work();
    const start = clock();
    const result = work();
    phases[phase] += clock() - start;
    return result;
  };
  return { phases: clock ? phases : undefined, time };
}

/** The plan for all `needs` (see the module comment). */
export function assignBatch(
  needs: readonly NeedFacts[],
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
  options: AssignOptions = {},
): BatchPlan {
  const { phases, time } = stopwatch(options.clock);
  const run = time("shortlist", () => prepareRun(needs, workers, teams, options));
  const model = time("flow", () => flowModel(run));
  const bound = time("bound", () => planBound(run, model));
  const flows = improveFlow(run, model, 1 + (options.maxResolves ?? 2), time);
  let best = flows.best;
  // The greedy order, repaired the same way, is one more starting point: the flow's plans win
  // almost always, but when overlaps dominate, greedy can beat their repair (an instance is in
  // test/unit/matching/greedy.test.ts); keeping the better makes the plan never worse than the
  // greedy baseline.
  const greedy =
    options.greedyStart === false
      ? undefined
      : time("greedy", () => realise(run, greedyChoice(run).choice));
  const greedyWon = greedy !== undefined && better(greedy, best);
  if (greedyWon) best = greedy;
  const chosen = best as Realised;
  const { entries, unmatched } = time("explain", () => ({
    entries: chosen.builder.candidates(run.needs),
    unmatched: unmatchedReasons(run, chosen),
  }));
  const totalScore = entries.reduce((total, entry) => total + entry.score, 0);
  return {
    entries,
    totalScore,
    unmatched,
    stats: {
      arcs: model.arcs.length,
      matchedBound: bound.matched,
      scoreBound: bound.score,
      gap: bound.score > 0 ? 1 - totalScore / bound.score : 0,
      reslotted: chosen.reslotted,
      conflicts: chosen.conflicts.size,
      filled: chosen.filled,
      solves: flows.solves,
      source: greedyWon ? "greedy" : "flow",
      ...(phases ? { phases } : {}),
    },
  };
}

/**
 * Solves the flow and re-solves it after each repair. Each round solves without a set of arcs,
 * counting re-slotted arcs at the score they were realised at. A conflict is resolved either by
 * dropping the arc that lost (the default next round) or the arc that blocked it (tried once,
 * from the first round's conflicts).
 */
function improveFlow(
  run: BatchRun,
  model: FlowModel,
  maxSolves: number,
  time: ReturnType<typeof stopwatch>["time"],
) {
  const repriced = new Map<NeedOption, number>();
  const queue: Set<NeedOption>[] = [new Set()];
  const tried = new Set<string>([""]);
  const setKey = (arcs: Set<NeedOption>) =>
    [...arcs]
      .map((arc) => model.arcIds.get(arc))
      .sort()
      .join(",");
  let best: Realised | undefined;
  let solves = 0;
  while (queue.length > 0 && solves < maxSolves) {
    const forbidden = queue.shift() as Set<NeedOption>;
    const choice = time("flow", () => solveFlow(model, forbidden, repriced));
    const realised = time("repair", () => realise(run, choice));
    if (solves++ === 0) {
      const blockers = new Set(realised.blockerArcs);
      if (blockers.size > 0 && !tried.has(setKey(blockers))) {
        tried.add(setKey(blockers));
        queue.push(blockers);
      }
    }
    if (better(realised, best)) best = realised;
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
  return { best, solves };
}
