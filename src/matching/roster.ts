/**
 * The workers and teams of a run, with what the shortlist's inner loops need laid out flat
 * (typed arrays of region codes, lists of workers by place, rank and skill) so that a need's
 * shortlist touches the few workers near it and opens the rest of the roster only by classes.
 */
import { certificateLevels, serviceTypes } from "../domain/vocabulary";
import { newPartValues, type PartValues } from "./pair-score";
import { codeNumber, type PreparedTeam, type PreparedWorker } from "./prepare";
import type { RegionKey } from "./score";

const SKILL_KEYS = 1 << serviceTypes.length;

/** Flat, need-independent facts, plus scratch buffers reused from one need to the next. */
export interface RosterIndex {
  /** county, city, province codes as numbers (−1 when malformed), 3 per worker. */
  workerRegion: Int32Array;
  /** Same for teams. */
  teamRegion: Int32Array;
  /** communityId → [worker index, completed events there]. */
  workerPast: Map<string, [number, number][]>;
  /** communityId → [team index, completed events there]. */
  teamPast: Map<string, [number, number][]>;
  /** Active workers by county number and by city number. */
  workersByCounty: Map<number, Int32Array>;
  workersByCity: Map<number, Int32Array>;
  /** Active workers by certificate rank, and by rank and skill (bit index). */
  workersByRank: Int32Array[];
  workersByRankSkill: Int32Array[][];
  /** Active teams by county number and by city number. */
  teamsByCounty: Map<number, Int32Array>;
  teamsByCity: Map<number, Int32Array>;
  /** Each skill mask active teams have, with the largest such team's size. */
  teamMaskSizes: [number, number][];
  /** Team-order.ts's groups by wanted mask and team size, computed once per run. */
  groupMaskCache: Map<number, number[]>;
  scratch: {
    workerBound: Float64Array;
    workerFamiliarity: Float64Array;
    /** Workers whose familiarity is set for the current need (reset before the next). */
    familiarWorkers: number[];
    heap: Int32Array;
    /** Holds the current stamp for workers already bounded for the current need. */
    workerStamp: Uint32Array;
    /** Holds the current stamp for workers whose bound counts their actual time points. */
    workerExact: Uint32Array;
    parts: PartValues;
    /** Best skill + team points per worker skill key, for the need stamped in bestKnown. */
    bestByKey: Float64Array;
    bestKnown: Uint32Array;
    stamp: number;
  };
}

/**
 * The workers and teams in two views: `workers`/`teams` are the facts as given, and every score
 * is computed from them; `free…` are what is still free while a plan is being built (their busy
 * times and weekly loads include the entries planned so far).
 */
export interface Roster {
  workers: readonly PreparedWorker[];
  teams: readonly PreparedTeam[];
  freeWorkers: PreparedWorker[];
  freeTeams: PreparedTeam[];
  index: RosterIndex;
}

/** County, city and province of a region key as numbers, −1 where undefined. */
export function regionNumbers(key: RegionKey): [number, number, number] {
  return [codeNumber(key.county), codeNumber(key.city), codeNumber(key.province)];
}

function flatRegions(keys: RegionKey[]): Int32Array {
  const flat = new Int32Array(keys.length * 3);
  keys.forEach((key, i) => {
    flat.set(regionNumbers(key), 3 * i);
  });
  return flat;
}

function pastIndex(records: { past: Map<string, number> }[]): Map<string, [number, number][]> {
  const index = new Map<string, [number, number][]>();
  records.forEach((record, i) => {
    for (const [community, count] of record.past) {
      if (count <= 0) continue;
      const list = index.get(community);
      if (list) list.push([i, count]);
      else index.set(community, [[i, count]]);
    }
  });
  return index;
}

/** Indices of `count` records listed under each key `keysOf` gives them (none: left out). */
function listsBy(count: number, keysOf: (i: number) => number[]): Map<number, Int32Array> {
  const lists = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    for (const key of keysOf(i)) {
      const list = lists.get(key);
      if (list) list.push(i);
      else lists.set(key, [i]);
    }
  }
  return new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)]));
}

function workerIndexes(workers: PreparedWorker[], region: Int32Array) {
  const active = (w: number) => workers[w]?.facts.active === true;
  const placed = (offset: number) => (w: number) => {
    const code = region[3 * w + offset] as number;
    return active(w) && code >= 0 ? [code] : [];
  };
  const rank = (w: number) => (workers[w] as PreparedWorker).certificateRank;
  const byRank = listsBy(workers.length, (w) => (active(w) ? [rank(w)] : []));
  const byRankSkill = listsBy(workers.length, (w) => {
    if (!active(w)) return [];
    const mask = (workers[w] as PreparedWorker).skillMask;
    return serviceTypes.flatMap((_, s) => (mask & (1 << s) ? [rank(w) * 32 + s] : []));
  });
  const empty = new Int32Array(0);
  return {
    workersByCounty: listsBy(workers.length, placed(0)),
    workersByCity: listsBy(workers.length, placed(1)),
    workersByRank: certificateLevels.map((_, r) => byRank.get(r) ?? empty),
    workersByRankSkill: certificateLevels.map((_, r) =>
      serviceTypes.map((_, s) => byRankSkill.get(r * 32 + s) ?? empty),
    ),
  };
}

function teamIndexes(teams: PreparedTeam[], region: Int32Array) {
  const placed = (offset: number) => (t: number) => {
    const code = region[3 * t + offset] as number;
    return teams[t]?.facts.active && code >= 0 ? [code] : [];
  };
  const sizes = new Map<number, number>();
  for (const team of teams) {
    if (!team.facts.active) continue;
    sizes.set(team.skillMask, Math.max(sizes.get(team.skillMask) ?? 0, team.facts.size));
  }
  return {
    teamsByCounty: listsBy(teams.length, placed(0)),
    teamsByCity: listsBy(teams.length, placed(1)),
    teamMaskSizes: [...sizes],
    groupMaskCache: new Map<number, number[]>(),
  };
}

/** A roster with nothing planned yet. */
export function createRoster(workers: PreparedWorker[], teams: PreparedTeam[]): Roster {
  const workerRegion = flatRegions(workers.map((worker) => worker.region));
  const teamRegion = flatRegions(teams.map((team) => team.region));
  const index: RosterIndex = {
    workerRegion,
    teamRegion,
    workerPast: pastIndex(workers),
    teamPast: pastIndex(teams),
    ...workerIndexes(workers, workerRegion),
    ...teamIndexes(teams, teamRegion),
    scratch: {
      workerBound: new Float64Array(workers.length),
      workerFamiliarity: new Float64Array(workers.length),
      familiarWorkers: [],
      heap: new Int32Array(workers.length),
      workerStamp: new Uint32Array(workers.length),
      workerExact: new Uint32Array(workers.length),
      parts: newPartValues(),
      bestByKey: new Float64Array(SKILL_KEYS),
      bestKnown: new Uint32Array(SKILL_KEYS),
      stamp: 0,
    },
  };
  return { workers, teams, freeWorkers: [...workers], freeTeams: [...teams], index };
}

/** The same workers and teams with nothing planned yet, sharing the index. */
export function resetRoster(roster: Roster): Roster {
  return { ...roster, freeWorkers: [...roster.workers], freeTeams: [...roster.teams] };
}

/** Proximity by tier: same county 1.0, same city 0.6, same province 0.3, elsewhere 0. */
export const tierProximity = [1, 0.6, 0.3, 0] as const;

/**
 * The tier of record i (3 numbers per record in `flat`) relative to a need's [county, city,
 * province]: 0 same county, 1 same city, 2 same province, 3 elsewhere or a malformed code.
 */
export function flatTier(need: [number, number, number], flat: Int32Array, i: number): number {
  const county = flat[3 * i] as number;
  if (need[0] < 0 || county < 0) return 3;
  if (need[0] === county) return 0;
  if (need[1] === flat[3 * i + 1]) return 1;
  if (need[2] === flat[3 * i + 2]) return 2;
  return 3;
}

/** keyProximity on flat region numbers (see flatTier). */
export function flatProximity(need: [number, number, number], flat: Int32Array, i: number) {
  return tierProximity[flatTier(need, flat, i)] as number;
}
