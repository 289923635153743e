import { describe, expect, it } from "vitest";
import { indexRegions, planDemo } from "../../../scripts/seed/demo-plan";
import { planDemoRequests } from "../../../scripts/seed/demo-requests";
import { readLiaoningRegions } from "../../../scripts/seed/regions";

const plan = planDemo(indexRegions(readLiaoningRegions()));
const now = new Date("2026-12-06T10:00:00+08:00");

/** Hours and minutes of an instant in Beijing time. */
const beijing = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

describe("the demo's requests", () => {
  it("turns requests into needs whose windows are 09:00–17:00 of a day, as a coordinator writes them", () => {
    const { needs } = planDemoRequests(plan.communities, now);
    expect(needs.length).toBeGreaterThan(100);
    for (const need of needs) {
      const [window] = need.windows as { start: string; end: string }[];
      if (!window) throw new Error("a need without a window");
      expect(beijing(new Date(window.start))).toBe("09:00");
      expect(beijing(new Date(window.end))).toBe("17:00");
    }
  });
});
