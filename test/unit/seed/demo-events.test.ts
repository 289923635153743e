import { describe, expect, it } from "vitest";
import { planUpcomingEvents } from "../../../scripts/seed/demo-events";
import { indexRegions, planDemo } from "../../../scripts/seed/demo-plan";
import { readLiaoningRegions } from "../../../scripts/seed/regions";

const plan = planDemo(indexRegions(readLiaoningRegions()));
const now = new Date("2027-03-03T10:00:00+08:00"); // a Wednesday

describe("the demo's upcoming events", () => {
  it("plans a dozen events in the two weeks after now, 多福社区 and 春海社区 among them", () => {
    const { events } = planUpcomingEvents(plan, now);
    expect(events).toHaveLength(12);
    for (const event of events) {
      expect(event.startsAt.getTime()).toBeGreaterThan(now.getTime());
      expect(event.startsAt.getTime() - now.getTime()).toBeLessThan(14 * 86_400_000);
    }
    const communityIds = events.map((e) => e.communityId);
    const byCode = (code: string) => plan.communities.find((c) => c.regionCode === code)?.id;
    expect(communityIds).toContain(byCode("210103005024"));
    expect(communityIds).toContain(byCode("210202001002"));
  });

  it("never books a social worker or a team twice, so no exclusion constraint can trip", () => {
    const { events, eventTeams } = planUpcomingEvents(plan, now);
    expect(new Set(events.map((e) => e.leadSocialWorkerId)).size).toBe(events.length);
    expect(new Set(eventTeams.map((t) => t.teamId)).size).toBe(eventTeams.length);
  });

  it("keys events by the week of seeding: same week same ids, next week new ones", () => {
    const ids = (at: Date) => planUpcomingEvents(plan, at).events.map((e) => e.id);
    expect(ids(new Date("2027-03-05T20:00:00+08:00"))).toEqual(ids(now));
    expect(ids(new Date("2027-03-10T10:00:00+08:00"))).not.toEqual(ids(now));
  });
});
