import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exclusionOrder, rankCandidates } from "../../../src/matching/candidates";
import { scoreParts } from "../../../src/matching/weights";
import { smallInstance } from "./arbitraries";
import { at, makeNeed, makeTeam, makeWorker, places, span } from "./factories";
import { oracleRanking } from "./oracle";

const excludedBy = (...args: Parameters<typeof rankCandidates>) => rankCandidates(...args).excluded;

describe("rankCandidates hard filters", () => {
  it("excludes an inactive worker as worker_inactive", () => {
    const result = rankCandidates(makeNeed(), [makeWorker({ active: false })], [makeTeam()]);
    expect(result.candidates).toEqual([]);
    expect(result.excluded).toEqual({ worker_inactive: 1 });
  });

  it("excludes an inactive team as team_inactive", () => {
    expect(excludedBy(makeNeed(), [makeWorker()], [makeTeam({ active: false })])).toEqual({
      team_inactive: 1,
    });
  });

  it("excludes a worker below the minimum certificate as certificate_below_minimum", () => {
    const need = makeNeed({ minCertificateLevel: "senior" });
    expect(
      excludedBy(need, [makeWorker({ certificateLevel: "intermediate" })], [makeTeam()]),
    ).toEqual({ certificate_below_minimum: 1 });
  });

  it("excludes a pair with none of the wanted skills as no_matching_skill", () => {
    const worker = makeWorker({ skills: ["lecture"] });
    const team = makeTeam({ skills: ["recreation"] });
    expect(excludedBy(makeNeed(), [worker], [team])).toEqual({ no_matching_skill: 1 });
  });

  it("accepts a pair where only the team has a wanted skill", () => {
    const worker = makeWorker({ skills: ["lecture"] });
    expect(rankCandidates(makeNeed(), [worker], [makeTeam()]).candidates).toHaveLength(1);
  });

  it("excludes a team smaller than the volunteers needed as team_too_small", () => {
    const need = makeNeed({ volunteersNeeded: 12 });
    expect(excludedBy(need, [makeWorker()], [makeTeam({ size: 11 })])).toEqual({
      team_too_small: 1,
    });
  });

  it("excludes a worker full in every week of the windows as worker_at_capacity", () => {
    const worker = makeWorker({ weeklyCapacity: 1, busy: [span(2, 14, 16)] });
    expect(excludedBy(makeNeed(), [worker], [makeTeam()])).toEqual({ worker_at_capacity: 1 });
  });

  it("excludes a pair whose only common free slots fall in full weeks as worker_at_capacity", () => {
    // Free in week 2 but full there; week 1 has room but the team is busy all window long.
    const need = makeNeed({ windows: [span(4, 9, 12), span(7, 9, 12)] });
    const worker = makeWorker({ weeklyCapacity: 1, busy: [span(8, 14, 16)] });
    const team = makeTeam({ busy: [span(4, 8, 14)] });
    expect(excludedBy(need, [worker], [team])).toEqual({ worker_at_capacity: 1 });
  });

  it("excludes a pair with no common free slot as no_common_free_slot", () => {
    const worker = makeWorker({ busy: [span(0, 9, 10)] });
    const team = makeTeam({ busy: [span(0, 10, 14)] });
    expect(excludedBy(makeNeed(), [worker], [team])).toEqual({ no_common_free_slot: 1 });
  });

  it("counts a pair once, under the first failing reason in the documented order", () => {
    const worker = makeWorker({ active: false, certificateLevel: "junior" });
    const need = makeNeed({ minCertificateLevel: "senior", volunteersNeeded: 50 });
    expect(excludedBy(need, [worker], [makeTeam({ active: false })])).toEqual({
      worker_inactive: 1,
    });
    expect(exclusionOrder[0]).toBe("worker_inactive");
  });

  it("counts exclusions as pairs: a worker's reason once per team, a team's once per worker", () => {
    const workers = [makeWorker({ active: false }), makeWorker(), makeWorker()];
    const teams = [makeTeam(), makeTeam({ size: 1 }), makeTeam(), makeTeam()];
    const result = rankCandidates(makeNeed(), workers, teams);
    expect(result.excluded).toEqual({ worker_inactive: 4, team_too_small: 2 });
    expect(result.considered).toBe(12);
    expect(result.candidates).toHaveLength(6);
  });
});

describe("rankCandidates ranking", () => {
  it("proposes the earliest common free start in the windows", () => {
    const worker = makeWorker({ busy: [span(0, 8, 9.5)] });
    const [candidate] = rankCandidates(makeNeed(), [worker], [makeTeam()]).candidates;
    expect(candidate?.start).toEqual(at(0, 9.5));
    expect(candidate?.end).toEqual(at(0, 11.5));
  });

  it("moves to the next week when the worker's first week is full", () => {
    const need = makeNeed({ windows: [span(4, 9, 12), span(7, 9, 12)] });
    const worker = makeWorker({ weeklyCapacity: 1, busy: [span(1, 14, 16)] });
    const [candidate] = rankCandidates(need, [worker], [makeTeam()]).candidates;
    expect(candidate?.start).toEqual(at(7, 9));
  });

  it("gives a score equal to the sum of its weighted parts", () => {
    const [candidate] = rankCandidates(makeNeed(), [makeWorker()], [makeTeam()]).candidates;
    const sum = scoreParts.reduce((total, part) => total + (candidate?.parts[part] ?? 0), 0);
    expect(candidate?.score).toBe(sum);
  });

  it("explains each part: a local, senior, experienced pair free at once scores 100", () => {
    const need = makeNeed({ minCertificateLevel: "junior" });
    const past = { [need.communityId]: 3 };
    const worker = makeWorker({ certificateLevel: "senior", pastEventsByCommunity: past });
    const team = makeTeam({ pastEventsByCommunity: past });
    const [candidate] = rankCandidates(need, [worker], [team]).candidates;
    expect(candidate?.parts).toEqual({
      skillFit: 30,
      certificate: 10,
      distance: 20,
      availability: 10,
      load: 15,
      pastWork: 15,
    });
  });

  it("ranks by score, best first", () => {
    const near = makeWorker({ homeCountyCode: places.shenhe });
    const far = makeWorker({ homeCountyCode: places.dalianZhongshan });
    const { candidates } = rankCandidates(makeNeed(), [far, near], [makeTeam()]);
    expect(candidates.map((c) => c.socialWorkerId)).toEqual([near.id, far.id]);
  });

  it("breaks score ties by worker id, then team id", () => {
    const workers = [makeWorker({ id: "w-b" }), makeWorker({ id: "w-a" })];
    const teams = [makeTeam({ id: "t-b" }), makeTeam({ id: "t-a" })];
    const { candidates } = rankCandidates(makeNeed(), workers, teams);
    expect(candidates.map((c) => `${c.socialWorkerId}/${c.teamId}`)).toEqual([
      "w-a/t-a",
      "w-a/t-b",
      "w-b/t-a",
      "w-b/t-b",
    ]);
  });

  it("returns at most `limit` candidates, 20 by default", () => {
    const workers = Array.from({ length: 5 }, () => makeWorker());
    const teams = Array.from({ length: 5 }, () => makeTeam());
    expect(rankCandidates(makeNeed(), workers, teams).candidates).toHaveLength(20);
    expect(rankCandidates(makeNeed(), workers, teams, { limit: 3 }).candidates).toHaveLength(3);
  });

  it("agrees with plain enumeration on random instances: candidates, order and exclusions", () => {
    fc.assert(
      fc.property(smallInstance(1), ({ needs, workers, teams }) => {
        const need = needs[0];
        if (!need) return;
        const result = rankCandidates(need, workers, teams, { limit: 1000 });
        const expected = oracleRanking(need, workers, teams);
        expect(result.excluded).toEqual(expected.excluded);
        expect(result.considered).toBe(workers.length * teams.length);
        const key = (worker: string, team: string, start: number) => `${worker}/${team}@${start}`;
        expect(
          new Set(result.candidates.map((c) => key(c.socialWorkerId, c.teamId, +c.start))),
        ).toEqual(new Set(expected.candidates.map((c) => key(c.worker, c.team, c.start))));
        result.candidates.forEach((candidate, i) => {
          const twin = expected.candidates.find(
            (c) => c.worker === candidate.socialWorkerId && c.team === candidate.teamId,
          );
          expect(candidate.score).toBeCloseTo(twin?.score ?? Number.NaN, 9);
          const next = result.candidates[i + 1];
          if (next) expect(candidate.score).toBeGreaterThanOrEqual(next.score);
        });
      }),
      { numRuns: 300 },
    );
  });
});
