import { hasRoom, type PreparedNeed, type PreparedTeam, type PreparedWorker } from "./prepare";
import { earliestFreeStart, weekOf, weekStart } from "./time";

/**
 * The proposed start for a (worker, team) pair: the earliest common free start in the need's
 * windows that falls in a week where the worker still has room. When the earliest free start's
 * week is full, the search resumes at the next week's Monday 00:00, so a later week can still
 * offer a slot. Returns the start, or why there is none: no common free slot at all, or free
 * slots only in weeks where the worker is full.
 */
export function proposedStart(
  need: PreparedNeed,
  worker: PreparedWorker,
  team: PreparedTeam,
): number | "no_common_free_slot" | "worker_at_capacity" {
  let from = Number.NEGATIVE_INFINITY;
  let sawFullWeek = false;
  for (;;) {
    const start = earliestFreeStart(need.windows, need.duration, worker.busy, team.busy, from);
    if (Number.isNaN(start)) return sawFullWeek ? "worker_at_capacity" : "no_common_free_slot";
    const week = weekOf(start);
    if (hasRoom(worker, week)) return start;
    sawFullWeek = true;
    from = weekStart(week + 1);
  }
}

/** The earliest common free start inside ISO week `week`, or NaN; capacity is the caller's. */
export function startInWeek(
  need: PreparedNeed,
  worker: PreparedWorker,
  team: PreparedTeam,
  week: number,
): number {
  const { windows, duration } = need;
  return earliestFreeStart(
    windows,
    duration,
    worker.busy,
    team.busy,
    weekStart(week),
    weekStart(week + 1),
  );
}
