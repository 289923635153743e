import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignBatch } from "../../../src/matching/assign";
import { smallInstance } from "./arbitraries";
import { makeNeed, makeTeam, makeWorker, places, span } from "./factories";
import { conflictFree, oracleCandidates } from "./oracle";
import { fullModelOptimum } from "./oracle-plans";

const EPSILON = 1e-6;

describe("the plan's upper bound", () => {
  it("is at least the best plan of the full model, teams and overlaps included", () => {
    fc.assert(
      fc.property(smallInstance(4), fc.constantFrom(1, 2, 3, 10), (instance, optionsPerNeed) => {
        const { needs, workers, teams } = instance;
        const { stats } = assignBatch(needs, workers, teams, { optionsPerNeed });
        const optimum = fullModelOptimum(needs, workers, teams);
        expect(stats.matchedBound).toBeGreaterThanOrEqual(optimum.mostServed);
        expect(stats.scoreBound).toBeGreaterThanOrEqual(optimum.bestScore - EPSILON);
      }),
      { numRuns: 250 },
    );
  });

  it("equals the best plan of the full model when no two candidates can overlap", () => {
    let checked = 0;
    fc.assert(
      fc.property(smallInstance(4), ({ needs, workers, teams }) => {
        const candidates = needs.flatMap((need) => oracleCandidates(need, workers, teams));
        if (!conflictFree(candidates)) return;
        checked++;
        const { stats } = assignBatch(needs, workers, teams);
        const optimum = fullModelOptimum(needs, workers, teams);
        expect(stats.matchedBound).toBe(optimum.mostServed);
        expect(stats.scoreBound).toBeCloseTo(optimum.bestScore, 5);
      }),
      { numRuns: 250 },
    );
    expect(checked).toBeGreaterThan(30);
  });

  it("holds when the fill step serves a need outside its one-option shortlist", () => {
    // Both needs' single best option is 兰, who has room for one; the fill step gives the second
    // need to 梅, outside its shortlist, so the shortlisted arcs alone would bound too low.
    const lan = makeWorker({ id: "lan", weeklyCapacity: 1 });
    const mei = makeWorker({ id: "mei", homeCountyCode: places.dadong });
    const needs = [makeNeed(), makeNeed({ windows: [span(1, 9, 12)] })];
    const plan = assignBatch(needs, [lan, mei], [makeTeam()], { optionsPerNeed: 1 });
    expect(plan.entries).toHaveLength(2);
    expect(plan.stats.filled).toBe(1);
    expect(plan.stats.matchedBound).toBe(2);
    expect(plan.totalScore).toBeLessThanOrEqual(plan.stats.scoreBound + EPSILON);
  });

  it("reports the plan's gap to it", () => {
    const needs = [makeNeed(), makeNeed({ windows: [span(1, 9, 12)] })];
    const { totalScore, stats } = assignBatch(needs, [makeWorker()], [makeTeam()]);
    expect(stats.gap).toBeCloseTo(1 - totalScore / stats.scoreBound, 12);
    expect(stats.gap).toBeGreaterThanOrEqual(0);
  });
});
