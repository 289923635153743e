/**
 * The batch run's view of one need: its best "options", one per (social worker, ISO week), each
 * with the best team (or few) and its earliest common free start in that week. An option is one
 * arc of the assignment flow.
 *
 * Found by branch and bound rather than by scoring every (worker, team, week): the certificate,
 * distance and past-work points split into a worker side and a team side, skill fit depends only
 * on which of the wanted skills the team has (a few groups), and availability and load are
 * bounded per week (bounds.ts). Workers are visited best bound first (worker-queue.ts, which
 * bounds the workers near the need one by one and the rest of the roster by classes), teams best
 * bound first (week-picks.ts, over team-order.ts's lists, which reach beyond the need's city only
 * when a search gets that far), and a branch stops as soon as its bound cannot beat what is
 * already kept. The options kept are exactly the top ones (same scores, same tie-breaks) that
 * scoring every triple would give; only a kept option's second and later teams may be missed when
 * they score below the last kept option.
 */
import { sideWith } from "./pair-score";
import { hasRoom, type PreparedNeed, type PreparedWorker } from "./prepare";
import { flatProximity, type Roster } from "./roster";
import { NeedTeams } from "./team-order";
import { compareWorkers, insertSorted, picksInWeek, type TeamPick } from "./week-picks";
import { workerQueue } from "./worker-queue";

export type { TeamPick } from "./week-picks";

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

/** Negative when option `a` ranks before `b`: best pick (score, start), worker id, then team. */
export function compareOptions(roster: Roster, a: NeedOption, b: NeedOption): number {
  const pa = a.picks[0] as TeamPick;
  const pb = b.picks[0] as TeamPick;
  if (pa.score !== pb.score) return pb.score - pa.score;
  if (pa.start !== pb.start) return pa.start - pb.start;
  const byWorker = compareWorkers(roster, a.worker, b.worker);
  if (byWorker !== 0) return byWorker;
  const ta = roster.teams[pa.team]?.facts.id ?? "";
  const tb = roster.teams[pb.team]?.facts.id ?? "";
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

/**
 * The need's best options, best first (see the module comment). `teams` may be passed when the
 * caller keeps the need's team lists (they depend on the facts only).
 */
export function shortlistNeed(
  need: PreparedNeed,
  roster: Roster,
  limits: ShortlistLimits,
  teams: NeedTeams = new NeedTeams(need, roster),
): NeedOption[] {
  if (limits.options <= 0 || teams.groups.length === 0) return [];
  const nextWorker = workerQueue(need, roster, teams.groups);
  const { index } = roster;
  const options: NeedOption[] = [];
  /** The score an option must reach to be kept. */
  let theta = Number.NEGATIVE_INFINITY;
  for (let w = nextWorker(theta); w >= 0; w = nextWorker(theta)) {
    const free = roster.freeWorkers[w] as PreparedWorker;
    const proximity = flatProximity(need.where, index.workerRegion, w);
    const known = index.scratch.workerFamiliarity[w] as number;
    const side = sideWith(need, roster.workers[w] as PreparedWorker, proximity, known);
    for (const week of need.weeks) {
      if (!hasRoom(free, week)) continue;
      const picks = picksInWeek(need, roster, teams, w, side, week, theta, limits.teamsPerOption);
      if (!picks) continue;
      insertSorted(options, { worker: w, week, picks }, limits.options, compareOptions, roster);
      if (options.length >= limits.options) {
        theta = ((options[limits.options - 1] as NeedOption).picks[0] as TeamPick).score;
      }
    }
  }
  return options;
}
