/**
 * A need's workers in descending order of their bound (bounds.ts), produced lazily. Workers near
 * the need (its county and city) and those with past work in its community are bounded one by
 * one; the rest of the province and beyond, most of the roster, is split into classes whose
 * members share one upper bound (certificate rank × which wanted skills they have, at province
 * distance), and a class is opened only when it could still beat the options already kept. A
 * worker's bound counts full availability and load points until it reaches the top of the queue;
 * only then are the weeks where it still has room looked up (timePoints), and it goes back in at
 * its exact bound. The workers come out exactly as bounding every worker and popping the best
 * would give them, minus those whose class never reached the bar.
 */
import {
  bestForKey,
  certificatePoints,
  markFamiliarity,
  provincePoints,
  TIME_EPSILON,
  TIME_POINTS,
  timePoints,
  workerBound,
} from "./bounds";
import type { PreparedNeed } from "./prepare";
import type { Roster } from "./roster";
import type { TeamGroup } from "./team-order";

/** Needs wanting more skills than this get one class per rank rather than one per skill key. */
const MAX_KEYED_SKILLS = 4;
const ANY_KEY = -1;

interface WorkerClass {
  rank: number;
  key: number;
  bound: number;
}

/** The next worker whose bound is at least `theta`, best first, or −1 when none is left. */
export type NextWorker = (theta: number) => number;

/** Opens the need's worker queue (see the module comment) over its team groups. */
export function workerQueue(need: PreparedNeed, roster: Roster, groups: TeamGroup[]): NextWorker {
  const { index } = roster;
  const { scratch } = index;
  scratch.stamp = (scratch.stamp + 1) >>> 0 || 1;
  const stamp = scratch.stamp;
  const { workerBound: bounds, heap, workerStamp, workerExact } = scratch;
  const { where } = need;
  const past = index.workerPast.get(need.facts.communityId);
  markFamiliarity(scratch.workerFamiliarity, scratch.familiarWorkers, past);
  let size = 0;
  const offer = (w: number) => {
    if (workerStamp[w] === stamp) return;
    workerStamp[w] = stamp;
    const bound = workerBound(need, roster, groups, where, w);
    if (bound === Number.NEGATIVE_INFINITY) return;
    bounds[w] = bound;
    size = siftUp(heap, size, bounds, w);
  };
  for (const [w] of past ?? []) offer(w);
  for (const w of index.workersByCounty.get(where[0]) ?? []) offer(w);
  for (const w of index.workersByCity.get(where[1]) ?? []) offer(w);

  const classes = workerClasses(need, roster, groups);
  let next = 0;
  const open = ({ rank, key }: WorkerClass) => {
    const list =
      key === ANY_KEY || key === 0
        ? index.workersByRank[rank]
        : index.workersByRankSkill[rank]?.[31 - Math.clz32(key & -key)];
    for (const w of list ?? []) {
      const worker = roster.workers[w];
      if (key !== ANY_KEY && ((worker?.skillMask ?? 0) & need.wantedMask) !== key) continue;
      offer(w);
    }
  };
  return (theta) => {
    for (;;) {
      const top = size > 0 ? (bounds[heap[0] as number] as number) : Number.NEGATIVE_INFINITY;
      const waiting = classes[next];
      if (waiting && waiting.bound >= theta && waiting.bound > top) {
        next++;
        open(waiting);
        continue;
      }
      if (size === 0 || top < theta) return -1;
      const best = heap[0] as number;
      heap[0] = heap[--size] as number;
      siftDown(heap, size, bounds, 0);
      if (workerExact[best] === stamp) return best;
      workerExact[best] = stamp;
      const time = timePoints(need, roster, best);
      if (time === Number.NEGATIVE_INFINITY) continue;
      bounds[best] = (bounds[best] as number) - (TIME_POINTS - time);
      size = siftUp(heap, size, bounds, best);
    }
  };
}

/** The classes of the workers beyond the need's city, best bound first. */
function workerClasses(need: PreparedNeed, roster: Roster, groups: TeamGroup[]): WorkerClass[] {
  const keys: number[] = [];
  if (need.wantedCount <= MAX_KEYED_SKILLS) {
    for (let key = need.wantedMask; ; key = (key - 1) & need.wantedMask) {
      keys.push(key);
      if (key === 0) break;
    }
  } else {
    keys.push(ANY_KEY);
  }
  const classes: WorkerClass[] = [];
  for (let rank = need.minimumRank; rank < roster.index.workersByRank.length; rank++) {
    for (const key of keys) {
      const group = bestForKey(need, roster, groups, key === ANY_KEY ? need.wantedMask : key);
      if (group === Number.NEGATIVE_INFINITY) continue;
      const bound =
        certificatePoints(need, rank) + provincePoints + TIME_POINTS + group + TIME_EPSILON;
      classes.push({ rank, key, bound });
    }
  }
  return classes.sort((a, b) => b.bound - a.bound);
}

/** Adds item to a max-heap on keys[heap[i]] of `size` items; returns the new size. */
function siftUp(heap: Int32Array, size: number, keys: Float64Array, item: number): number {
  const key = keys[item] as number;
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((keys[heap[parent] as number] as number) >= key) break;
    heap[i] = heap[parent] as number;
    i = parent;
  }
  heap[i] = item;
  return size + 1;
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
