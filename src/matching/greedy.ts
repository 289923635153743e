/**
 * The greedy baseline: every candidate of every need's shortlist, best score first, taken when its
 * need is still open, its worker has room that week and neither the worker nor the team is
 * already planned at an overlapping time. The benchmark compares against it plain, and with the
 * same repair and fill the batch run gives its flows (so that the comparison measures the flow,
 * not those steps); assignBatch also uses the repaired one as a starting point, so the batch plan
 * is never worse than either.
 */
import { PlanBuilder } from "./plan-builder";
import { hasRoom, type PreparedNeed, type PreparedTeam, type PreparedWorker } from "./prepare";
import { unmatchedReasons } from "./reasons";
import type { Choice } from "./repair";
import { realise } from "./repair";
import { type BatchOptions, type BatchRun, noCandidateReason, prepareRun } from "./run";
import { overlapsTimeline } from "./time";
import type { NeedFacts, Plan, TeamFacts, UnmatchedNeed, WorkerFacts } from "./types";

interface Flat extends Choice {
  need: number;
}

/** The greedy plan over the run's shortlists, as a builder and the choice per need. */
export function greedyChoice(run: BatchRun) {
  const all: Flat[] = [];
  run.options.forEach((list, need) => {
    for (const option of list) for (const pick of option.picks) all.push({ need, option, pick });
  });
  // Ties (rare) go to the earlier start, then to input order of needs, workers and teams.
  all.sort(
    (a, b) =>
      b.pick.score - a.pick.score ||
      a.pick.start - b.pick.start ||
      a.need - b.need ||
      a.option.worker - b.option.worker ||
      a.pick.team - b.pick.team,
  );
  const builder = new PlanBuilder(run.roster);
  const { freeWorkers, freeTeams } = builder.roster;
  const choice: (Choice | undefined)[] = new Array(run.needs.length).fill(undefined);
  for (const item of all) {
    if (builder.entries.has(item.need)) continue;
    const need = run.needs[item.need] as PreparedNeed;
    const { option, pick } = item;
    const worker = freeWorkers[option.worker] as PreparedWorker;
    const team = freeTeams[pick.team] as PreparedTeam;
    const end = pick.start + need.duration;
    if (!hasRoom(worker, option.week)) continue;
    if (overlapsTimeline(worker.busy, pick.start, end)) continue;
    if (overlapsTimeline(team.busy, pick.start, end)) continue;
    builder.add(item.need, need, option.worker, pick.team, pick.start, pick.score);
    choice[item.need] = { option, pick };
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
