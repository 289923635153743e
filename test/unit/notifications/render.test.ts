import { describe, expect, it } from "vitest";
import { notificationKinds } from "../../../src/notifications/kinds";
import { formatWhen, renderText } from "../../../src/notifications/render";

const payload = {
  eventTitle: "长者心理关爱",
  startsAt: "2027-03-05T01:00:00.000Z",
  endsAt: "2027-03-05T03:00:00.000Z",
  place: "格林豪森社区",
  confirmationCode: "K7QX3M",
  waitlistPosition: 2,
  previousStartsAt: "2027-03-04T01:00:00.000Z",
  reason: "天气原因",
};

describe("notification texts", () => {
  it("shows times in Asia/Shanghai without leading zeros on the date", () => {
    expect(formatWhen(payload.startsAt, payload.endsAt)).toBe("3月5日 09:00–11:00");
  });

  it("names the other day when an event ends on a later date", () => {
    expect(formatWhen(payload.startsAt, "2027-03-05T17:00:00.000Z")).toBe(
      "3月5日 09:00–3月6日 01:00",
    );
  });

  it("renders a signed Chinese text with the title for every kind", () => {
    for (const kind of notificationKinds) {
      const text = renderText(kind, payload);
      expect(text.startsWith("【双翼】")).toBe(true);
      expect(text).toContain("长者心理关爱");
    }
  });

  it("gives the waitlist position, the old start and the cancellation reason", () => {
    expect(renderText("waitlisted", payload)).toContain("候补名单第 2 位");
    expect(renderText("event_changed", payload)).toContain("原定 3月4日 09:00");
    expect(renderText("event_cancelled", payload)).toContain("原因：天气原因");
  });
});

describe("notification texts with the private link", () => {
  const link = "https://volunteer.example.org/signups/AbCdEfGhIjKlMnOpQrStUvWxYz012345";

  it("ends the messages about the volunteer's own place with their link", () => {
    for (const kind of ["signup_confirmed", "waitlisted", "promoted", "reminder"] as const)
      expect(renderText(kind, payload, link).endsWith(link)).toBe(true);
    expect(renderText("event_changed", payload, link)).toContain(`如不能参加，请取消：${link}`);
  });

  it("leaves the link out of a cancellation, and out of every text without one", () => {
    expect(renderText("event_cancelled", payload, link)).not.toContain(link);
    for (const kind of notificationKinds) expect(renderText(kind, payload)).not.toContain("http");
  });
});
