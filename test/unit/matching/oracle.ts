/**
 * An independent, slow re-implementation of the matching rules for property tests: candidates by
 * plain enumeration (every worker, team and week; starts tried at every window start, busy end and
 * week start); plans are searched in oracle-plans.ts. Shares only the per-part score
 * functions with the engine, which score.test.ts tests on their own.
 */
import { meetsCertificateLevel } from "../../../src/domain/vocabulary";
import {
  availabilityScore,
  certificateScore,
  distanceScore,
  loadScore,
  pastWorkScore,
  skillFitScore,
  wantedSkills,
} from "../../../src/matching/score";
import { weekOf, weekStart } from "../../../src/matching/time";
import type {
  ExclusionCounts,
  Interval,
  NeedFacts,
  TeamFacts,
  WorkerFacts,
} from "../../../src/matching/types";
import { scoreWeights } from "../../../src/matching/weights";

export interface OracleCandidate {
  need: string;
  worker: string;
  team: string;
  start: number;
  end: number;
  week: number;
  score: number;
}

export const overlaps = (a: Interval, start: number, end: number) =>
  a.start.getTime() < end && start < a.end.getTime();

export function inWindows(need: NeedFacts, start: number): boolean {
  return need.windows.some((w) => w.start.getTime() <= start && start < w.end.getTime());
}

function weeksOf(need: NeedFacts): number[] {
  const weeks = new Set<number>();
  for (const w of need.windows) {
    if (w.end <= w.start) continue;
    for (let k = weekOf(w.start.getTime()); k <= weekOf(w.end.getTime() - 1); k++) weeks.add(k);
  }
  return [...weeks].sort((a, b) => a - b);
}

export function loadIn(worker: WorkerFacts, week: number): number {
  return worker.busy.filter((event) => weekOf(event.start.getTime()) === week).length;
}

/** The earliest free start of the pair inside `week`, or undefined. */
function earliestIn(need: NeedFacts, worker: WorkerFacts, team: TeamFacts, week: number) {
  const duration = need.durationMinutes * 60_000;
  const points = [
    weekStart(week),
    ...need.windows.map((w) => w.start.getTime()),
    ...[...worker.busy, ...team.busy].map((b) => b.end.getTime()),
  ].sort((a, b) => a - b);
  return points.find(
    (start) =>
      weekOf(start) === week &&
      inWindows(need, start) &&
      ![...worker.busy, ...team.busy].some((b) => overlaps(b, start, start + duration)),
  );
}

export function oracleScore(
  need: NeedFacts,
  worker: WorkerFacts,
  team: TeamFacts,
  start: number,
): number {
  const starts = need.windows.map((w) => w.start.getTime());
  const ends = need.windows.map((w) => w.end.getTime());
  const load = loadIn(worker, weekOf(start));
  return (
    scoreWeights.skillFit * skillFitScore(wantedSkills(need), worker.skills, team.skills) +
    scoreWeights.certificate * certificateScore(worker.certificateLevel, need.minCertificateLevel) +
    scoreWeights.distance *
      distanceScore(need.communityCode, worker.homeCountyCode, team.countyCode) +
    scoreWeights.availability * availabilityScore(start, Math.min(...starts), Math.max(...ends)) +
    scoreWeights.load * loadScore(load, worker.weeklyCapacity) +
    scoreWeights.pastWork *
      pastWorkScore(
        worker.pastEventsByCommunity[need.communityId] ?? 0,
        team.pastEventsByCommunity[need.communityId] ?? 0,
      )
  );
}

/** Hard filters of the pair itself, in the documented order (capacity and slots aside). */
export function pairReason(need: NeedFacts, worker: WorkerFacts, team: TeamFacts) {
  if (!worker.active) return "worker_inactive";
  if (!meetsCertificateLevel(worker.certificateLevel, need.minCertificateLevel)) {
    return "certificate_below_minimum";
  }
  const weeks = weeksOf(need);
  if (weeks.length > 0 && weeks.every((k) => loadIn(worker, k) >= worker.weeklyCapacity)) {
    return "worker_at_capacity";
  }
  if (!team.active) return "team_inactive";
  if (team.size < need.volunteersNeeded) return "team_too_small";
  if (skillFitScore(wantedSkills(need), worker.skills, team.skills) === 0) {
    return "no_matching_skill";
  }
  return undefined;
}

/** Every (worker, team, week) candidate of the need: the earliest free start in that week. */
export function oracleCandidates(
  need: NeedFacts,
  workers: WorkerFacts[],
  teams: TeamFacts[],
): OracleCandidate[] {
  const candidates: OracleCandidate[] = [];
  for (const worker of workers) {
    for (const team of teams) {
      if (pairReason(need, worker, team)) continue;
      for (const week of weeksOf(need)) {
        if (loadIn(worker, week) >= worker.weeklyCapacity) continue;
        const start = earliestIn(need, worker, team, week);
        if (start === undefined) continue;
        const end = start + need.durationMinutes * 60_000;
        const score = oracleScore(need, worker, team, start);
        candidates.push({
          need: need.id,
          worker: worker.id,
          team: team.id,
          start,
          end,
          week,
          score,
        });
      }
    }
  }
  return candidates;
}

/** rankCandidates' view: per pair, the candidate of the first week with room and a slot. */
export function oracleRanking(need: NeedFacts, workers: WorkerFacts[], teams: TeamFacts[]) {
  const excluded: ExclusionCounts = {};
  const count = (reason: keyof ExclusionCounts) => {
    excluded[reason] = (excluded[reason] ?? 0) + 1;
  };
  const candidates: OracleCandidate[] = [];
  for (const worker of workers) {
    for (const team of teams) {
      const reason = pairReason(need, worker, team);
      if (reason) {
        count(reason);
        continue;
      }
      const weeks = weeksOf(need);
      const firstFree = (withRoomOnly: boolean) =>
        weeks
          .filter((k) => !withRoomOnly || loadIn(worker, k) < worker.weeklyCapacity)
          .map((k) => earliestIn(need, worker, team, k))
          .find((start) => start !== undefined);
      const start = firstFree(true);
      if (start === undefined) {
        count(firstFree(false) === undefined ? "no_common_free_slot" : "worker_at_capacity");
        continue;
      }
      const end = start + need.durationMinutes * 60_000;
      const score = oracleScore(need, worker, team, start);
      candidates.push({
        need: need.id,
        worker: worker.id,
        team: team.id,
        start,
        end,
        week: weekOf(start),
        score,
      });
    }
  }
  return { candidates, excluded };
}

/** True when no two candidates of different needs share a worker or a team at overlapping times. */
export function conflictFree(candidates: OracleCandidate[]): boolean {
  return candidates.every((a, i) =>
    candidates
      .slice(i + 1)
      .every(
        (b) =>
          a.need === b.need ||
          (a.worker !== b.worker && a.team !== b.team) ||
          a.end <= b.start ||
          b.end <= a.start,
      ),
  );
}
