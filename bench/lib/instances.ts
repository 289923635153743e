/**
 * Instances for the matching benchmark: synthetic ones of any size over Liaoning's real counties
 * and communities, and the demo directory (scripts/seed/demo-plan.ts) with needs for its 100
 * pilot communities. Seeded, so every run measures the same instances.
 */
import { indexRegions, planDemo, type RegionIndex } from "../../scripts/seed/demo-plan";
import { createRandom, type Random } from "../../scripts/seed/random";
import { readLiaoningRegions } from "../../scripts/seed/regions";
import { type CertificateLevel, type ServiceType, serviceTypes } from "../../src/domain/vocabulary";
import type { Interval, NeedFacts, TeamFacts, WorkerFacts } from "../../src/matching/types";

export interface Instance {
  needs: NeedFacts[];
  workers: WorkerFacts[];
  teams: TeamFacts[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Monday 2025-09-01 00:00 in Asia/Shanghai. */
export const PERIOD_START = Date.parse("2025-09-01T00:00:00+08:00");

let regionIndex: RegionIndex | undefined;

/** Liaoning's region tree, read once from scripts/seed/data/liaoning-regions.csv. */
export function liaoning(): RegionIndex {
  regionIndex ??= indexRegions(readLiaoningRegions());
  return regionIndex;
}

function pickCertificate(rng: Random, shares: [number, number]): CertificateLevel {
  const roll = rng.next();
  if (roll < shares[0]) return "junior";
  if (roll < shares[0] + shares[1]) return "intermediate";
  return "senior";
}

function skills(rng: Random, min: number, max: number): ServiceType[] {
  return rng.sample(serviceTypes, rng.int(min, max));
}

/** A local time on `day` (0-based from PERIOD_START) as an instant. */
function at(day: number, hour: number): number {
  return PERIOD_START + day * DAY + hour * HOUR;
}

/** 1–2 windows of acceptable start times, each a morning or an afternoon, in the period. */
function needWindows(rng: Random, days: number): Interval[] {
  const windows: Interval[] = [];
  const first = rng.int(0, days - 1);
  for (const day of rng.next() < 0.5
    ? [first]
    : [first, Math.min(days - 1, first + rng.int(1, 6))]) {
    const hour = rng.pick([8, 9, 13, 14]);
    windows.push({ start: new Date(at(day, hour)), end: new Date(at(day, hour + rng.int(2, 4))) });
  }
  return windows;
}

/** `count` existing events over the period, each 2 hours, for a worker's or team's busy list. */
function busyEvents(rng: Random, count: number, days: number): Interval[] {
  return Array.from({ length: count }, () => {
    const start = at(rng.int(0, days - 1), rng.pick([9, 10, 14, 15]));
    return { start: new Date(start), end: new Date(start + 2 * HOUR) };
  });
}

function need(
  rng: Random,
  id: string,
  community: { id: string; code: string },
  days: number,
): NeedFacts {
  const serviceType = rng.pick(serviceTypes);
  const extra = rng.next() < 0.4 ? [rng.pick(serviceTypes.filter((s) => s !== serviceType))] : [];
  return {
    id,
    communityId: community.id,
    communityCode: community.code,
    serviceType,
    requiredSkills: extra,
    minCertificateLevel: pickCertificate(rng, [0.6, 0.3]),
    windows: needWindows(rng, days),
    durationMinutes: rng.pick([60, 90, 120, 180]),
    volunteersNeeded: rng.int(3, 10),
  };
}

/**
 * n needs in communities all over Liaoning, n/4 social workers (capacity 3 a week), n/8 teams,
 * over the 4 weeks from PERIOD_START; workers and teams already have a few events.
 */
export function syntheticInstance(n: number, seed = `matching:${n}`): Instance {
  const rng = createRandom(seed);
  const { counties, communitiesByCounty } = liaoning();
  const days = 28;
  const workers: WorkerFacts[] = Array.from({ length: Math.max(1, Math.round(n / 4)) }, (_, i) => ({
    id: `w${String(i).padStart(5, "0")}`,
    name: `社工${i}`,
    homeCountyCode: rng.pick(counties).code,
    certificateLevel: pickCertificate(rng, [0.55, 0.35]),
    skills: skills(rng, 1, 3),
    weeklyCapacity: 3,
    active: rng.next() < 0.97,
    busy: busyEvents(rng, rng.int(0, 3), days),
    pastEventsByCommunity: {},
  }));
  const teams: TeamFacts[] = Array.from({ length: Math.max(1, Math.round(n / 8)) }, (_, i) => ({
    id: `t${String(i).padStart(5, "0")}`,
    name: `志愿服务队${i}`,
    countyCode: rng.pick(counties).code,
    skills: skills(rng, 1, 3),
    size: rng.int(8, 12),
    active: rng.next() < 0.97,
    busy: busyEvents(rng, rng.int(0, 3), days),
    pastEventsByCommunity: {},
  }));
  const needs = Array.from({ length: n }, (_, i) => {
    const county = rng.pick(counties);
    const place = rng.pick(communitiesByCounty.get(county.code) ?? []);
    const community = { id: `c${place.code}`, code: place.code };
    // Some past work with the community, so that part of the score varies too.
    if (rng.next() < 0.3) rng.pick(workers).pastEventsByCommunity[community.id] = rng.int(1, 4);
    if (rng.next() < 0.3) rng.pick(teams).pastEventsByCommunity[community.id] = rng.int(1, 4);
    return need(rng, `n${String(i).padStart(5, "0")}`, community, days);
  });
  return { needs, workers, teams };
}

/**
 * The demo directory (230 social workers, 120 teams, 100 pilot communities) with
 * `needsPerCommunity` needs per pilot community spread over the 4 weeks from PERIOD_START.
 */
export function demoMonth(needsPerCommunity = 3): Instance {
  const plan = planDemo(liaoning());
  const rng = createRandom("matching:demo-month");
  const days = 28;
  const workers: WorkerFacts[] = plan.socialWorkers.map((worker) => ({
    id: worker.id,
    name: worker.name,
    homeCountyCode: worker.homeCountyCode,
    certificateLevel: worker.certificateLevel,
    skills: worker.skills,
    weeklyCapacity: worker.weeklyCapacity,
    active: true,
    busy: [],
    pastEventsByCommunity: {},
  }));
  const teams: TeamFacts[] = plan.volunteerTeams.map((team) => ({
    id: team.id,
    name: team.name,
    countyCode: team.countyCode,
    skills: team.skills,
    size: team.size,
    active: true,
    busy: [],
    pastEventsByCommunity: {},
  }));
  const needs = plan.communities.flatMap((community) =>
    Array.from({ length: needsPerCommunity }, (_, i) =>
      need(rng, `${community.id}:${i}`, { id: community.id, code: community.regionCode }, days),
    ),
  );
  return { needs, workers, teams };
}
