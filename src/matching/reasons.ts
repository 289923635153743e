/**
 * Why a need was left out of a batch plan, in words a coordinator can act on. Every reason starts
 * with its kind: "no candidate:", "capacity:" or "conflict:".
 */
import type { PlanBuilder } from "./plan-builder";
import { type PreparedWorker, teamExclusion, workerExclusion } from "./prepare";
import type { Realised } from "./repair";
import { type BatchRun, noCandidateReason, weeksPhrase } from "./run";
import type { UnmatchedNeed } from "./types";

/**
 * A need that had candidates but lost them to the plan: to capacity when every social worker who
 * could serve it is full in its weeks, otherwise to time conflicts with planned events.
 */
function lostReason(run: BatchRun, builder: PlanBuilder, needIndex: number): string {
  const need = run.needs[needIndex];
  if (!need) return "capacity: unknown need";
  const teamSkills = run.teams
    .filter((team) => teamExclusion(need, team) === undefined)
    .map((team) => team.skillMask);
  let suitable = 0;
  let withRoom = 0;
  run.workers.forEach((worker, index) => {
    // Suitable whatever their bookings: active, certified enough, and able to pair on skills.
    if (!worker.facts.active || worker.certificateRank < need.minimumRank) return;
    if (!teamSkills.some((mask) => ((worker.skillMask | mask) & need.wantedMask) !== 0)) return;
    suitable++;
    const free = builder.roster.freeWorkers[index] as PreparedWorker;
    if (workerExclusion(need, free) === undefined) withRoom++;
  });
  const weeks = weeksPhrase(need);
  if (withRoom === 0) {
    return `capacity: all ${suitable} suitable social workers are fully booked in ${weeks}`;
  }
  return `conflict: the ${withRoom} suitable social workers with room in ${weeks} are already planned or busy, with every suitable team, at all the times it accepts`;
}

/** Why each unplanned need is unplanned, in need order. */
export function unmatchedReasons(run: BatchRun, realised: Realised): UnmatchedNeed[] {
  const unmatched: UnmatchedNeed[] = [];
  run.needs.forEach((need, index) => {
    if (realised.builder.entries.has(index)) return;
    const reason =
      (run.options[index]?.length ?? 0) === 0
        ? noCandidateReason(run, index)
        : (realised.conflicts.get(index) ?? lostReason(run, realised.builder, index));
    unmatched.push({ needId: need.facts.id, reason });
  });
  return unmatched;
}
