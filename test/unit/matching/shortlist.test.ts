import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ServiceType } from "../../../src/domain/vocabulary";
import { prepareRun } from "../../../src/matching/run";
import { weekOf } from "../../../src/matching/time";
import { smallInstance } from "./arbitraries";
import { type OracleCandidate, oracleCandidates } from "./oracle";

/** The oracle's best candidate per (worker, week), best first, as rounded scores. */
function bestPerWorkerWeek(candidates: OracleCandidate[]): number[] {
  const best = new Map<string, number>();
  for (const c of candidates) {
    const key = `${c.worker}:${c.week}`;
    best.set(key, Math.max(best.get(key) ?? Number.NEGATIVE_INFINITY, c.score));
  }
  return [...best.values()].sort((a, b) => b - a);
}

const rounded = (scores: number[]) => scores.map((score) => Math.round(score * 1e6) / 1e6);

/** The shortlist's workers beyond the need's city come by classes of wanted skills, unless a
 * need wants more than four skills: then by certificate rank alone. */
const manySkills: ServiceType[] = ["lecture", "mediation", "legal_aid", "recreation"];

describe("the batch shortlist", () => {
  it("keeps the best options per (worker, week) that scoring every candidate would, despite pruning", () => {
    fc.assert(
      fc.property(
        smallInstance(3),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (instance, limit, wide) => {
          const { workers, teams } = instance;
          const needs = wide
            ? instance.needs.map((need) => ({
                ...need,
                requiredSkills: [...need.requiredSkills, ...manySkills],
              }))
            : instance.needs;
          const run = prepareRun(needs, workers, teams, { optionsPerNeed: limit });
          needs.forEach((need, i) => {
            const options = run.options[i] ?? [];
            const expected = bestPerWorkerWeek(oracleCandidates(need, workers, teams)).slice(
              0,
              limit,
            );
            expect(rounded(options.map((option) => option.picks[0]?.score ?? 0))).toEqual(
              rounded(expected),
            );
            for (const option of options) {
              const pick = option.picks[0];
              expect(pick && weekOf(pick.start)).toBe(option.week);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
