/**
 * Time arithmetic for matching, on epoch milliseconds. Weeks are ISO weeks in Asia/Shanghai:
 * Monday 00:00 +08:00. China has no daylight saving time, so a fixed offset is exact.
 */
import type { Interval } from "./types";

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE;
/** 1970-01-01 was a Thursday: three days after a Monday. */
const MONDAY_SHIFT = 3 * DAY;

/** Milliseconds in `minutes` minutes. */
export function minutes(count: number): number {
  return count * MINUTE;
}

/** A number for the ISO week (Asia/Shanghai) containing the instant `ms`; consecutive weeks differ by 1. */
export function weekOf(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET + MONDAY_SHIFT) / WEEK);
}

/** The instant week `week` begins: Monday 00:00 +08:00. */
export function weekStart(week: number): number {
  return week * WEEK - MONDAY_SHIFT - SHANGHAI_OFFSET;
}

/** Sorted, merged intervals as two parallel arrays; `ends` is increasing, so it can be searched. */
export interface Timeline {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** Sorts and merges intervals (overlapping or touching), dropping empty ones. */
export function timelineOf(intervals: readonly Interval[]): Timeline {
  const spans = intervals
    .map((interval) => [interval.start.getTime(), interval.end.getTime()] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [start, end] of spans) {
    const last = ends.length - 1;
    if (last >= 0 && start <= (ends[last] as number)) {
      ends[last] = Math.max(ends[last] as number, end);
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}

/** The first index whose interval ends after `ms` (the only ones that can overlap [ms, …)). */
function firstEndingAfter(ends: readonly number[], ms: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ends[mid] as number) > ms) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The earliest start s with from ≤ s < until, s inside a window, such that [s, s + duration)
 * overlaps neither busy timeline; NaN when there is none. Candidate starts are the window starts,
 * `from`, and the ends of busy intervals, which is where the earliest free start must lie.
 */
export function earliestFreeStart(
  windows: Timeline,
  duration: number,
  busyA: Timeline,
  busyB: Timeline,
  from = Number.NEGATIVE_INFINITY,
  until = Number.POSITIVE_INFINITY,
): number {
  const count = windows.starts.length;
  for (let w = firstEndingAfter(windows.ends, from); w < count; w++) {
    const windowStart = windows.starts[w] as number;
    if (windowStart >= until) return Number.NaN;
    const limit = Math.min(windows.ends[w] as number, until);
    let start = Math.max(windowStart, from);
    let a = firstEndingAfter(busyA.ends, start);
    let b = firstEndingAfter(busyB.ends, start);
    while (start < limit) {
      while (a < busyA.ends.length && (busyA.ends[a] as number) <= start) a++;
      while (b < busyB.ends.length && (busyB.ends[b] as number) <= start) b++;
      const end = start + duration;
      if (a < busyA.starts.length && (busyA.starts[a] as number) < end) {
        start = busyA.ends[a] as number;
      } else if (b < busyB.starts.length && (busyB.starts[b] as number) < end) {
        start = busyB.ends[b] as number;
      } else {
        return start;
      }
    }
  }
  return Number.NaN;
}

/** True when [start, end) overlaps some interval of the timeline. */
export function overlapsTimeline(timeline: Timeline, start: number, end: number): boolean {
  const index = firstEndingAfter(timeline.ends, start);
  return index < timeline.starts.length && (timeline.starts[index] as number) < end;
}

/** An empty timeline. */
export const emptyTimeline: Timeline = { starts: [], ends: [] };

/** The timeline with [start, end) added, merged with what it touches; the input is unchanged. */
export function withInterval(timeline: Timeline, start: number, end: number): Timeline {
  const count = timeline.starts.length;
  const starts: number[] = [];
  const ends: number[] = [];
  let newStart = start;
  let newEnd = end;
  let placed = false;
  for (let i = 0; i < count; i++) {
    const s = timeline.starts[i] as number;
    const e = timeline.ends[i] as number;
    if (e < newStart) {
      starts.push(s);
      ends.push(e);
    } else if (s > newEnd) {
      if (!placed) {
        starts.push(newStart);
        ends.push(newEnd);
        placed = true;
      }
      starts.push(s);
      ends.push(e);
    } else {
      newStart = Math.min(newStart, s);
      newEnd = Math.max(newEnd, e);
    }
  }
  if (!placed) {
    starts.push(newStart);
    ends.push(newEnd);
  }
  return { starts, ends };
}

/** "2025-09-08": the Asia/Shanghai date of an instant. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}
