import { describe, expect, it } from "vitest";
import { validatePlan } from "../../../src/matching/validate";
import { at, makeNeed, makeTeam, makeWorker, span } from "./factories";

describe("validatePlan", () => {
  const need = makeNeed();
  const worker = makeWorker();
  const team = makeTeam();
  const entry = (start: Date, overrides = {}) => ({
    needId: need.id,
    socialWorkerId: worker.id,
    teamId: team.id,
    start,
    end: new Date(start.getTime() + 120 * 60_000),
    score: 50,
    parts: { skillFit: 30, certificate: 10, distance: 10, availability: 0, load: 0, pastWork: 0 },
    ...overrides,
  });

  it("accepts a feasible plan", () => {
    expect(validatePlan({ entries: [entry(at(0, 9))] }, [need], [worker], [team])).toEqual([]);
  });

  it("reports a start outside the need's windows", () => {
    const problems = validatePlan({ entries: [entry(at(0, 13))] }, [need], [worker], [team]);
    expect(problems).toEqual([`need ${need.id}: start is outside its windows`]);
  });

  it("reports a need planned twice and the overlap it causes", () => {
    const plan = { entries: [entry(at(0, 9)), entry(at(0, 10))] };
    expect(validatePlan(plan, [need], [worker], [team])).toEqual(
      expect.arrayContaining([`need ${need.id} is planned more than once`]),
    );
  });

  it("reports two overlapping events of one team", () => {
    const other = makeNeed();
    const plan = {
      entries: [entry(at(0, 9)), entry(at(0, 10), { needId: other.id, socialWorkerId: "x" })],
    };
    const workers = [worker, makeWorker({ id: "x" })];
    expect(validatePlan(plan, [need, other], workers, [team])).toEqual([
      `${team.id}: needs ${need.id} and ${other.id} overlap`,
    ]);
  });

  it("reports a week over the worker's capacity, existing events included", () => {
    const busy = makeWorker({ id: worker.id, weeklyCapacity: 1, busy: [span(3, 14, 16)] });
    expect(validatePlan({ entries: [entry(at(0, 9))] }, [need], [busy], [team])).toEqual([
      `${worker.id}: 2 events in one week, capacity 1`,
    ]);
  });

  it("reports a total that is not the sum of the entries", () => {
    const plan = { entries: [entry(at(0, 9))], totalScore: 60 };
    expect(validatePlan(plan, [need], [worker], [team])).toHaveLength(1);
  });
});
