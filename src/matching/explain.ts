/**
 * Candidates in plain words: what a coordinator needs to judge a (social worker, team) pair —
 * how near they are, whether the certificate is enough, how much room the worker's week has,
 * which skills they bring, whether they know the community — derived from the score's parts and
 * the facts it was computed from. Pure: the pages put the words on it.
 */
import { type CertificateLevel, certificateLevels, type ServiceType } from "../domain/vocabulary";
import { regionKey, wantedSkills } from "./score";
import { weekOf } from "./time";
import type { Candidate, NeedFacts, TeamFacts, WorkerFacts } from "./types";
import { scoreWeights } from "./weights";

/** How near a county is to the community: the same county, city or province, or farther. */
export type Nearness = "county" | "city" | "province" | "far";

/** Where someone comes from, relative to the community, and the region to name for it. */
export interface Place {
  nearness: Nearness;
  /** The code to name: the shared county or city, or the person's own county when farther. */
  code: string;
}

export interface Explanation {
  worker: Place;
  team: Place & { size: number };
  certificate: { held: CertificateLevel; above: boolean };
  /** Events the worker can still take in the week of the proposed start, and whether it is now. */
  weekLeft: { left: number; thisWeek: boolean };
  skills: { covered: ServiceType[]; missing: ServiceType[] };
  /** Completed events in this community: the worker's, the team's. */
  pastWork: { worker: number; team: number };
}

export type ExplainedNeed = Pick<
  NeedFacts,
  "communityId" | "communityCode" | "serviceType" | "requiredSkills" | "minCertificateLevel"
>;
export type ExplainedWorker = Pick<
  WorkerFacts,
  "homeCountyCode" | "certificateLevel" | "skills" | "weeklyCapacity" | "pastEventsByCommunity"
>;
export type ExplainedTeam = Pick<
  TeamFacts,
  "countyCode" | "skills" | "size" | "pastEventsByCommunity"
>;

/** Where a county-level code lies from a community, and which region's name says so. */
export function placeOf(communityCode: string, countyCode: string): Place {
  const community = regionKey(communityCode);
  const other = regionKey(countyCode);
  if (community.county === undefined || other.county === undefined)
    return { nearness: "far", code: countyCode };
  if (community.county === other.county) return { nearness: "county", code: other.county };
  if (community.city === other.city) return { nearness: "city", code: other.city ?? countyCode };
  if (community.province === other.province) return { nearness: "province", code: other.county };
  return { nearness: "far", code: other.county };
}

/**
 * Places the worker can still take in the start's week, from the load part: the part is
 * weight × (1 − events ÷ capacity), so what is left is capacity × part ÷ weight.
 */
export function placesLeftInWeek(loadPoints: number, weeklyCapacity: number): number {
  if (weeklyCapacity <= 0) return 0;
  return Math.max(0, Math.round((weeklyCapacity * loadPoints) / scoreWeights.load));
}

/** The plain-word facts behind one candidate's score. */
export function explainCandidate(
  need: ExplainedNeed,
  candidate: Pick<Candidate, "parts" | "start">,
  worker: ExplainedWorker,
  team: ExplainedTeam,
  now: Date,
): Explanation {
  const offered = new Set([...worker.skills, ...team.skills]);
  const wanted = [...wantedSkills(need)];
  const held = certificateLevels.indexOf(worker.certificateLevel);
  return {
    worker: placeOf(need.communityCode, worker.homeCountyCode),
    team: { ...placeOf(need.communityCode, team.countyCode), size: team.size },
    certificate: {
      held: worker.certificateLevel,
      above: held > certificateLevels.indexOf(need.minCertificateLevel),
    },
    weekLeft: {
      left: placesLeftInWeek(candidate.parts.load, worker.weeklyCapacity),
      thisWeek: weekOf(candidate.start.getTime()) === weekOf(now.getTime()),
    },
    skills: {
      covered: wanted.filter((skill) => offered.has(skill)),
      missing: wanted.filter((skill) => !offered.has(skill)),
    },
    pastWork: {
      worker: worker.pastEventsByCommunity[need.communityId] ?? 0,
      team: team.pastEventsByCommunity[need.communityId] ?? 0,
    },
  };
}

/** A social worker's best pair, and the other teams they could lead, best first. */
export interface CandidateGroup<C> {
  best: C;
  others: C[];
}

/**
 * Ranked candidates with each social worker once (their best pair, in rank order), the other
 * teams of the same worker folded under them: at most `workers` groups of `others` each.
 */
export function groupByWorker<C extends { socialWorkerId: string }>(
  ranked: readonly C[],
  workers: number,
  others: number,
): CandidateGroup<C>[] {
  const groups = new Map<string, CandidateGroup<C>>();
  for (const candidate of ranked) {
    const group = groups.get(candidate.socialWorkerId);
    if (group) {
      if (group.others.length < others) group.others.push(candidate);
    } else if (groups.size < workers) {
      groups.set(candidate.socialWorkerId, { best: candidate, others: [] });
    }
  }
  return [...groups.values()];
}
