/**
 * The workers and teams of a run, with what the shortlist's inner loops need laid out flat
 * (typed arrays of region codes, skill masks, certificate ranks) so that bounding every worker
 * and team for a need costs a few nanoseconds each and allocates nothing.
 */
import { serviceTypes } from "../domain/vocabulary";
import { newPartValues, type PartValues } from "./pair-score";
import type { PreparedTeam, PreparedWorker } from "./prepare";
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
  scratch: {
    workerBound: Float64Array;
    workerFamiliarity: Float64Array;
    teamPoints: Float64Array;
    teamFamiliarity: Float64Array;
    heap: Int32Array;
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
  const number = (code: string | undefined) => (code === undefined ? -1 : Number(code));
  return [number(key.county), number(key.city), number(key.province)];
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

/** A roster with nothing planned yet. */
export function createRoster(workers: PreparedWorker[], teams: PreparedTeam[]): Roster {
  const index: RosterIndex = {
    workerRegion: flatRegions(workers.map((worker) => worker.region)),
    teamRegion: flatRegions(teams.map((team) => team.region)),
    workerPast: pastIndex(workers),
    teamPast: pastIndex(teams),
    scratch: {
      workerBound: new Float64Array(workers.length),
      workerFamiliarity: new Float64Array(workers.length),
      teamPoints: new Float64Array(teams.length),
      teamFamiliarity: new Float64Array(teams.length),
      heap: new Int32Array(workers.length),
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

/**
 * keyProximity on flat region numbers: same county 1.0, same city 0.6, same province 0.3.
 * `flat` holds 3 numbers per record; `need` is the community's [county, city, province].
 */
export function flatProximity(need: [number, number, number], flat: Int32Array, i: number) {
  const county = flat[3 * i] as number;
  if (need[0] < 0 || county < 0) return 0;
  if (need[0] === county) return 1;
  if (need[1] === flat[3 * i + 1]) return 0.6;
  if (need[2] === flat[3 * i + 2]) return 0.3;
  return 0;
}
