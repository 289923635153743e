import { describe, expect, it } from "vitest";
import {
  earliestFreeStart,
  emptyTimeline,
  minutes,
  timelineOf,
  weekOf,
  weekStart,
  withInterval,
} from "../../../src/matching/time";
import { at, span } from "./factories";

describe("weekOf", () => {
  it("starts a week on Monday 00:00 in Asia/Shanghai", () => {
    const monday = Date.parse("2025-09-08T00:00:00+08:00");
    expect(weekOf(monday)).toBe(weekOf(monday - 1) + 1);
    expect(weekStart(weekOf(monday))).toBe(monday);
  });

  it("keeps Sunday evening in the week that began the Monday before", () => {
    expect(weekOf(Date.parse("2025-09-07T23:59:00+08:00"))).toBe(weekOf(at(0, 0).getTime()));
  });
});

describe("timelineOf", () => {
  it("sorts and merges overlapping and touching intervals", () => {
    const timeline = timelineOf([span(0, 14, 15), span(0, 9, 10), span(0, 10, 11)]);
    expect([...timeline.starts]).toEqual([at(0, 9).getTime(), at(0, 14).getTime()]);
    expect([...timeline.ends]).toEqual([at(0, 11).getTime(), at(0, 15).getTime()]);
  });

  it("adds an interval without changing the original", () => {
    const timeline = timelineOf([span(0, 9, 10)]);
    const added = withInterval(timeline, at(0, 10).getTime(), at(0, 12).getTime());
    expect([...added.ends]).toEqual([at(0, 12).getTime()]);
    expect([...timeline.ends]).toEqual([at(0, 10).getTime()]);
  });
});

describe("earliestFreeStart", () => {
  const windows = timelineOf([span(0, 9, 12), span(1, 9, 12)]);
  const twoHours = minutes(120);

  it("is the first window's start when everyone is free", () => {
    expect(earliestFreeStart(windows, twoHours, emptyTimeline, emptyTimeline)).toBe(
      at(0, 9).getTime(),
    );
  });

  it("is the end of a busy interval that blocks the window start", () => {
    const busy = timelineOf([span(0, 8, 10)]);
    expect(earliestFreeStart(windows, twoHours, busy, emptyTimeline)).toBe(at(0, 10).getTime());
  });

  it("moves to the next window when the two timelines leave no room in this one", () => {
    const worker = timelineOf([span(0, 9, 10)]);
    const team = timelineOf([span(0, 11, 12)]);
    expect(earliestFreeStart(windows, twoHours, worker, team)).toBe(at(1, 9).getTime());
  });

  it("may start late in a window and run past its end", () => {
    const busy = timelineOf([span(0, 9, 11.5)]);
    expect(earliestFreeStart(windows, twoHours, busy, emptyTimeline)).toBe(at(0, 11.5).getTime());
  });

  it("is NaN when no window has a free start", () => {
    const busy = timelineOf([span(0, 8, 13), span(1, 8, 13)]);
    expect(earliestFreeStart(windows, twoHours, busy, emptyTimeline)).toBeNaN();
  });

  it("respects from and until", () => {
    const from = at(0, 10).getTime();
    const until = at(0, 10.5).getTime();
    expect(earliestFreeStart(windows, twoHours, emptyTimeline, emptyTimeline, from, until)).toBe(
      from,
    );
    expect(
      earliestFreeStart(windows, twoHours, emptyTimeline, emptyTimeline, until, until),
    ).toBeNaN();
  });
});
