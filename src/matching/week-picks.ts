/**
 * The best teams (each with its earliest common free start) for one need, one social worker and
 * one ISO week: the inner search of the shortlist, and the repair's re-slotting. Teams are tried
 * best bound first across all skill groups (a merge of the groups' lists, team-order.ts), and the
 * search stops as soon as no untried team's bound reaches the bar.
 */
import { TIME_EPSILON } from "./bounds";
import { scoreInto, type WorkerSide } from "./pair-score";
import {
  bitCount,
  loadIn,
  type PreparedNeed,
  type PreparedTeam,
  type PreparedWorker,
} from "./prepare";
import { flatProximity, type Roster } from "./roster";
import { availabilityScore, loadScore } from "./score";
import { startInWeek } from "./slots";
import type { NeedTeams } from "./team-order";
import { earliestFreeStart, emptyTimeline, weekStart } from "./time";
import { scoreWeights } from "./weights";

/** A team for an option: its start in the option's week and the candidate's score. */
export interface TeamPick {
  team: number;
  start: number;
  score: number;
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

/** Negative when worker `a` ranks before `b` (by id). */
export function compareWorkers(roster: Roster, a: number, b: number): number {
  return compareIds(roster.workers[a]?.facts.id, roster.workers[b]?.facts.id);
}

/**
 * Inserts into a list kept sorted by `compare` (equal items keep insertion order) and at most
 * `limit` long; returns false when the item did not make the cut. The roster is passed through to
 * `compare` rather than closed over, so hot loops create no function per call.
 */
export function insertSorted<T>(
  list: T[],
  item: T,
  limit: number,
  compare: (roster: Roster, a: T, b: T) => number,
  roster: Roster,
): boolean {
  if (list.length >= limit && compare(roster, item, list[limit - 1] as T) >= 0) return false;
  let i = list.length < limit ? list.length : limit - 1;
  while (i > 0 && compare(roster, list[i - 1] as T, item) > 0) {
    list[i] = list[i - 1] as T;
    i--;
  }
  list[i] = item;
  return true;
}

const teamSide = { proximity: 0, familiarity: 0 };

/**
 * Up to `limit` best picks, best first, among the teams that can work with worker `w` in `week`
 * and score at least `bar`; undefined when there is none. Slots are searched in the roster's free
 * views (the plan so far), scores computed from the facts.
 */
export function picksInWeek(
  need: PreparedNeed,
  roster: Roster,
  teams: NeedTeams,
  w: number,
  side: WorkerSide,
  week: number,
  bar: number,
  limit: number,
): TeamPick[] | undefined {
  const worker = roster.workers[w] as PreparedWorker;
  const free = roster.freeWorkers[w] as PreparedWorker;
  // Every common free start is a free start of the worker alone: none, no pick; the first one
  // bounds availability better than the week's first window instant.
  const { windows, duration } = need;
  const until = weekStart(week + 1);
  const alone = earliestFreeStart(
    windows,
    duration,
    free.busy,
    emptyTimeline,
    weekStart(week),
    until,
  );
  if (Number.isNaN(alone)) return undefined;
  const { groups, cursor, offset } = teams;
  const weekBound =
    side.points +
    scoreWeights.availability * availabilityScore(alone, need.first, need.last) +
    scoreWeights.load * loadScore(loadIn(worker, week), worker.facts.weeklyCapacity) +
    TIME_EPSILON;
  for (let g = 0; g < groups.length; g++) {
    const covered = bitCount(need.wantedMask & (worker.skillMask | (groups[g]?.mask ?? 0)));
    cursor[g] = 0;
    offset[g] =
      covered === 0
        ? Number.NEGATIVE_INFINITY
        : weekBound + (scoreWeights.skillFit * covered) / need.wantedCount;
  }
  const { parts } = roster.index.scratch;
  let picks: TeamPick[] | undefined;
  for (;;) {
    let best = -1;
    let bound = Number.NEGATIVE_INFINITY;
    const unlisted = teams.nextPoints();
    for (let g = 0; g < groups.length; g++) {
      const base = offset[g] as number;
      if (base === Number.NEGATIVE_INFINITY) continue;
      const group = groups[g] as (typeof groups)[number];
      const i = cursor[g] as number;
      const next = base + (i < group.teams.length ? (group.points[i] as number) : unlisted);
      if (next > bound) {
        bound = next;
        best = g;
      }
    }
    if (best < 0 || bound < bar) return picks;
    const group = groups[best] as (typeof groups)[number];
    const i = cursor[best] as number;
    if (i >= group.teams.length) {
      teams.more();
      continue;
    }
    cursor[best] = i + 1;
    const t = group.teams[i] as number;
    const start = startInWeek(need, free, roster.freeTeams[t] as PreparedTeam, week);
    if (Number.isNaN(start)) continue;
    teamSide.proximity = flatProximity(teams.where, roster.index.teamRegion, t);
    teamSide.familiarity = teams.familiar.get(t) ?? 0;
    const team = roster.teams[t] as PreparedTeam;
    const score = scoreInto(parts, need, worker, side, team, teamSide, start);
    if (score < bar) continue;
    picks ??= [];
    insertSorted(picks, { team: t, start, score }, limit, comparePicks, roster);
    if (picks.length >= limit) bar = Math.max(bar, (picks[picks.length - 1] as TeamPick).score);
  }
}
