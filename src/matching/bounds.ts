/**
 * Upper bounds for the shortlist's branch and bound: teams grouped by the wanted skills they have,
 * each group best team side first, and every worker's best possible option for the need. Works on
 * the roster's flat arrays and scratch buffers, so it allocates next to nothing per need.
 */

import { certificateTable } from "./pair-score";
import { bitCount, type PreparedNeed, teamExclusion } from "./prepare";
import { flatProximity, type Roster, regionNumbers } from "./roster";
import { familiarity } from "./score";
import { scoreWeights } from "./weights";

/** Availability and load together earn at most this many points. */
const TIME_POINTS = scoreWeights.availability + scoreWeights.load;
/** Bounds are padded so that rounding can never make one fall below the exact score. */
export const TIME_EPSILON = 1e-9;

export interface SkillGroup {
  /** The wanted skills these teams have. */
  mask: number;
  /** Team indices, best side points first (then lower index). */
  teams: number[];
  /** Side points of the first team. */
  top: number;
}

/** Inserts team t into a group's list, keeping it sorted by side points descending. */
function insertByPoints(teams: number[], t: number, points: Float64Array): void {
  let i = teams.length;
  teams.push(t);
  const key = points[t] as number;
  while (i > 0 && (points[teams[i - 1] as number] as number) < key) {
    teams[i] = teams[i - 1] as number;
    i--;
  }
  teams[i] = t;
}

/** Eligible teams grouped by the wanted skills they have; side points go to scratch.teamPoints. */
export function teamGroups(need: PreparedNeed, roster: Roster): SkillGroup[] {
  const { teamRegion, teamPast, scratch } = roster.index;
  const where = regionNumbers(need.region);
  const points = scratch.teamPoints;
  const known = scratch.teamFamiliarity.fill(0);
  for (const [team, count] of teamPast.get(need.facts.communityId) ?? []) {
    known[team] = familiarity(count);
  }
  const groups: SkillGroup[] = [];
  const teams = roster.freeTeams;
  for (let t = 0; t < teams.length; t++) {
    const team = teams[t];
    if (!team || teamExclusion(need, team)) continue;
    points[t] =
      (scoreWeights.distance * flatProximity(where, teamRegion, t)) / 2 +
      (scoreWeights.pastWork * (known[t] as number)) / 2;
    const mask = team.skillMask & need.wantedMask;
    let group: SkillGroup | undefined;
    for (let g = 0; g < groups.length && !group; g++) {
      if ((groups[g] as SkillGroup).mask === mask) group = groups[g];
    }
    if (group) insertByPoints(group.teams, t, points);
    else groups.push({ mask, teams: [t], top: 0 });
  }
  for (const group of groups) group.top = points[group.teams[0] as number] as number;
  // Most wanted skills first, then best team: the first group tried usually sets the bar.
  groups.sort((a, b) => bitCount(b.mask) - bitCount(a.mask) || b.top - a.top);
  return groups;
}

/**
 * Bounds every worker's best option for the need (its side points, the best skill group with
 * that group's best team, full time points) into scratch.workerBound, and heapifies the workers
 * the cheap filters (inactive, certificate, no wanted skill anywhere) let through into
 * scratch.heap; returns how many.
 */
export function boundWorkers(need: PreparedNeed, roster: Roster, groups: SkillGroup[]): number {
  const { workerRegion, workerPast, scratch } = roster.index;
  const { workerBound: bound, heap } = scratch;
  const where = regionNumbers(need.region);
  const known = scratch.workerFamiliarity.fill(0);
  for (const [worker, count] of workerPast.get(need.facts.communityId) ?? []) {
    known[worker] = familiarity(count);
  }
  // The best skill + team points depend on the worker only through the wanted skills it has:
  // cached per skill key, valid while bestKnown[key] holds this need's stamp.
  const { bestByKey, bestKnown } = scratch;
  scratch.stamp = (scratch.stamp + 1) >>> 0 || 1;
  const stamp = scratch.stamp;
  let size = 0;
  const workers = roster.workers;
  for (let w = 0; w < workers.length; w++) {
    const worker = workers[w];
    if (!worker?.facts.active || worker.certificateRank < need.minimumRank) continue;
    const key = worker.skillMask & need.wantedMask;
    if (bestKnown[key] !== stamp) {
      let best = Number.NEGATIVE_INFINITY;
      for (const group of groups) {
        const covered = bitCount(need.wantedMask & (key | group.mask));
        const value = (scoreWeights.skillFit * covered) / need.wantedCount + group.top;
        if (covered > 0 && value > best) best = value;
      }
      bestByKey[key] = best;
      bestKnown[key] = stamp;
    }
    const group = bestByKey[key] as number;
    if (group === Number.NEGATIVE_INFINITY) continue;
    const certificate = certificateTable[worker.certificateRank]?.[need.minimumRank] ?? 0;
    bound[w] =
      scoreWeights.certificate * certificate +
      (scoreWeights.distance * flatProximity(where, workerRegion, w)) / 2 +
      (scoreWeights.pastWork * (known[w] as number)) / 2 +
      TIME_POINTS +
      group +
      TIME_EPSILON;
    heap[size++] = w;
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, size, bound, i);
  return size;
}

/** Max-heap on keys[heap[i]]. */
function siftDown(heap: Int32Array, size: number, keys: Float64Array, from: number): void {
  let i = from;
  const item = heap[i] as number;
  const key = keys[item] as number;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    const right = child + 1;
    const childKey = keys[heap[child] as number] as number;
    if (right < size && (keys[heap[right] as number] as number) > childKey) child = right;
    if ((keys[heap[child] as number] as number) <= key) break;
    heap[i] = heap[child] as number;
    i = child;
  }
  heap[i] = item;
}

/** Removes and returns the top of a heap of `size` items (the caller shrinks its size by one). */
export function popBest(heap: Int32Array, size: number, keys: Float64Array): number {
  const top = heap[0] as number;
  heap[0] = heap[size - 1] as number;
  siftDown(heap, size - 1, keys, 0);
  return top;
}
