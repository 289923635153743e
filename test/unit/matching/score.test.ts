import { describe, expect, it } from "vitest";
import {
  availabilityScore,
  certificateScore,
  distanceScore,
  familiarity,
  loadScore,
  pastWorkScore,
  regionProximity,
  skillFitScore,
  wantedSkills,
} from "../../../src/matching/score";
import { scoreParts, scoreWeights } from "../../../src/matching/weights";

describe("scoreWeights", () => {
  it("sum to 100 over the six parts", () => {
    expect(scoreParts.reduce((sum, part) => sum + scoreWeights[part], 0)).toBe(100);
  });
});

describe("skillFitScore", () => {
  const wanted = wantedSkills({ serviceType: "elderly_care", requiredSkills: ["first_aid"] });

  it("wants the service type and the required skills", () => {
    expect([...wanted]).toEqual(["elderly_care", "first_aid"]);
  });

  it("is 1 when the worker and team together cover every wanted skill", () => {
    expect(skillFitScore(wanted, ["elderly_care"], ["first_aid", "lecture"])).toBe(1);
  });

  it("is the covered share when they cover some", () => {
    expect(skillFitScore(wanted, ["elderly_care"], ["lecture"])).toBe(0.5);
  });

  it("is 0 when neither covers any wanted skill", () => {
    expect(skillFitScore(wanted, ["lecture"], ["mediation"])).toBe(0);
  });

  it("counts a skill both have once", () => {
    expect(skillFitScore(wanted, ["first_aid"], ["first_aid"])).toBe(0.5);
  });
});

describe("certificateScore", () => {
  it("is 0 below the minimum", () => {
    expect(certificateScore("junior", "intermediate")).toBe(0);
  });

  it("is 0.6 meeting the minimum exactly", () => {
    expect(certificateScore("intermediate", "intermediate")).toBe(0.6);
  });

  it("is 0.8 one level above the minimum", () => {
    expect(certificateScore("intermediate", "junior")).toBeCloseTo(0.8, 12);
  });

  it("is 1 two levels above the minimum", () => {
    expect(certificateScore("senior", "junior")).toBe(1);
  });
});

describe("regionProximity", () => {
  it("is 1 for the community's own county", () => {
    expect(regionProximity("210103005024", "210103")).toBe(1);
  });

  it("is 0.6 for another county of the same city", () => {
    expect(regionProximity("210103005024", "210104")).toBe(0.6);
  });

  it("is 0.3 for a county in another city of the province", () => {
    expect(regionProximity("210103005024", "210202")).toBe(0.3);
  });

  it("is 0 for a county in another province", () => {
    expect(regionProximity("210103005024", "110101")).toBe(0);
  });

  it("is 0 for a malformed code", () => {
    expect(regionProximity("210103005024", "2101")).toBe(0);
  });
});

describe("distanceScore", () => {
  it("averages the worker's and the team's proximity", () => {
    expect(distanceScore("210103005024", "210103", "210202")).toBeCloseTo(0.65, 12);
  });
});

describe("availabilityScore", () => {
  const first = Date.parse("2025-09-01T09:00:00+08:00");
  const last = Date.parse("2025-09-03T09:00:00+08:00");

  it("is 1 at the start of the first window", () => {
    expect(availabilityScore(first, first, last)).toBe(1);
  });

  it("is 0.5 at the end of the last window", () => {
    expect(availabilityScore(last, first, last)).toBe(0.5);
  });

  it("falls linearly in between", () => {
    expect(availabilityScore((first + last) / 2, first, last)).toBe(0.75);
  });

  it("is 1 when the windows span no time", () => {
    expect(availabilityScore(first, first, first)).toBe(1);
  });
});

describe("loadScore", () => {
  it("is 1 for a worker with no events that week", () => {
    expect(loadScore(0, 3)).toBe(1);
  });

  it("is 1 − load ÷ capacity in between", () => {
    expect(loadScore(1, 4)).toBe(0.75);
  });

  it("is 0 for a full week (a hard filter)", () => {
    expect(loadScore(3, 3)).toBe(0);
  });

  it("is 0 for a worker with no capacity", () => {
    expect(loadScore(0, 0)).toBe(0);
  });
});

describe("pastWorkScore", () => {
  it("is 0 for newcomers", () => {
    expect(pastWorkScore(0, 0)).toBe(0);
  });

  it("grows by a third per completed event, up to 1", () => {
    expect([0, 1, 2, 3, 7].map(familiarity)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
  });

  it("averages the worker's and the team's familiarity", () => {
    expect(pastWorkScore(3, 0)).toBe(0.5);
  });
});
