/**
 * fast-check generators of small matching instances: a few needs, workers and teams in three
 * counties, over two weeks, with windows and busy times on a coarse grid so that overlaps, full
 * weeks and ties all happen often.
 */
import fc from "fast-check";
import type { CertificateLevel, ServiceType } from "../../../src/domain/vocabulary";
import type { Interval, NeedFacts, TeamFacts, WorkerFacts } from "../../../src/matching/types";
import { at } from "./factories";

const skills: ServiceType[] = ["elderly_care", "counselling", "first_aid"];
const levels: CertificateLevel[] = ["junior", "intermediate", "senior"];
const communities = [
  { id: "c-duofu", code: "210103005024" }, // 沈河区
  { id: "c-beiyuan", code: "210104002014" }, // 大东区
  { id: "c-chunhai", code: "210202001002" }, // 大连 中山区
];
const counties = ["210103", "210104", "210202", "110101"];

/** Days 3–9 of the two weeks from MONDAY: a week boundary falls inside. */
const day = fc.integer({ min: 3, max: 9 });
const hour = fc.constantFrom(9, 10, 14);

const interval: fc.Arbitrary<Interval> = fc
  .record({ day, hour, length: fc.integer({ min: 1, max: 3 }) })
  .map(({ day, hour, length }) => ({ start: at(day, hour), end: at(day, hour + length) }));

const past = fc.dictionary(
  fc.constantFrom(...communities.map((c) => c.id)),
  fc.integer({ min: 0, max: 4 }),
  { maxKeys: 2 },
);

const need = (id: string): fc.Arbitrary<NeedFacts> =>
  fc
    .record({
      id: fc.constant(id),
      community: fc.constantFrom(...communities),
      serviceType: fc.constantFrom(...skills),
      requiredSkills: fc.subarray(skills, { maxLength: 1 }),
      minCertificateLevel: fc.constantFrom(...levels),
      windows: fc.array(interval, { minLength: 1, maxLength: 2 }),
      durationMinutes: fc.constantFrom(60, 90, 120),
      volunteersNeeded: fc.integer({ min: 1, max: 10 }),
    })
    .map(({ community, ...rest }) => ({
      ...rest,
      communityId: community.id,
      communityCode: community.code,
    }));

const worker = (id: string): fc.Arbitrary<WorkerFacts> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`社工${id}`),
    homeCountyCode: fc.constantFrom(...counties),
    certificateLevel: fc.constantFrom(...levels),
    skills: fc.subarray(skills, { minLength: 1 }),
    weeklyCapacity: fc.integer({ min: 1, max: 3 }),
    active: fc.integer({ min: 0, max: 9 }).map((roll) => roll > 0),
    busy: fc.array(interval, { maxLength: 2 }),
    pastEventsByCommunity: past,
  });

const team = (id: string): fc.Arbitrary<TeamFacts> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`队${id}`),
    countyCode: fc.constantFrom(...counties),
    skills: fc.subarray(skills, { minLength: 1 }),
    size: fc.integer({ min: 4, max: 12 }),
    active: fc.integer({ min: 0, max: 9 }).map((roll) => roll > 0),
    busy: fc.array(interval, { maxLength: 2 }),
    pastEventsByCommunity: past,
  });

const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

export interface SmallInstance {
  needs: NeedFacts[];
  workers: WorkerFacts[];
  teams: TeamFacts[];
}

/** Up to `maxNeeds` needs, 1–3 workers and 1–3 teams. */
export function smallInstance(maxNeeds = 6): fc.Arbitrary<SmallInstance> {
  return fc
    .record({
      needs: fc.integer({ min: 1, max: maxNeeds }),
      workers: fc.integer({ min: 1, max: 3 }),
      teams: fc.integer({ min: 1, max: 3 }),
    })
    .chain((size) =>
      fc.record({
        needs: fc.tuple(...ids("n", size.needs).map(need)),
        workers: fc.tuple(...ids("w", size.workers).map(worker)),
        teams: fc.tuple(...ids("t", size.teams).map(team)),
      }),
    );
}
