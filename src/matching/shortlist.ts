/**
 * The batch run's view of one need: its best "options", one per (social worker, ISO week), each
 * with the best team (or few) and its earliest common free start in that week. An option is one
 * arc of the assignment flow.
 *
 * Found by branch and bound rather than by scoring every (worker, team, week): the certificate,
 * distance and past-work points split into a worker side and a team side, skill fit depends only
 * on which of the wanted skills the team has (a few groups), and availability and load are
 * bounded per week (bounds.ts). Workers are visited best bound first and teams best side first,
 * and a branch stops as soon as its bound cannot beat what is already kept. The options kept are
 * exactly the top ones (same scores, same tie-breaks) that scoring every triple would give; only
 * a kept option's second and later teams may be missed when they score below the last kept
 * option. Allocation-free in the inner loops: this runs once per need per batch.
 */
import { boundWorkers, popBest, TIME_EPSILON, teamGroups } from "./bounds";
import { scoreInto, workerSide } from "./pair-score";
import {
  bitCount,
  hasRoom,
  loadIn,
  type PreparedNeed,
  type PreparedTeam,
  type PreparedWorker,
} from "./prepare";
import { flatProximity, type Roster, regionNumbers } from "./roster";
import { availabilityScore, loadScore } from "./score";
import { startInWeek } from "./slots";
import { scoreWeights } from "./weights";

/** A team for an option: its start in the option's week and the candidate's score. */
export interface TeamPick {
  team: number;
  start: number;
  score: number;
}

/** One (worker, week) for a need; `picks` best first, so picks[0].score is the option's score. */
export interface NeedOption {
  worker: number;
  week: number;
  picks: TeamPick[];
}

export interface ShortlistLimits {
  /** Options kept for the need. */
  options: number;
  /** Teams kept per option. */
  teamsPerOption: number;
}

function compareIds(a = "", b = ""): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Negative when pick `a` ranks before `b`: score, then start, then team id. */
export function comparePicks(roster: Roster, a: TeamPick, b: TeamPick): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.start !== b.start) return a.start - b.start;
  return compareIds(roster.teams[a.team]?.facts.id, roster.teams[b.team]?.facts.id);
}

/** Negative when option `a` ranks before `b`: best pick, then worker id. */
export function compareOptions(roster: Roster, a: NeedOption, b: NeedOption): number {
  const pa = a.picks[0] as TeamPick;
  const pb = b.picks[0] as TeamPick;
  if (pa.score !== pb.score) return pb.score - pa.score;
  if (pa.start !== pb.start) return pa.start - pb.start;
  const byWorker = compareIds(
    roster.workers[a.worker]?.facts.id,
    roster.workers[b.worker]?.facts.id,
  );
  return byWorker !== 0 ? byWorker : comparePicks(roster, pa, pb);
}

/**
 * Inserts into a list kept sorted by `compare` (equal items keep insertion order) and at most
 * `limit` long; returns false when the item did not make the cut.
 */
export function insertSorted<T>(
  list: T[],
  item: T,
  limit: number,
  compare: (a: T, b: T) => number,
): boolean {
  if (list.length >= limit && compare(item, list[limit - 1] as T) >= 0) return false;
  let i = list.length < limit ? list.length : limit - 1;
  while (i > 0 && compare(list[i - 1] as T, item) > 0) {
    list[i] = list[i - 1] as T;
    i--;
  }
  list[i] = item;
  return true;
}

/** The need's best options, best first (see the module comment). */
export function shortlistNeed(
  need: PreparedNeed,
  roster: Roster,
  limits: ShortlistLimits,
): NeedOption[] {
  if (limits.options <= 0) return [];
  const groups = teamGroups(need, roster);
  if (groups.length === 0) return [];
  let size = boundWorkers(need, roster, groups);
  const { teamRegion, scratch } = roster.index;
  const { workerBound, teamPoints, teamFamiliarity, parts } = scratch;
  const where = regionNumbers(need.region);
  const options: NeedOption[] = [];
  const byRank = (a: NeedOption, b: NeedOption) => compareOptions(roster, a, b);
  const byPick = (a: TeamPick, b: TeamPick) => comparePicks(roster, a, b);
  const teamSide = { proximity: 0, familiarity: 0 };
  /** The score an option must reach to be kept. */
  let theta = Number.NEGATIVE_INFINITY;

  while (size > 0) {
    const w = popBest(scratch.heap, size--, workerBound);
    if ((workerBound[w] as number) < theta) break;
    const worker = roster.workers[w] as PreparedWorker;
    const free = roster.freeWorkers[w] as PreparedWorker;
    const side = workerSide(need, worker);
    for (let k = 0; k < need.weeks.length; k++) {
      const week = need.weeks[k] as number;
      if (!hasRoom(free, week)) continue;
      const weekBound =
        side.points +
        scoreWeights.availability *
          availabilityScore(need.weekFirstStart[k] as number, need.first, need.last) +
        scoreWeights.load * loadScore(loadIn(worker, week), worker.facts.weeklyCapacity) +
        TIME_EPSILON;
      let picks: TeamPick[] | undefined;
      let bar = theta;
      for (const group of groups) {
        const covered = bitCount(need.wantedMask & (worker.skillMask | group.mask));
        const skill = (scoreWeights.skillFit * covered) / need.wantedCount;
        if (covered === 0 || weekBound + skill + group.top < bar) continue;
        for (const t of group.teams) {
          if (weekBound + skill + (teamPoints[t] as number) < bar) break;
          const start = startInWeek(need, free, roster.freeTeams[t] as PreparedTeam, week);
          if (Number.isNaN(start)) continue;
          teamSide.proximity = flatProximity(where, teamRegion, t);
          teamSide.familiarity = teamFamiliarity[t] as number;
          const team = roster.teams[t] as PreparedTeam;
          const score = scoreInto(parts, need, worker, side, team, teamSide, start);
          if (score < bar) continue;
          picks ??= [];
          insertSorted(picks, { team: t, start, score }, limits.teamsPerOption, byPick);
          if (picks.length >= limits.teamsPerOption) {
            bar = Math.max(theta, (picks[picks.length - 1] as TeamPick).score);
          }
        }
      }
      if (!picks) continue;
      insertSorted(options, { worker: w, week, picks }, limits.options, byRank);
      if (options.length >= limits.options) {
        theta = ((options[limits.options - 1] as NeedOption).picks[0] as TeamPick).score;
      }
    }
  }
  return options;
}
