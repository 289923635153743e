/**
 * What a batch run (and the greedy baseline) starts from: the facts prepared once, and each need's
 * shortlist of options.
 */
import { rankPrepared } from "./candidates";
import {
  type PreparedNeed,
  type PreparedTeam,
  type PreparedWorker,
  prepareNeed,
  prepareTeam,
  prepareWorker,
} from "./prepare";
import { createRoster, type Roster } from "./roster";
import { type NeedOption, type ShortlistLimits, shortlistNeed } from "./shortlist";
import { NeedTeams } from "./team-order";
import { shanghaiDate, weekStart } from "./time";
import type { ExclusionCounts, NeedFacts, TeamFacts, WorkerFacts } from "./types";

export interface BatchOptions {
  /**
   * Options (one per social worker and week) kept per need as arcs of the assignment flow
   * (default 10). The flow is exactly optimal over these; a need's 11th-best worker-week is only
   * reached by the repair's fill step. Fewer loosen the bound (plan-bound.ts stands for a full
   * shortlist's left-out options with its last score). On the benchmark's instances at n = 3,000,
   * 16 add 0.01 % to the total and take the gap to the bound from 0.24 % to 0.20 %, for about a
   * tenth more time; 8 lose 0.01 % and save a tenth.
   */
  optionsPerNeed?: number;
  /**
   * Teams kept per option (default 1). The repair searches every team anyway when an option's
   * team is taken; more only widens the greedy baseline's choice.
   */
  teamsPerOption?: number;
}

export interface BatchRun {
  needs: PreparedNeed[];
  workers: PreparedWorker[];
  teams: PreparedTeam[];
  /** The workers and teams with nothing planned; plans start from a reset copy. */
  roster: Roster;
  /** Per need, best first. */
  options: NeedOption[][];
  /** What the shortlists were cut to: a need with `limits.options` options may have more. */
  limits: ShortlistLimits;
  /** Team lists of the needs the repair has searched again, kept for the next search. */
  needTeams: Map<number, NeedTeams>;
}

export const defaultBatchLimits = { optionsPerNeed: 10, teamsPerOption: 1 } as const;

export function prepareRun(
  needs: readonly NeedFacts[],
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
  options: BatchOptions = {},
): BatchRun {
  const limits: ShortlistLimits = {
    options: options.optionsPerNeed ?? defaultBatchLimits.optionsPerNeed,
    teamsPerOption: options.teamsPerOption ?? defaultBatchLimits.teamsPerOption,
  };
  const prepared = {
    needs: needs.map(prepareNeed),
    workers: workers.map(prepareWorker),
    teams: teams.map(prepareTeam),
  };
  const roster = createRoster(prepared.workers, prepared.teams);
  const shortlists = prepared.needs.map((need) => shortlistNeed(need, roster, limits));
  return { ...prepared, roster, options: shortlists, limits, needTeams: new Map() };
}

/** The need's team lists (team-order.ts), built once per run when the repair first needs them. */
export function teamsOf(run: BatchRun, needIndex: number): NeedTeams {
  let teams = run.needTeams.get(needIndex);
  if (!teams) {
    teams = new NeedTeams(run.needs[needIndex] as PreparedNeed, run.roster);
    run.needTeams.set(needIndex, teams);
  }
  return teams;
}

/** "worker_at_capacity × 3, no_common_free_slot × 2": the most frequent reasons first. */
export function describeExclusions(excluded: ExclusionCounts, top = 3): string {
  const reasons = Object.entries(excluded)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .slice(0, top)
    .map(([reason, count]) => `${reason} × ${count}`);
  return reasons.length > 0 ? reasons.join(", ") : "no social workers or teams to pair";
}

/** The reason for a need that has no candidate at all, with the hard filters' counts. */
export function noCandidateReason(run: BatchRun, needIndex: number): string {
  const need = run.needs[needIndex] as PreparedNeed;
  const { excluded } = rankPrepared(need, run.workers, run.teams, 0);
  return `no candidate: ${describeExclusions(excluded)}`;
}

/** "the week of 2025-09-08" or "the weeks of 2025-09-08, 2025-09-15". */
export function weeksPhrase(need: PreparedNeed): string {
  const dates = need.weeks.map((week) => shanghaiDate(weekStart(week)));
  return dates.length === 1 ? `the week of ${dates[0]}` : `the weeks of ${dates.join(", ")}`;
}
