/**
 * The score's parts, each a pure function returning 0..1 before weighting (weights.ts).
 * A part that would be 0 because of a hard filter is never scored: the pair is excluded instead.
 */
import { ancestorCodes, countyOf } from "../domain/regions";
import {
  type CertificateLevel,
  certificateLevels,
  meetsCertificateLevel,
  type ServiceType,
} from "../domain/vocabulary";
import type { NeedFacts } from "./types";

/** The skills a need wants: its service type and its required skills, without repeats. */
export function wantedSkills(need: Pick<NeedFacts, "serviceType" | "requiredSkills">) {
  return new Set<ServiceType>([need.serviceType, ...need.requiredSkills]);
}

/** Share of the wanted skills covered by the worker's and the team's skills together. */
export function skillFitScore(
  wanted: ReadonlySet<ServiceType>,
  workerSkills: readonly ServiceType[],
  teamSkills: readonly ServiceType[],
): number {
  if (wanted.size === 0) return 1;
  const offered = new Set([...workerSkills, ...teamSkills]);
  let covered = 0;
  for (const skill of wanted) if (offered.has(skill)) covered++;
  return covered / wanted.size;
}

/** 0 below the minimum (a hard filter); 0.6 meeting it, 0.8 one level above, 1.0 two above. */
export function certificateScore(held: CertificateLevel, minimum: CertificateLevel): number {
  if (!meetsCertificateLevel(held, minimum)) return 0;
  const above = certificateLevels.indexOf(held) - certificateLevels.indexOf(minimum);
  return Math.min(1, 0.6 + 0.2 * above);
}

/** Where a region sits in the tree, as the codes of its county, city and province. */
export interface RegionKey {
  county: string | undefined;
  city: string | undefined;
  province: string | undefined;
}

/** The county, city and province codes of a county-level or lower code (undefined if malformed). */
export function regionKey(code: string): RegionKey {
  const county = countyOf(code);
  if (county === undefined) return { county, city: undefined, province: undefined };
  const [province, city] = ancestorCodes(county);
  return { county, city, province };
}

/** regionProximity on region keys: same county 1.0, same city 0.6, same province 0.3, else 0. */
export function keyProximity(a: RegionKey, b: RegionKey): number {
  if (a.county === undefined || b.county === undefined) return 0;
  if (a.county === b.county) return 1;
  if (a.city === b.city) return 0.6;
  if (a.province === b.province) return 0.3;
  return 0;
}

/**
 * How close a county is to a community in the region tree: same county 1.0, same city 0.6, same
 * province 0.3, elsewhere (or a malformed code) 0.
 */
export function regionProximity(communityCode: string, countyCode: string): number {
  return keyProximity(regionKey(communityCode), regionKey(countyCode));
}

/** Region proximity of the worker's home county and of the team's county, averaged. */
export function distanceScore(
  communityCode: string,
  workerCountyCode: string,
  teamCountyCode: string,
): number {
  const worker = regionProximity(communityCode, workerCountyCode);
  const team = regionProximity(communityCode, teamCountyCode);
  return (worker + team) / 2;
}

/**
 * 1 when `start` is the start of the first window, falling linearly to 0.5 at the end of the last
 * one (`first` and `last` are those two instants, in epoch milliseconds).
 */
export function availabilityScore(start: number, first: number, last: number): number {
  if (last <= first) return 1;
  const elapsed = Math.min(1, Math.max(0, (start - first) / (last - first)));
  return 1 - 0.5 * elapsed;
}

/** 1 − load ÷ capacity; 0 when the week is full (a hard filter). */
export function loadScore(eventsThatWeek: number, weeklyCapacity: number): number {
  if (weeklyCapacity <= 0 || eventsThatWeek >= weeklyCapacity) return 0;
  return 1 - eventsThatWeek / weeklyCapacity;
}

/** min(1, completed events with the community ÷ 3), for one worker or one team. */
export function familiarity(pastEvents: number): number {
  return Math.min(1, Math.max(0, pastEvents) / 3);
}

/** Familiarity of the worker and of the team with the community, averaged. */
export function pastWorkScore(workerPastEvents: number, teamPastEvents: number): number {
  return (familiarity(workerPastEvents) + familiarity(teamPastEvents)) / 2;
}
