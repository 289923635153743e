/**
 * Turning the flow's assignment into a feasible plan. The flow fixes, for each need, a social
 * worker and a week within capacity; the repair picks the team and the start, best-scoring need
 * first, against the plan built so far, so that nobody is ever in two places at once. Needs left
 * over (their slot was taken, or the flow had no room for them) are then filled from all workers
 * and teams, best first, wherever the plan still has room.
 */

import { workerSide } from "./pair-score";
import { PlanBuilder } from "./plan-builder";
import type { PreparedNeed, PreparedTeam, PreparedWorker } from "./prepare";
import { type BatchRun, teamsOf, weeksPhrase } from "./run";
import { type NeedOption, shortlistNeed, type TeamPick } from "./shortlist";
import { overlapsTimeline } from "./time";
import { picksInWeek } from "./week-picks";

/** What a starting point proposes for one need: an option (worker, week) and a team pick. */
export interface Choice {
  option: NeedOption;
  pick: TeamPick;
}

/** A plan realised from one starting point (a flow solution, or the greedy plan). */
export interface Realised {
  builder: PlanBuilder;
  /** Need index → why its flow arc could not be kept. */
  conflicts: Map<number, string>;
  /** The options (flow arcs) that ended in a conflict, for the next solve to avoid. */
  conflictArcs: NeedOption[];
  /** The options of the planned needs that blocked them: the other way to resolve a conflict. */
  blockerArcs: NeedOption[];
  /** Options kept with a lower score than proposed (another team or a later start). */
  reslottedArcs: Map<NeedOption, number>;
  reslotted: number;
  filled: number;
}

/**
 * The best (team, start) for the choice's worker and week that the plan still allows: the chosen
 * team at the chosen start when both are still free, otherwise the best re-slotted start over
 * every suitable team; undefined when none fits.
 */
function bestFreePick(run: BatchRun, builder: PlanBuilder, index: number, choice: Choice) {
  const need = run.needs[index] as PreparedNeed;
  const { option, pick: chosen } = choice;
  const { freeWorkers, freeTeams } = builder.roster;
  // The chosen start was the pair's earliest free start in the week before anything was
  // planned; planning only takes time away, so it is still the earliest if it is still free.
  const end = chosen.start + need.duration;
  const free = freeWorkers[option.worker] as PreparedWorker;
  const team = freeTeams[chosen.team] as PreparedTeam;
  if (
    !overlapsTimeline(free.busy, chosen.start, end) &&
    !overlapsTimeline(team.busy, chosen.start, end)
  ) {
    return chosen;
  }
  const side = workerSide(need, run.workers[option.worker] as PreparedWorker);
  const teams = teamsOf(run, index);
  const none = Number.NEGATIVE_INFINITY;
  return picksInWeek(need, builder.roster, teams, option.worker, side, option.week, none, 1)?.[0];
}

/** Which planned need holds the chosen slot, and the conflict reason in words. */
function blockedBy(run: BatchRun, builder: PlanBuilder, need: PreparedNeed, choice: Choice) {
  const { option, pick } = choice;
  const worker = run.workers[option.worker]?.facts;
  const team = run.teams[pick.team]?.facts;
  const end = pick.start + need.duration;
  for (const [blocker, entry] of builder.entries) {
    if (entry.start >= end || entry.end <= pick.start) continue;
    const who =
      entry.worker === option.worker
        ? `social worker ${worker?.name}`
        : entry.team === pick.team
          ? `team ${team?.name}`
          : undefined;
    if (who) {
      const other = run.needs[blocker]?.facts.id;
      const reason = `conflict: ${who} is already planned at an overlapping time for need ${other}, and no other candidate fits`;
      return { reason, blocker };
    }
  }
  const reason = `conflict: social worker ${worker?.name} has no time left in ${weeksPhrase(need)} that a suitable team shares`;
  return { reason, blocker: undefined };
}

/** Realises a starting point as a feasible plan: keep, re-slot, or mark a conflict; then fill. */
export function realise(run: BatchRun, choice: (Choice | undefined)[]): Realised {
  const builder = new PlanBuilder(run.roster);
  const conflicts = new Map<number, string>();
  const conflictArcs: NeedOption[] = [];
  const blockerArcs: NeedOption[] = [];
  const reslottedArcs = new Map<NeedOption, number>();
  let reslotted = 0;
  const order: { need: number; chosen: Choice }[] = [];
  choice.forEach((chosen, need) => {
    if (chosen) order.push({ need, chosen });
  });
  order.sort((a, b) => b.chosen.pick.score - a.chosen.pick.score || a.need - b.need);
  for (const { need: index, chosen } of order) {
    const need = run.needs[index] as PreparedNeed;
    const { option, pick: wanted } = chosen;
    const pick = bestFreePick(run, builder, index, chosen);
    if (!pick) {
      const { reason, blocker } = blockedBy(run, builder, need, chosen);
      conflicts.set(index, reason);
      conflictArcs.push(option);
      const blocking = blocker === undefined ? undefined : choice[blocker];
      if (blocking) blockerArcs.push(blocking.option);
      continue;
    }
    if (pick !== wanted) {
      reslotted++;
      if (pick.score < wanted.score) reslottedArcs.set(option, pick.score);
    }
    builder.add(index, need, option.worker, pick.team, pick.start, pick.score);
  }
  const filled = fill(run, builder);
  return {
    builder,
    conflicts,
    conflictArcs,
    blockerArcs,
    reslottedArcs,
    reslotted,
    filled,
  };
}

/** Places still-unplanned needs that have candidates, best first, where the plan leaves room. */
function fill(run: BatchRun, builder: PlanBuilder): number {
  const pending: { need: number; best: number }[] = [];
  run.options.forEach((options, need) => {
    const best = options[0]?.picks[0]?.score;
    if (best !== undefined && !builder.entries.has(need)) pending.push({ need, best });
  });
  pending.sort((a, b) => b.best - a.best || a.need - b.need);
  let filled = 0;
  for (const { need: index } of pending) {
    const need = run.needs[index] as PreparedNeed;
    const limits = { options: 1, teamsPerOption: 1 };
    const [option] = shortlistNeed(need, builder.roster, limits, teamsOf(run, index));
    const pick = option?.picks[0];
    if (!option || !pick) continue;
    builder.add(index, need, option.worker, pick.team, pick.start, pick.score);
    filled++;
  }
  return filled;
}
