/**
 * Ranked candidates for one need: every (social worker, volunteer team) pair that passes the hard
 * filters, with its proposed start and explained score, best first.
 */

import {
  newPartValues,
  partsRecord,
  scoreInto,
  type TeamSide,
  teamSide,
  type WorkerSide,
  workerSide,
} from "./pair-score";
import {
  bitCount,
  type PreparedNeed,
  type PreparedTeam,
  type PreparedWorker,
  prepareNeed,
  prepareTeam,
  prepareWorker,
  teamExclusion,
  workerExclusion,
} from "./prepare";
import { proposedStart } from "./slots";
import type {
  Candidate,
  ExclusionCounts,
  ExclusionReason,
  NeedFacts,
  TeamFacts,
  WorkerFacts,
} from "./types";

/**
 * The order in which hard filters are tried; a pair excluded for several reasons is counted once,
 * under the first. Filters on the worker alone come first, then on the team alone, then on the
 * pair. `worker_at_capacity` is tried twice: for the worker alone (full in every week the windows
 * touch) before the team filters, and for the pair (it has common free slots, but only in weeks
 * where the worker is full) after `no_common_free_slot`.
 */
export const exclusionOrder: readonly ExclusionReason[] = [
  "worker_inactive",
  "declined_this_need",
  "certificate_below_minimum",
  "worker_at_capacity",
  "team_inactive",
  "team_too_small",
  "no_matching_skill",
  "no_common_free_slot",
];

export interface RankOptions {
  /** How many candidates to return (default 20). */
  limit?: number;
}

export interface RankResult {
  /** Best first: score descending, then earlier start, then worker id, then team id. */
  candidates: Candidate[];
  /** Pairs excluded by a hard filter, counted under the first failing reason. */
  excluded: ExclusionCounts;
  /** Pairs looked at: workers × teams. */
  considered: number;
}

/** Ranks every (worker, team) pair for the need; see exclusionOrder for the hard filters. */
export function rankCandidates(
  need: NeedFacts,
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
  options: RankOptions = {},
): RankResult {
  return rankPrepared(
    prepareNeed(need),
    workers.map(prepareWorker),
    teams.map(prepareTeam),
    options.limit ?? 20,
  );
}

interface Ranked {
  score: number;
  start: number;
  worker: PreparedWorker;
  workerSide: WorkerSide;
  team: PreparedTeam;
  teamSide: TeamSide;
}

/** Negative when `a` ranks before `b`. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.start !== b.start) return a.start - b.start;
  if (a.worker.facts.id !== b.worker.facts.id)
    return a.worker.facts.id < b.worker.facts.id ? -1 : 1;
  if (a.team.facts.id === b.team.facts.id) return 0;
  return a.team.facts.id < b.team.facts.id ? -1 : 1;
}

function count(excluded: ExclusionCounts, reason: ExclusionReason, pairs: number): void {
  if (pairs > 0) excluded[reason] = (excluded[reason] ?? 0) + pairs;
}

/** rankCandidates on prepared facts (prepared once when several needs share them). */
export function rankPrepared(
  need: PreparedNeed,
  workers: readonly PreparedWorker[],
  teams: readonly PreparedTeam[],
  limit: number,
): RankResult {
  const excluded: ExclusionCounts = {};
  const okTeams: { team: PreparedTeam; side: TeamSide }[] = [];
  const teamReasons: ExclusionReason[] = [];
  for (const team of teams) {
    const reason = teamExclusion(need, team);
    if (reason) teamReasons.push(reason);
    else okTeams.push({ team, side: teamSide(need, team) });
  }
  const okWorkers: { worker: PreparedWorker; side: WorkerSide }[] = [];
  for (const worker of workers) {
    const reason = workerExclusion(need, worker);
    if (reason) count(excluded, reason, teams.length);
    else okWorkers.push({ worker, side: workerSide(need, worker) });
  }
  for (const reason of teamReasons) count(excluded, reason, okWorkers.length);

  const best: Ranked[] = [];
  const parts = newPartValues();
  for (const { worker, side } of okWorkers) {
    for (const { team, side: tSide } of okTeams) {
      if (bitCount(need.wantedMask & (worker.skillMask | team.skillMask)) === 0) {
        count(excluded, "no_matching_skill", 1);
        continue;
      }
      const start = proposedStart(need, worker, team);
      if (typeof start === "string") {
        count(excluded, start, 1);
        continue;
      }
      if (limit <= 0) continue;
      const score = scoreInto(parts, need, worker, side, team, tSide, start);
      const ranked = { score, start, worker, workerSide: side, team, teamSide: tSide };
      insertBounded(best, ranked, limit);
    }
  }
  return {
    candidates: best.map((ranked) => toCandidate(need, ranked)),
    excluded,
    considered: workers.length * teams.length,
  };
}

/** Inserts into a list kept sorted by compareRanked and at most `limit` long. */
function insertBounded(list: Ranked[], item: Ranked, limit: number): void {
  if (list.length === limit && compareRanked(item, list[limit - 1] as Ranked) >= 0) return;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareRanked(list[mid] as Ranked, item) <= 0) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, item);
  if (list.length > limit) list.pop();
}

function toCandidate(need: PreparedNeed, ranked: Ranked): Candidate {
  const parts = newPartValues();
  const score = scoreInto(
    parts,
    need,
    ranked.worker,
    ranked.workerSide,
    ranked.team,
    ranked.teamSide,
    ranked.start,
  );
  return {
    needId: need.facts.id,
    socialWorkerId: ranked.worker.facts.id,
    teamId: ranked.team.facts.id,
    start: new Date(ranked.start),
    end: new Date(ranked.start + need.duration),
    score,
    parts: partsRecord(parts),
  };
}
