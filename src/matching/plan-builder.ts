/**
 * A plan under construction: the entries so far, and the roster's free views updated with them,
 * so that slot searches and capacity checks see what has already been planned.
 */

import { newPartValues, partsRecord, scoreInto, teamSide, workerSide } from "./pair-score";
import type { PreparedNeed, PreparedTeam, PreparedWorker } from "./prepare";
import { type Roster, resetRoster } from "./roster";
import { weekOf, withInterval } from "./time";
import type { Candidate } from "./types";

/** The candidate (need, worker, team, start), scored from the facts as given. */
export function makeCandidate(
  need: PreparedNeed,
  worker: PreparedWorker,
  team: PreparedTeam,
  start: number,
): Candidate {
  const parts = newPartValues();
  const score = scoreInto(
    parts,
    need,
    worker,
    workerSide(need, worker),
    team,
    teamSide(need, team),
    start,
  );
  return {
    needId: need.facts.id,
    socialWorkerId: worker.facts.id,
    teamId: team.facts.id,
    start: new Date(start),
    end: new Date(start + need.duration),
    score,
    parts: partsRecord(parts),
  };
}

/** A planned (need, worker, team, start) by indices into the run; its Candidate comes later. */
export interface PlanEntry {
  worker: number;
  team: number;
  start: number;
  end: number;
  score: number;
}

export class PlanBuilder {
  readonly roster: Roster;
  /** Entry per need index. */
  readonly entries = new Map<number, PlanEntry>();
  total = 0;

  /** Starts an empty plan over the roster's workers and teams. */
  constructor(roster: Roster) {
    this.roster = resetRoster(roster);
  }

  /**
   * Plans the need with (worker, team, start), whose score the caller computed with scoreInto;
   * the caller has checked that it is feasible.
   */
  add(
    needIndex: number,
    need: PreparedNeed,
    worker: number,
    team: number,
    start: number,
    score: number,
  ) {
    const { roster } = this;
    const end = start + need.duration;
    // The free views start as the shared facts; each is copied once, on its first entry.
    let free = roster.freeWorkers[worker] as PreparedWorker;
    if (free === roster.workers[worker]) {
      free = { ...free, weekLoad: new Map(free.weekLoad) };
      roster.freeWorkers[worker] = free;
    }
    free.busy = withInterval(free.busy, start, end);
    const week = weekOf(start);
    free.weekLoad.set(week, (free.weekLoad.get(week) ?? 0) + 1);
    let freeTeam = roster.freeTeams[team] as PreparedTeam;
    if (freeTeam === roster.teams[team]) {
      freeTeam = { ...freeTeam };
      roster.freeTeams[team] = freeTeam;
    }
    freeTeam.busy = withInterval(freeTeam.busy, start, end);
    this.entries.set(needIndex, { worker, team, start, end, score });
    this.total += score;
  }

  /** The plan's entries as explained candidates, in need order. */
  candidates(needs: readonly PreparedNeed[]): Candidate[] {
    return [...this.entries]
      .sort(([a], [b]) => a - b)
      .map(([index, entry]) =>
        makeCandidate(
          needs[index] as PreparedNeed,
          this.roster.workers[entry.worker] as PreparedWorker,
          this.roster.teams[entry.team] as PreparedTeam,
          entry.start,
        ),
      );
  }
}
