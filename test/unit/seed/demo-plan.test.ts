import { describe, expect, it } from "vitest";
import { indexRegions, planDemo } from "../../../scripts/seed/demo-plan";
import { readLiaoningRegions } from "../../../scripts/seed/regions";

const index = indexRegions(readLiaoningRegions());
const plan = planDemo(index);

describe("planDemo", () => {
  it("plans the same rows, ids included, every time", () => {
    expect(planDemo(index)).toEqual(plan);
  });

  it("gives every row a distinct id", () => {
    const ids = Object.values(plan).flatMap((rows) => rows.map((row) => row.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("mixes certificate levels about 55 / 35 / 10", () => {
    const share = (level: string) =>
      plan.socialWorkers.filter((worker) => worker.certificateLevel === level).length /
      plan.socialWorkers.length;
    expect(share("junior")).toBeCloseTo(0.55, 1);
    expect(share("intermediate")).toBeCloseTo(0.35, 1);
    expect(share("senior")).toBeCloseTo(0.1, 1);
  });

  it("gives social workers 1–3 skills and a weekly capacity of 2–5", () => {
    for (const worker of plan.socialWorkers) {
      expect(worker.skills.length).toBeGreaterThanOrEqual(1);
      expect(worker.skills.length).toBeLessThanOrEqual(3);
      expect(worker.weeklyCapacity).toBeGreaterThanOrEqual(2);
      expect(worker.weeklyCapacity).toBeLessThanOrEqual(5);
    }
  });

  it("gives every team 8–12 volunteers whose skills are among the team's", () => {
    for (const team of plan.volunteerTeams) {
      const members = plan.volunteers.filter((volunteer) => volunteer.teamId === team.id);
      expect(members).toHaveLength(team.size);
      expect(team.size).toBeGreaterThanOrEqual(8);
      expect(team.size).toBeLessThanOrEqual(12);
      for (const member of members)
        expect(team.skills).toEqual(expect.arrayContaining(member.skills));
    }
  });

  it("gives every volunteer a distinct, well-formed, made-up mobile number", () => {
    const mobiles = plan.volunteers.map((volunteer) => volunteer.mobile);
    expect(new Set(mobiles).size).toBe(mobiles.length);
    for (const mobile of mobiles) expect(mobile).toMatch(/^170\d{8}$/);
  });

  it("gives pilot coordinators an office phone with the city's area code", () => {
    const phoneOf = (code: string) =>
      plan.communities.find((community) => community.regionCode === code)?.coordinatorPhone;
    expect(phoneOf("210103005024")).toMatch(/^024-2\d{7}$/);
    expect(phoneOf("210202001002")).toMatch(/^0411-8\d{7}$/);
  });

  it("picks a 社区 as the pilot wherever the county has one", () => {
    for (const community of plan.communities) {
      const county = index.communitiesByCounty.get(community.countyCode) ?? [];
      if (county.some((place) => place.name.endsWith("社区"))) {
        expect(community.name.endsWith("社区"), community.regionCode).toBe(true);
      }
    }
  });
});
