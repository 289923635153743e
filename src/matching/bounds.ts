/**
 * Upper bounds for the shortlist's branch and bound: the best option a worker could have for the
 * need, from its own side points and the best team group (team-order.ts) its skills pair with.
 * Works on the roster's flat arrays and scratch buffers, so it allocates little per need.
 */

import { certificateTable } from "./pair-score";
import { bitCount, hasRoom, loadIn, type PreparedNeed, type PreparedWorker } from "./prepare";
import { flatTier, type Roster } from "./roster";
import { availabilityScore, familiarity, loadScore } from "./score";
import { type TeamGroup, tierPoints } from "./team-order";
import { scoreWeights } from "./weights";

/** Availability and load together earn at most this many points. */
export const TIME_POINTS = scoreWeights.availability + scoreWeights.load;
/** Bounds are padded so that rounding can never make one fall below the exact score. */
export const TIME_EPSILON = 1e-9;

/**
 * Sets `values` to the familiarity of the records with past work in the need's community, after
 * clearing those the previous need set (listed in `touched`), so no pass over every record.
 */
export function markFamiliarity(
  values: Float64Array,
  touched: number[],
  past: [number, number][] | undefined,
): Float64Array {
  for (const i of touched) values[i] = 0;
  touched.length = 0;
  for (const [i, count] of past ?? []) {
    values[i] = familiarity(count);
    touched.push(i);
  }
  return values;
}

/**
 * The best skill-fit + team points a worker whose wanted skills are `key` can reach with some
 * group, or −∞ when no group pairs with it; cached per key for the need stamped in bestKnown.
 */
export function bestForKey(need: PreparedNeed, roster: Roster, groups: TeamGroup[], key: number) {
  const { bestByKey, bestKnown, stamp } = roster.index.scratch;
  if (bestKnown[key] === stamp) return bestByKey[key] as number;
  let best = Number.NEGATIVE_INFINITY;
  for (const group of groups) {
    const covered = bitCount(need.wantedMask & (key | group.mask));
    const value = (scoreWeights.skillFit * covered) / need.wantedCount + group.top;
    if (covered > 0 && value > best) best = value;
  }
  bestByKey[key] = best;
  bestKnown[key] = stamp;
  return best;
}

/** Certificate points of a worker of rank `rank` for the need. */
export function certificatePoints(need: PreparedNeed, rank: number): number {
  return scoreWeights.certificate * (certificateTable[rank]?.[need.minimumRank] ?? 0);
}

/**
 * The most availability and load can earn with worker w in one of the need's weeks where it
 * still has room (in the roster's free view), or −∞ when it has room in none: at most
 * TIME_POINTS, which workerBound counts instead.
 */
export function timePoints(need: PreparedNeed, roster: Roster, w: number): number {
  const worker = roster.workers[w] as PreparedWorker;
  const free = roster.freeWorkers[w] as PreparedWorker;
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < need.weeks.length; k++) {
    const week = need.weeks[k] as number;
    if (!hasRoom(free, week)) continue;
    const first = need.weekFirstStart[k] as number;
    const points =
      scoreWeights.availability * availabilityScore(first, need.first, need.last) +
      scoreWeights.load * loadScore(loadIn(worker, week), worker.facts.weeklyCapacity);
    if (points > best) best = points;
  }
  return best;
}

/**
 * The most worker w's best option for the need can score (its side points, the best group for
 * its skills with that group's best team, full time points), or −∞ when it cannot serve it.
 */
export function workerBound(
  need: PreparedNeed,
  roster: Roster,
  groups: TeamGroup[],
  where: [number, number, number],
  w: number,
): number {
  const worker = roster.workers[w] as PreparedWorker;
  if (!worker.facts.active || worker.certificateRank < need.minimumRank) {
    return Number.NEGATIVE_INFINITY;
  }
  const { workerRegion, scratch } = roster.index;
  const group = bestForKey(need, roster, groups, worker.skillMask & need.wantedMask);
  if (group === Number.NEGATIVE_INFINITY) return group;
  return (
    certificatePoints(need, worker.certificateRank) +
    (tierPoints[flatTier(where, workerRegion, w)] as number) +
    (scoreWeights.pastWork * (scratch.workerFamiliarity[w] as number)) / 2 +
    TIME_POINTS +
    group +
    TIME_EPSILON
  );
}

/** Distance points a worker or team in the need's province but outside its city earns. */
export const provincePoints = tierPoints[2] as number;
