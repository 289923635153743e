import { describe, expect, it } from "vitest";
import { rankCandidates } from "../../../src/matching/candidates";
import {
  explainCandidate,
  groupByWorker,
  placeOf,
  placesLeftInWeek,
} from "../../../src/matching/explain";
import { at, makeNeed, makeTeam, makeWorker, places, span } from "./factories";

/** Ranks one worker with one team and explains the single candidate, "now" being `now`. */
function explainOne(
  need: ReturnType<typeof makeNeed>,
  worker: ReturnType<typeof makeWorker>,
  team: ReturnType<typeof makeTeam>,
  now = at(0, 8),
) {
  const [candidate] = rankCandidates(need, [worker], [team]).candidates;
  if (!candidate) throw new Error("the pair should be a candidate");
  return explainCandidate(need, candidate, worker, team, now);
}

describe("placeOf", () => {
  it("names the shared county when the county is the community's", () => {
    expect(placeOf(places.duofu, places.shenhe)).toEqual({ nearness: "county", code: "210103" });
  });

  it("names the shared city for another county of the same city", () => {
    expect(placeOf(places.duofu, places.dadong)).toEqual({ nearness: "city", code: "210100" });
  });

  it("names the person's own county when they come from another city", () => {
    expect(placeOf(places.duofu, places.dalianZhongshan)).toEqual({
      nearness: "province",
      code: "210202",
    });
  });

  it("says far for another province, and for a malformed code", () => {
    expect(placeOf(places.duofu, "110105").nearness).toBe("far");
    expect(placeOf(places.duofu, "nope").nearness).toBe("far");
  });
});

describe("placesLeftInWeek", () => {
  it("reads what is left of the weekly capacity from the load points", () => {
    // 15 points is an empty week; each event of 3 takes a third of them.
    expect(placesLeftInWeek(15, 3)).toBe(3);
    expect(placesLeftInWeek(10, 3)).toBe(2);
    expect(placesLeftInWeek(5, 3)).toBe(1);
    expect(placesLeftInWeek(0, 3)).toBe(0);
  });

  it("is 0 for a worker with no capacity", () => {
    expect(placesLeftInWeek(15, 0)).toBe(0);
  });
});

describe("explainCandidate", () => {
  it("says a worker of the same county with an intermediate certificate meets the need", () => {
    const need = makeNeed({ minCertificateLevel: "intermediate" });
    const explained = explainOne(
      need,
      makeWorker({ certificateLevel: "intermediate" }),
      makeTeam(),
    );
    expect(explained.worker).toEqual({ nearness: "county", code: "210103" });
    expect(explained.certificate).toEqual({ held: "intermediate", above: false });
  });

  it("says a senior certificate is above an intermediate requirement", () => {
    const need = makeNeed({ minCertificateLevel: "intermediate" });
    const explained = explainOne(need, makeWorker({ certificateLevel: "senior" }), makeTeam());
    expect(explained.certificate).toEqual({ held: "senior", above: true });
  });

  it("counts the events the worker can still take in the start's week", () => {
    // Two events already that week out of a capacity of 4: two left.
    const worker = makeWorker({ weeklyCapacity: 4, busy: [span(1, 9, 11), span(2, 9, 11)] });
    const explained = explainOne(makeNeed(), worker, makeTeam());
    expect(explained.weekLeft).toEqual({ left: 2, thisWeek: true });
  });

  it("says 'that week' when the start is in another week than now", () => {
    const explained = explainOne(makeNeed(), makeWorker(), makeTeam(), at(-7, 8));
    expect(explained.weekLeft.thisWeek).toBe(false);
  });

  it("lists the wanted skills the pair covers and those it lacks", () => {
    const need = makeNeed({
      serviceType: "elderly_care",
      requiredSkills: ["first_aid", "legal_aid"],
    });
    const explained = explainOne(
      need,
      makeWorker({ skills: ["elderly_care"] }),
      makeTeam({ skills: ["first_aid"] }),
    );
    expect(explained.skills).toEqual({
      covered: ["elderly_care", "first_aid"],
      missing: ["legal_aid"],
    });
  });

  it("counts the worker's and the team's completed events in the community", () => {
    const need = makeNeed();
    const explained = explainOne(
      need,
      makeWorker({ pastEventsByCommunity: { [need.communityId]: 4 } }),
      makeTeam({ pastEventsByCommunity: { other: 9 }, countyCode: places.dadong, size: 12 }),
    );
    expect(explained.pastWork).toEqual({ worker: 4, team: 0 });
    expect(explained.team).toEqual({ nearness: "city", code: "210100", size: 12 });
  });
});

describe("groupByWorker", () => {
  const pair = (worker: string, team: string) => ({ socialWorkerId: worker, teamId: team });

  it("lists each social worker once, in the order of their best pair", () => {
    const ranked = [pair("a", "1"), pair("a", "2"), pair("b", "1"), pair("a", "3"), pair("c", "2")];
    const groups = groupByWorker(ranked, 5, 5);
    expect(groups.map((group) => group.best)).toEqual([
      pair("a", "1"),
      pair("b", "1"),
      pair("c", "2"),
    ]);
    expect(groups[0]?.others).toEqual([pair("a", "2"), pair("a", "3")]);
  });

  it("keeps at most the asked number of workers and of other teams", () => {
    const ranked = [pair("a", "1"), pair("a", "2"), pair("a", "3"), pair("b", "1"), pair("c", "1")];
    const groups = groupByWorker(ranked, 2, 1);
    expect(groups.map((group) => group.best.socialWorkerId)).toEqual(["a", "b"]);
    expect(groups[0]?.others).toEqual([pair("a", "2")]);
  });
});
