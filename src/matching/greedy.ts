/**
 * The greedy baseline: every candidate of every need's shortlist, best score first, taken when its
 * need is still open, its worker has room that week and neither the worker nor the team is
 * already planned at an overlapping time. The benchmark compares against it plain, and with the
 * same repair and fill the batch run gives its flows (so that the comparison measures the flow,
 * not those steps); assignBatch also uses the repaired one as a starting point, so the batch plan
 * is never worse than either.
 */

import { MinHeap } from "./min-heap";
import { PlanBuilder } from "./plan-builder";
import { hasRoom, type PreparedNeed, type PreparedTeam, type PreparedWorker } from "./prepare";
import { unmatchedReasons } from "./reasons";
import type { Choice } from "./repair";
import { realise } from "./repair";
import { type BatchOptions, type BatchRun, noCandidateReason, prepareRun } from "./run";
import type { NeedOption } from "./shortlist";
import { overlapsTimeline } from "./time";
import type { NeedFacts, Plan, TeamFacts, UnmatchedNeed, WorkerFacts } from "./types";

/** A need's candidates (option, pick) best first: score, then start, then the shortlist's order. */
function candidatesOf(options: NeedOption[]): Choice[] {
  const flat: Choice[] = [];
  for (const option of options) for (const pick of option.picks) flat.push({ option, pick });
  if (options.some((option) => option.picks.length > 1)) {
    // Stable: equal score and start keep the shortlist's order (worker id, then team id).
    flat.sort((a, b) => b.pick.score - a.pick.score || a.pick.start - b.pick.start);
  }
  return flat;
}

/**
 * The greedy plan over the run's shortlists, as a builder and the choice per need. Every
 * candidate in one order (best score first; ties to the earlier start, then to the earlier need
 * in input order, then to the shortlist's order) is taken when it still fits; the order is
 * produced by merging the needs' own sorted lists through a heap of needs, so a need stops being
 * looked at once it is planned.
 */
export function greedyChoice(run: BatchRun) {
  const lists = run.options.map(candidatesOf);
  const cursor = new Int32Array(lists.length);
  const current = (need: number) => lists[need]?.[cursor[need] as number] as Choice;
  const before = (a: number, b: number) => {
    const pa = current(a).pick;
    const pb = current(b).pick;
    if (pa.score !== pb.score) return pa.score > pb.score;
    return pa.start !== pb.start ? pa.start < pb.start : a < b;
  };
  const heap = new MinHeap(before);
  lists.forEach((list, need) => {
    if (list.length > 0) heap.push(need);
  });
  const builder = new PlanBuilder(run.roster);
  const { freeWorkers, freeTeams } = builder.roster;
  const choice: (Choice | undefined)[] = new Array(run.needs.length).fill(undefined);
  while (heap.size > 0) {
    const index = heap.top;
    const { option, pick } = current(index);
    const need = run.needs[index] as PreparedNeed;
    const worker = freeWorkers[option.worker] as PreparedWorker;
    const team = freeTeams[pick.team] as PreparedTeam;
    const end = pick.start + need.duration;
    const fits =
      hasRoom(worker, option.week) &&
      !overlapsTimeline(worker.busy, pick.start, end) &&
      !overlapsTimeline(team.busy, pick.start, end);
    if (fits) {
      builder.add(index, need, option.worker, pick.team, pick.start, pick.score);
      choice[index] = { option, pick };
      heap.pop();
    } else {
      cursor[index] = (cursor[index] as number) + 1;
      if ((cursor[index] as number) < (lists[index]?.length ?? 0)) heap.replaceTop(index);
      else heap.pop();
    }
  }
  return { builder, choice };
}

export interface BaselineOptions extends BatchOptions {
  /** Give greedy's plan the repair and fill a batch run gives its flows (repair.ts realise). */
  repairAndFill?: boolean;
}

/** The greedy baseline plan (see the module comment), for benchmarks and tests. */
export function greedyBaseline(
  needs: readonly NeedFacts[],
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
  options: BaselineOptions = {},
): Plan {
  const run = prepareRun(needs, workers, teams, options);
  const greedy = greedyChoice(run);
  if (options.repairAndFill) {
    const realised = realise(run, greedy.choice);
    return planOf(run, realised.builder, unmatchedReasons(run, realised));
  }
  const unmatched: UnmatchedNeed[] = [];
  run.needs.forEach((need, index) => {
    if (greedy.builder.entries.has(index)) return;
    const reason =
      (run.options[index]?.length ?? 0) === 0
        ? noCandidateReason(run, index)
        : "taken: every candidate was full or overlapped a better-scoring pick";
    unmatched.push({ needId: need.facts.id, reason });
  });
  return planOf(run, greedy.builder, unmatched);
}

function planOf(run: BatchRun, builder: PlanBuilder, unmatched: UnmatchedNeed[]): Plan {
  const entries = builder.candidates(run.needs);
  const totalScore = entries.reduce((total, entry) => total + entry.score, 0);
  return { entries, totalScore, unmatched };
}
