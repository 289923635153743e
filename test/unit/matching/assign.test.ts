import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignBatch, greedyBaseline, validatePlan } from "../../../src/matching/assign";
import { smallInstance } from "./arbitraries";
import { at, makeNeed, makeTeam, makeWorker, places, span } from "./factories";
import { conflictFree, oracleCandidates } from "./oracle";
import { oracleBestPlan } from "./oracle-plans";

const EPSILON = 1e-6;

describe("assignBatch", () => {
  it("plans every need when the workers have room", () => {
    const needs = [makeNeed(), makeNeed({ windows: [span(1, 9, 12)] })];
    const plan = assignBatch(needs, [makeWorker()], [makeTeam()]);
    expect(plan.entries.map((entry) => entry.needId)).toEqual(needs.map((need) => need.id));
    expect(plan.unmatched).toEqual([]);
  });

  it("reports a total score equal to the sum of its entries", () => {
    const needs = [makeNeed(), makeNeed({ windows: [span(1, 9, 12)] })];
    const plan = assignBatch(needs, [makeWorker()], [makeTeam()]);
    const sum = plan.entries.reduce((total, entry) => total + entry.score, 0);
    expect(plan.entries).toHaveLength(2);
    expect(plan.totalScore).toBeCloseTo(sum, 9);
  });

  it("never gives a worker more events in a week than its capacity", () => {
    const worker = makeWorker({ weeklyCapacity: 2 });
    const needs = [0, 1, 2].map((day) => makeNeed({ windows: [span(day, 9, 12)] }));
    const plan = assignBatch(needs, [worker], [makeTeam()]);
    expect(plan.entries).toHaveLength(2);
    expect(plan.unmatched).toHaveLength(1);
    expect(plan.unmatched[0]?.reason).toMatch(
      /^capacity: all 1 suitable social workers are fully booked in the week of 2025-09-01$/,
    );
  });

  it("counts existing events against the weekly capacity", () => {
    const worker = makeWorker({ weeklyCapacity: 2, busy: [span(3, 14, 16)] });
    const needs = [0, 1].map((day) => makeNeed({ windows: [span(day, 9, 12)] }));
    expect(assignBatch(needs, [worker], [makeTeam()]).entries).toHaveLength(1);
  });

  it("maximises the total, where taking the best single match first would not", () => {
    // Both needs want 兰 (in the community's county); only 兰 can serve the mediation need.
    const lan = makeWorker({ id: "lan", skills: ["elderly_care", "mediation"], weeklyCapacity: 1 });
    const mei = makeWorker({ id: "mei", homeCountyCode: places.dadong, weeklyCapacity: 1 });
    const care = makeNeed({ id: "care" });
    const mediation = makeNeed({
      id: "mediation",
      serviceType: "mediation",
      windows: [span(1, 9, 12)],
    });
    const team = makeTeam({ skills: ["elderly_care"] });
    const plan = assignBatch([care, mediation], [lan, mei], [team]);
    expect(plan.entries.map((e) => `${e.needId}:${e.socialWorkerId}`)).toEqual([
      "care:mei",
      "mediation:lan",
    ]);
    const greedy = greedyBaseline([care, mediation], [lan, mei], [team]);
    expect(greedy.entries).toHaveLength(1);
    expect(plan.totalScore).toBeGreaterThan(greedy.totalScore);
  });

  it("serves every need it can before it maximises the score", () => {
    // 兰 is the best match for "care" (92.5 points), and the only one for "far", which scores
    // 41 with her; 梅 can take "care" at 43.5. 兰 has room for one event that week, so the
    // highest total (92.5) serves one need and leaves "far" unserved; serving both scores 84.5.
    const lan = makeWorker({
      id: "lan",
      certificateLevel: "senior",
      skills: ["elderly_care", "counselling"],
      weeklyCapacity: 1,
      pastEventsByCommunity: { "community-duofu": 3 },
    });
    const mei = makeWorker({
      id: "mei",
      homeCountyCode: "110101",
      certificateLevel: "junior",
      weeklyCapacity: 3,
      busy: [span(0, 9, 11), span(4, 9, 11)],
    });
    const care = makeNeed({
      id: "care",
      requiredSkills: ["counselling"],
      windows: [span(0, 9, 13)],
    });
    const far = makeNeed({
      id: "far",
      communityId: "community-beijing",
      communityCode: "110101001001",
      serviceType: "counselling",
      requiredSkills: ["first_aid", "legal_aid"],
      minCertificateLevel: "senior",
      windows: [span(1, 9, 12)],
    });
    const plan = assignBatch([care, far], [lan, mei], [makeTeam()]);
    expect(plan.entries.map((e) => `${e.needId}:${e.socialWorkerId}`)).toEqual([
      "care:mei",
      "far:lan",
    ]);
    expect(plan.unmatched).toEqual([]);
    expect(plan.totalScore).toBeCloseTo(84.5, 6);
  });

  it("moves a need to a later start when its worker is already planned at that time", () => {
    const needs = [makeNeed({ id: "first" }), makeNeed({ id: "second" })];
    const plan = assignBatch(needs, [makeWorker()], [makeTeam(), makeTeam()]);
    expect(plan.entries.map((e) => e.start)).toEqual([at(0, 9), at(0, 11)]);
    expect(plan.stats.reslotted).toBe(1);
  });

  it("leaves a need unmatched, with a conflict reason, when nobody is free at its only time", () => {
    const needs = [0, 1].map(() => makeNeed({ windows: [span(0, 9, 9.5)] }));
    const plan = assignBatch(needs, [makeWorker()], [makeTeam()]);
    expect(plan.entries).toHaveLength(1);
    expect(plan.unmatched[0]?.reason).toMatch(/^conflict: /);
  });

  it("says why a need has no candidate at all, with the exclusion counts", () => {
    const need = makeNeed({ minCertificateLevel: "senior" });
    const plan = assignBatch([need], [makeWorker(), makeWorker()], [makeTeam()]);
    expect(plan.unmatched).toEqual([
      { needId: need.id, reason: "no candidate: certificate_below_minimum × 2" },
    ]);
  });

  it("finds a plan that validatePlan accepts, on random small instances", () => {
    fc.assert(
      fc.property(smallInstance(), ({ needs, workers, teams }) => {
        const plan = assignBatch(needs, workers, teams);
        expect(validatePlan(plan, needs, workers, teams)).toEqual([]);
        const accounted = [
          ...plan.entries.map((e) => e.needId),
          ...plan.unmatched.map((u) => u.needId),
        ];
        expect(accounted.sort()).toEqual(needs.map((need) => need.id).sort());
        for (const { reason } of plan.unmatched) {
          expect(reason).toMatch(/^(no candidate|capacity|conflict): /);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("serves at least as many needs as the greedy baseline, and no less score when as many", () => {
    fc.assert(
      fc.property(smallInstance(), ({ needs, workers, teams }) => {
        const greedy = greedyBaseline(needs, workers, teams);
        expect(validatePlan(greedy, needs, workers, teams)).toEqual([]);
        const plan = assignBatch(needs, workers, teams);
        expect(plan.entries.length).toBeGreaterThanOrEqual(greedy.entries.length);
        if (plan.entries.length === greedy.entries.length) {
          expect(plan.totalScore).toBeGreaterThanOrEqual(greedy.totalScore - EPSILON);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("reaches the brute-force optimum when no two candidates can overlap", () => {
    let checked = 0;
    fc.assert(
      fc.property(smallInstance(), ({ needs, workers, teams }) => {
        const candidates = needs.flatMap((need) => oracleCandidates(need, workers, teams));
        if (!conflictFree(candidates)) return;
        checked++;
        const optimum = oracleBestPlan(needs, workers, candidates, "lexicographic");
        const plan = assignBatch(needs, workers, teams);
        expect(plan.entries).toHaveLength(optimum.matched);
        expect(plan.totalScore).toBeCloseTo(optimum.score, 6);
      }),
      { numRuns: 500 },
    );
    expect(checked).toBeGreaterThan(50);
  });

  it("reaches the brute-force optimum whenever the first flow's plan needed no repair", () => {
    fc.assert(
      fc.property(smallInstance(), ({ needs, workers, teams }) => {
        const plan = assignBatch(needs, workers, teams);
        const { solves, source, reslotted, conflicts, filled } = plan.stats;
        if (solves > 1 || source !== "flow" || reslotted + conflicts + filled > 0) return;
        const candidates = needs.flatMap((need) => oracleCandidates(need, workers, teams));
        const optimum = oracleBestPlan(needs, workers, candidates, "lexicographic");
        expect(plan.entries).toHaveLength(optimum.matched);
        expect(plan.totalScore).toBeCloseTo(optimum.score, 6);
      }),
      { numRuns: 300 },
    );
  });
});
