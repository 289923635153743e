/** Small factories for matching tests: each test builds exactly the facts it needs. */
import type { Interval, NeedFacts, TeamFacts, WorkerFacts } from "../../../src/matching/types";

/** Monday 2025-09-01 00:00 Asia/Shanghai. */
export const MONDAY = Date.parse("2025-09-01T00:00:00+08:00");
const HOUR = 3_600_000;

/** The instant `day` days after MONDAY at `hour` (fractions allowed) Shanghai time. */
export function at(day: number, hour: number): Date {
  return new Date(MONDAY + day * 24 * HOUR + hour * HOUR);
}

/** [day at from, day at to). */
export function span(day: number, from: number, to: number): Interval {
  return { start: at(day, from), end: at(day, to) };
}

/** Codes used across tests: 沈河区 多福社区, and counties near and far from it. */
export const places = {
  duofu: "210103005024",
  shenhe: "210103",
  dadong: "210104",
  dalianZhongshan: "210202",
  chunhai: "210202001002",
} as const;

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

export function makeNeed(overrides: Partial<NeedFacts> = {}): NeedFacts {
  return {
    id: nextId("need"),
    communityId: "community-duofu",
    communityCode: places.duofu,
    serviceType: "elderly_care",
    requiredSkills: [],
    minCertificateLevel: "junior",
    windows: [span(0, 9, 12)],
    durationMinutes: 120,
    volunteersNeeded: 5,
    ...overrides,
  };
}

export function makeWorker(overrides: Partial<WorkerFacts> = {}): WorkerFacts {
  const id = overrides.id ?? nextId("worker");
  return {
    id,
    name: `社工 ${id}`,
    homeCountyCode: places.shenhe,
    certificateLevel: "intermediate",
    skills: ["elderly_care"],
    weeklyCapacity: 3,
    active: true,
    busy: [],
    pastEventsByCommunity: {},
    ...overrides,
  };
}

export function makeTeam(overrides: Partial<TeamFacts> = {}): TeamFacts {
  const id = overrides.id ?? nextId("team");
  return {
    id,
    name: `服务队 ${id}`,
    countyCode: places.shenhe,
    skills: ["elderly_care"],
    size: 10,
    active: true,
    busy: [],
    pastEventsByCommunity: {},
    ...overrides,
  };
}
