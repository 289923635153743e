/**
 * Facts turned into the shapes the hot loops want: skills as bit masks, busy times as sorted
 * merged timelines, weekly loads as a map, certificate levels as ranks, and the hard filters on
 * the worker alone and the team alone. Prepared once per run.
 */
import { certificateLevels, type ServiceType, serviceTypes } from "../domain/vocabulary";
import { type RegionKey, regionKey } from "./score";
import { minutes, type Timeline, timelineOf, weekOf, weekStart } from "./time";
import type { ExclusionReason, NeedFacts, TeamFacts, WorkerFacts } from "./types";

/** A bit per service type. */
export function skillMask(skills: readonly ServiceType[]): number {
  let mask = 0;
  for (const skill of skills) mask |= 1 << serviceTypes.indexOf(skill);
  return mask;
}

/** Number of set bits. */
export function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

export interface PreparedNeed {
  facts: NeedFacts;
  wantedMask: number;
  wantedCount: number;
  windows: Timeline;
  /** Start of the first window and end of the last, for the availability part. */
  first: number;
  last: number;
  duration: number;
  /** ISO weeks (Asia/Shanghai) some window touches, ascending. */
  weeks: number[];
  /** For each of `weeks`, the first instant in it at which a window is open. */
  weekFirstStart: number[];
  region: RegionKey;
  /** The community's county, city and province codes as numbers (−1 when malformed). */
  where: [number, number, number];
  /** Index of the minimum certificate level in certificateLevels. */
  minimumRank: number;
  /** The social workers who declined an event of this need. */
  declined: ReadonlySet<string>;
}

export interface PreparedWorker {
  facts: WorkerFacts;
  skillMask: number;
  busy: Timeline;
  /** Events starting in each ISO week. */
  weekLoad: Map<number, number>;
  region: RegionKey;
  /** Index of the certificate level in certificateLevels. */
  certificateRank: number;
  /** pastEventsByCommunity as a map (string-keyed lookups on plain objects are slow). */
  past: Map<string, number>;
}

export interface PreparedTeam {
  facts: TeamFacts;
  skillMask: number;
  busy: Timeline;
  region: RegionKey;
  past: Map<string, number>;
}

export function prepareNeed(facts: NeedFacts): PreparedNeed {
  const windows = timelineOf(facts.windows);
  const count = windows.starts.length;
  const weeks = new Set<number>();
  for (let i = 0; i < count; i++) {
    const last = weekOf((windows.ends[i] as number) - 1);
    for (let week = weekOf(windows.starts[i] as number); week <= last; week++) weeks.add(week);
  }
  const wantedMask = skillMask([facts.serviceType, ...facts.requiredSkills]);
  const sortedWeeks = [...weeks].sort((a, b) => a - b);
  const region = regionKey(facts.communityCode);
  return {
    facts,
    wantedMask,
    wantedCount: bitCount(wantedMask),
    windows,
    first: count > 0 ? (windows.starts[0] as number) : 0,
    last: count > 0 ? (windows.ends[count - 1] as number) : 0,
    duration: minutes(facts.durationMinutes),
    weeks: sortedWeeks,
    weekFirstStart: sortedWeeks.map((week) => firstWindowInstant(windows, week)),
    region,
    where: [codeNumber(region.county), codeNumber(region.city), codeNumber(region.province)],
    minimumRank: certificateLevels.indexOf(facts.minCertificateLevel),
    declined: new Set(facts.declinedBy ?? []),
  };
}

export function prepareWorker(facts: WorkerFacts): PreparedWorker {
  const weekLoad = new Map<number, number>();
  for (const event of facts.busy) {
    const week = weekOf(event.start.getTime());
    weekLoad.set(week, (weekLoad.get(week) ?? 0) + 1);
  }
  return {
    facts,
    skillMask: skillMask(facts.skills),
    busy: timelineOf(facts.busy),
    weekLoad,
    region: regionKey(facts.homeCountyCode),
    certificateRank: certificateLevels.indexOf(facts.certificateLevel),
    past: new Map(Object.entries(facts.pastEventsByCommunity)),
  };
}

export function prepareTeam(facts: TeamFacts): PreparedTeam {
  return {
    facts,
    skillMask: skillMask(facts.skills),
    busy: timelineOf(facts.busy),
    region: regionKey(facts.countyCode),
    past: new Map(Object.entries(facts.pastEventsByCommunity)),
  };
}

/** A region code as a number, −1 when undefined. */
export function codeNumber(code: string | undefined): number {
  return code === undefined ? -1 : Number(code);
}

/** Events the worker already has in `week`. */
export function loadIn(worker: PreparedWorker, week: number): number {
  return worker.weekLoad.get(week) ?? 0;
}

/** True when the worker can take one more event in `week`. */
export function hasRoom(worker: PreparedWorker, week: number): boolean {
  return loadIn(worker, week) < worker.facts.weeklyCapacity;
}

/**
 * Why the worker alone is excluded for the need, if it is: inactive, certificate below the
 * minimum, or full in every week the need's windows touch.
 */
export function workerExclusion(
  need: PreparedNeed,
  worker: PreparedWorker,
): ExclusionReason | undefined {
  if (!worker.facts.active) return "worker_inactive";
  if (need.declined.has(worker.facts.id)) return "declined_this_need";
  if (worker.certificateRank < need.minimumRank) return "certificate_below_minimum";
  if (need.weeks.length > 0 && !need.weeks.some((week) => hasRoom(worker, week))) {
    return "worker_at_capacity";
  }
  return undefined;
}

/** Why the team alone is excluded for the need, if it is: inactive or too small. */
export function teamExclusion(need: PreparedNeed, team: PreparedTeam): ExclusionReason | undefined {
  if (!team.facts.active) return "team_inactive";
  if (team.facts.size < need.facts.volunteersNeeded) return "team_too_small";
  return undefined;
}

/** The first instant of `week` at which some window is open, or NaN. */
function firstWindowInstant(windows: Timeline, week: number): number {
  const from = weekStart(week);
  const { starts, ends } = windows;
  for (let i = 0; i < starts.length; i++) {
    if ((ends[i] as number) > from) return Math.max(starts[i] as number, from);
  }
  return Number.NaN;
}
