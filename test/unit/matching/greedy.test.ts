import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignBatch, greedyBaseline, validatePlan } from "../../../src/matching/assign";
import { smallInstance } from "./arbitraries";
import { makeNeed, makeTeam, makeWorker, places, span } from "./factories";

/**
 * Found by a property test of assign.test.ts (fast-check, seed 42): one team shared by every need and
 * windows that overlap, so the flow's capacity-only optimum needs heavy repair. Without the
 * greedy starting point, three re-solves end 63 points below greedy.
 */
function sharedTeamInstance() {
  const duofu = { communityId: "c-duofu", communityCode: places.duofu };
  const chunhai = { communityId: "c-chunhai", communityCode: places.chunhai };
  const needs = [
    makeNeed({
      id: "n1",
      ...duofu,
      minCertificateLevel: "senior",
      windows: [span(8, 9, 11), span(6, 10, 13)],
      durationMinutes: 90,
      volunteersNeeded: 10,
    }),
    makeNeed({
      id: "n2",
      ...chunhai,
      serviceType: "first_aid",
      minCertificateLevel: "intermediate",
      windows: [span(5, 10, 11), span(7, 9, 10)],
      durationMinutes: 90,
      volunteersNeeded: 4,
    }),
    makeNeed({
      id: "n3",
      ...duofu,
      serviceType: "counselling",
      minCertificateLevel: "senior",
      windows: [span(6, 9, 12)],
      durationMinutes: 90,
      volunteersNeeded: 7,
    }),
    makeNeed({
      id: "n4",
      ...chunhai,
      serviceType: "first_aid",
      windows: [span(9, 14, 17)],
      durationMinutes: 120,
      volunteersNeeded: 8,
    }),
    makeNeed({
      id: "n5",
      ...chunhai,
      requiredSkills: ["first_aid"],
      minCertificateLevel: "intermediate",
      windows: [span(5, 9, 11), span(9, 14, 16)],
      durationMinutes: 90,
      volunteersNeeded: 6,
    }),
  ];
  const skills = ["counselling", "first_aid"] as const;
  const workers = [
    makeWorker({
      id: "w1",
      homeCountyCode: "110101",
      skills: [...skills],
      busy: [span(3, 10, 12)],
      pastEventsByCommunity: { "c-chunhai": 2 },
    }),
    makeWorker({
      id: "w2",
      homeCountyCode: places.dadong,
      certificateLevel: "senior",
      skills: [...skills],
      pastEventsByCommunity: { "c-beiyuan": 1, "c-duofu": 2 },
    }),
  ];
  const teams = [
    makeTeam({
      id: "t1",
      skills: ["elderly_care", ...skills],
      pastEventsByCommunity: { "c-duofu": 4 },
    }),
  ];
  return { needs, workers, teams };
}

describe("assignBatch against greedy, when overlaps dominate", () => {
  it("can lose to greedy from the flow's starting points alone", () => {
    const { needs, workers, teams } = sharedTeamInstance();
    const flowOnly = assignBatch(needs, workers, teams, { maxResolves: 3, greedyStart: false });
    const greedy = greedyBaseline(needs, workers, teams);
    expect(flowOnly.totalScore).toBeLessThan(greedy.totalScore - 60);
  });

  it("then returns the repaired greedy plan, and says so", () => {
    const { needs, workers, teams } = sharedTeamInstance();
    const plan = assignBatch(needs, workers, teams, { maxResolves: 3 });
    expect(plan.stats.source).toBe("greedy");
    expect(plan.totalScore).toBeGreaterThanOrEqual(
      greedyBaseline(needs, workers, teams).totalScore,
    );
    expect(validatePlan(plan, needs, workers, teams)).toEqual([]);
  });
});

describe("greedyBaseline with the batch run's repair and fill", () => {
  it("serves a need that plain greedy leaves once its shortlisted worker is full", () => {
    const lan = makeWorker({ id: "lan", weeklyCapacity: 1 });
    const mei = makeWorker({ id: "mei", homeCountyCode: places.dadong });
    const needs = [makeNeed({ id: "a" }), makeNeed({ id: "b", windows: [span(1, 9, 12)] })];
    const options = { optionsPerNeed: 1 };
    const plain = greedyBaseline(needs, [lan, mei], [makeTeam()], options);
    const repaired = greedyBaseline(needs, [lan, mei], [makeTeam()], {
      ...options,
      repairAndFill: true,
    });
    expect(plain.entries.map((e) => `${e.needId}:${e.socialWorkerId}`)).toEqual(["a:lan"]);
    expect(repaired.entries.map((e) => `${e.needId}:${e.socialWorkerId}`)).toEqual([
      "a:lan",
      "b:mei",
    ]);
  });

  it("keeps every entry of plain greedy and finds a valid plan, on random small instances", () => {
    fc.assert(
      fc.property(smallInstance(), fc.constantFrom(1, 10), (instance, optionsPerNeed) => {
        const { needs, workers, teams } = instance;
        const plain = greedyBaseline(needs, workers, teams, { optionsPerNeed });
        const repaired = greedyBaseline(needs, workers, teams, {
          optionsPerNeed,
          repairAndFill: true,
        });
        expect(validatePlan(repaired, needs, workers, teams)).toEqual([]);
        expect(repaired.entries).toEqual(expect.arrayContaining(plain.entries));
        expect(repaired.entries.length + repaired.unmatched.length).toBe(needs.length);
      }),
      { numRuns: 300 },
    );
  });
});
