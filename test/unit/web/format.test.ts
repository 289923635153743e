import { describe, expect, it } from "vitest";
import { formatDeadline, shortened } from "../../../src/web/format";

describe("formatDeadline", () => {
  it("writes the next Beijing day's 00:00 as the last day with 24:00", () => {
    const due = new Date("2026-12-09T00:00:00+08:00");
    expect(formatDeadline(due, "zh")).toBe("2026年12月8日周二 24:00 前");
    expect(formatDeadline(due, "en")).toBe("by the end of Tue 8 Dec 2026");
  });

  it("writes any other instant as it is", () => {
    const due = new Date("2026-12-08T17:30:00+08:00");
    expect(formatDeadline(due, "zh")).toBe("2026年12月8日周二 17:30 前");
    expect(formatDeadline(due, "en")).toBe("by Tue, 8 Dec 2026, 17:30");
  });
});

describe("shortened", () => {
  it("keeps a short text and cuts a long one by characters, with an ellipsis", () => {
    expect(shortened("楼道灯坏了", 5)).toBe("楼道灯坏了");
    expect(shortened("楼道灯坏了需要维修", 5)).toBe("楼道灯坏了…");
  });
});
