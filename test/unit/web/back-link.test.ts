import { describe, expect, it } from "vitest";
import { backLinkFor } from "../../../src/web/public/back-link";

const id = "7d8f6a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a";
const token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

describe("where a volunteer's error page leads back to", () => {
  it("leads from an event's form back to the event", () => {
    expect(backLinkFor(`/events/${id}/signup`)).toEqual({ href: `/events/${id}`, target: "event" });
  });

  it("leads from a private link's action back to the private page", () => {
    expect(backLinkFor(`/signups/${token}/cancel`)).toEqual({
      href: `/signups/${token}`,
      target: "signup",
    });
  });

  it("leads from a recovery step back to its start", () => {
    expect(backLinkFor(`/find/${token}`)).toEqual({ href: "/find", target: "find" });
  });

  it("never leads to the staff pages", () => {
    for (const path of ["/", "/events", "/nowhere", "/staff/login", `/events/${id}`])
      expect(backLinkFor(path).href.startsWith("/staff")).toBe(false);
  });
});
