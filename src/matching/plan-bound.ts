/**
 * An upper bound on the best plan of the full model (every social worker, team and start the
 * facts allow, under capacity, with teams and overlaps), valid by construction, so that a run
 * can say how far below the best possible its plan is at most.
 *
 * The relaxation keeps capacity and drops overlaps (and with them teams, which constrain a plan
 * only by overlapping); each (need, worker, week) is worth the best score any team and start in
 * that week reaches. Every feasible plan is a flow of it worth at least the plan's score: an
 * entry's start is a free start of its worker and team in its week, and only the availability
 * part depends on the start, falling as it moves later, so no entry scores above its (worker,
 * week)'s best. The shortlist keeps each need's top options exactly; when it is full, the options
 * it left out score at most its last one, so one more arc per such need, straight to the sink and
 * worth that last score, stands for all of them at once (it can only raise the optimum). Arc
 * values are rounded up to the flow's integer scale.
 */
import { COST_SCALE, type FlowModel, scoreCost, solveLexicographic } from "./flow-model";
import type { BatchRun } from "./run";

export interface PlanBound {
  /** No feasible plan serves more needs. */
  matched: number;
  /** No feasible plan scores more, whatever it serves. */
  score: number;
}

/** The relaxation's most needs served and highest score (see the module comment). */
export function planBound(run: BatchRun, model: FlowModel): PlanBound {
  const { graph, boundEdges } = model;
  graph.reset();
  run.options.forEach((options, need) => {
    const edge = boundEdges[need] as number;
    if (edge < 0 || options.length < run.limits.options) return;
    const last = options[options.length - 1]?.picks[0]?.score ?? 0;
    graph.setArc(edge, 1, scoreCost(last));
  });
  const withArcs = run.options.filter((options) => options.length > 0).length;
  const { flow, leastCost } = solveLexicographic(graph, model.sink, withArcs);
  return { matched: flow, score: -leastCost / COST_SCALE };
}
