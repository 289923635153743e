import { describe, expect, it } from "vitest";
import { indexRegions, planDemo } from "../../../scripts/seed/demo-plan";
import { DEMO_YEAR, planDemoYear } from "../../../scripts/seed/demo-year";
import { readLiaoningRegions } from "../../../scripts/seed/regions";

const index = indexRegions(readLiaoningRegions());
const plan = planDemo(index);
const after = new Date("2026-03-01T00:00:00+08:00");
const year = planDemoYear(plan, index.counties, DEMO_YEAR, { now: after });

const workerById = new Map(plan.socialWorkers.map((worker) => [worker.id, worker]));
const teamById = new Map(plan.volunteerTeams.map((team) => [team.id, team]));
const communityById = new Map(plan.communities.map((community) => [community.id, community]));
const cityOf = (code: string) => code.slice(0, 4);
const byEvent = <T extends { eventId: string }>(rows: T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.eventId, [...(map.get(row.eventId) ?? []), row]);
  return map;
};
const teamsOf = byEvent(year.eventTeams);
const attendeesOf = byEvent(year.attendees);
const groupsOf = byEvent(year.outcomeGroups);

/** Shanghai calendar month (1–12) of an instant. */
const shanghaiMonth = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).getUTCMonth() + 1;

describe("planDemoYear", () => {
  it("plans the same rows, ids included, every time", () => {
    expect(planDemoYear(plan, index.counties, DEMO_YEAR, { now: after })).toEqual(year);
  });

  it("plans completed events in every pilot community, over all twelve months of the year", () => {
    expect(year.events.length).toBeGreaterThanOrEqual(1_500);
    expect(new Set(year.events.map((event) => event.id)).size).toBe(year.events.length);
    expect(new Set(year.events.map((event) => event.communityId)).size).toBe(100);
    const perMonth = new Map<number, number>();
    for (const event of year.events) {
      expect(event.status).toBe("completed");
      expect(event.startsAt.getTime()).toBeGreaterThanOrEqual(Date.parse("2025-01-01T00:00+08:00"));
      expect(event.endsAt.getTime()).toBeLessThan(Date.parse("2026-01-01T00:00+08:00"));
      const month = shanghaiMonth(event.startsAt);
      perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
    }
    expect(perMonth.size).toBe(12);
    // Spread out: no month holds more than twice its share.
    for (const n of perMonth.values()) expect(n).toBeLessThan((2 * year.events.length) / 12);
  });

  it("has each event led by a social worker and served by teams of its county or city", () => {
    let local = 0;
    for (const event of year.events) {
      const county = communityById.get(event.communityId)?.countyCode ?? "";
      const lead = workerById.get(event.leadSocialWorkerId);
      expect(lead && cityOf(lead.homeCountyCode)).toBe(cityOf(county));
      if (lead?.homeCountyCode === county) local++;
      const teams = teamsOf.get(event.id) ?? [];
      expect(teams.length).toBeGreaterThanOrEqual(1);
      for (const row of teams)
        expect(cityOf(teamById.get(row.teamId)?.countyCode ?? "")).toBe(cityOf(county));
    }
    expect(local / year.events.length).toBeGreaterThan(0.7);
  });

  it("mostly gives an event a lead with the service type among their skills", () => {
    const skilled = year.events.filter((event) =>
      workerById.get(event.leadSocialWorkerId)?.skills.includes(event.serviceType),
    );
    expect(skilled.length / year.events.length).toBeGreaterThan(0.5);
  });

  it("never books a social worker, team or community into two overlapping events", () => {
    const check = (intervals: Map<string, { start: number; end: number }[]>) => {
      for (const [who, list] of intervals) {
        const sorted = [...list].sort((a, b) => a.start - b.start);
        for (let i = 1; i < sorted.length; i++) {
          expect(sorted[i]?.start, who).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);
        }
      }
    };
    const add = (
      map: Map<string, { start: number; end: number }[]>,
      key: string,
      e: { startsAt: Date; endsAt: Date },
    ) =>
      map.set(key, [
        ...(map.get(key) ?? []),
        { start: e.startsAt.getTime(), end: e.endsAt.getTime() },
      ]);
    const workers = new Map<string, { start: number; end: number }[]>();
    const communities = new Map<string, { start: number; end: number }[]>();
    for (const event of year.events) {
      add(workers, event.leadSocialWorkerId, event);
      add(communities, event.communityId, event);
    }
    const teams = new Map<string, { start: number; end: number }[]>();
    for (const row of year.eventTeams)
      add(teams, row.teamId, { startsAt: row.startsAt as Date, endsAt: row.endsAt as Date });
    check(workers);
    check(teams);
    check(communities);
  });

  it("records the attendees as members of the serving teams, with hours = attendees × event hours", () => {
    const volunteerTeam = new Map(plan.volunteers.map((v) => [v.id, v.teamId]));
    for (const [i, event] of year.events.entries()) {
      const outcome = year.outcomes[i];
      expect(outcome?.eventId).toBe(event.id);
      const attendees = attendeesOf.get(event.id) ?? [];
      const teams = new Set((teamsOf.get(event.id) ?? []).map((row) => row.teamId));
      for (const a of attendees)
        expect(teams.has(volunteerTeam.get(a.volunteerId) ?? "")).toBe(true);
      expect(new Set(attendees.map((a) => a.volunteerId)).size).toBe(attendees.length);
      expect(outcome?.volunteersAttended).toBe(attendees.length);
      expect(attendees.length).toBeLessThanOrEqual(event.capacity);
      const hours = (event.endsAt.getTime() - event.startsAt.getTime()) / 3_600_000;
      expect(outcome?.volunteerHours).toBe(attendees.length * hours);
      expect(outcome?.status).toBe("signed_off");
      expect(outcome?.signedOffAt.getTime()).toBeGreaterThan(event.endsAt.getTime());
    }
  });

  it("serves mostly older people and children, new-employment groups in some events", () => {
    const total = new Map<string, number>();
    for (const row of year.outcomeGroups) {
      expect(row.personTimes).toBeGreaterThan(0);
      total.set(row.targetGroup, (total.get(row.targetGroup) ?? 0) + row.personTimes);
    }
    const all = [...total.values()].reduce((sum, n) => sum + n, 0);
    expect(((total.get("elderly") ?? 0) + (total.get("children") ?? 0)) / all).toBeGreaterThan(0.5);
    expect(total.get("delivery_rider")).toBeGreaterThan(0);
    expect(total.get("courier")).toBeGreaterThan(0);
    for (const event of year.events) expect(groupsOf.get(event.id)?.length).toBeGreaterThan(0);
  });

  it("notes disputes mediated on most mediation events", () => {
    const mediations = year.outcomes.filter((outcome) => outcome.serviceType === "mediation");
    const noted = mediations.filter((outcome) =>
      outcome.notes?.some((note) => note.kind === "disputes_mediated" && note.count > 0),
    );
    expect(noted.length / mediations.length).toBeGreaterThan(0.6);
  });

  it("leaves out events that had not ended by now, keeping the ids of the others", () => {
    const midYear = new Date("2025-07-01T00:00:00+08:00");
    const half = planDemoYear(plan, index.counties, DEMO_YEAR, { now: midYear });
    expect(half.events.length).toBeGreaterThan(0);
    expect(half.events.length).toBeLessThan(year.events.length);
    for (const event of half.events)
      expect(event.endsAt.getTime()).toBeLessThanOrEqual(midYear.getTime());
    const ids = new Set(year.events.map((event) => event.id));
    expect(half.events.every((event) => ids.has(event.id))).toBe(true);
    for (const outcome of half.outcomes) {
      expect(outcome.signedOffAt.getTime()).toBeLessThanOrEqual(midYear.getTime());
    }
    const halfIds = new Set(half.events.map((event) => event.id));
    expect(half.attendees.every((a) => halfIds.has(a.eventId))).toBe(true);
  });
});
