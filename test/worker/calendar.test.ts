import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call } from "./helpers";

describe("a social worker's calendar feed", () => {
  let worker: { id: string };
  let me: Actor;
  let community: { id: string };
  beforeAll(async () => {
    community = await makeCommunity(places.shenhe);
    worker = await makeSocialWorker(places.shenhe);
    me = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  });

  async function newFeed(token = me.token): Promise<{ id: string; url: string }> {
    const response = await call("POST", "/api/v1/calendar-feeds", { token, json: {} });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; url: string };
  }

  it("serves the worker's events as iCalendar that an independent parser reads back", async () => {
    const day = futureDay();
    const event = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 10:00`),
      end: at(`${day} 12:00`),
    });
    const { url } = await newFeed();
    const response = await call("GET", new URL(url).pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/calendar");
    const text = await response.text();
    expect(text).toContain("\r\n");
    const calendar = new ICAL.Component(ICAL.parse(text));
    const vevents = calendar.getAllSubcomponents("vevent");
    const ours = vevents.find((ve) => ve.getFirstPropertyValue("uid") === `${event.id}@shuangyi`);
    expect(ours).toBeDefined();
    expect(String(ours?.getFirstPropertyValue("status"))).toBe("TENTATIVE");
  });

  it("stops serving a link once a new one is made", async () => {
    const first = await newFeed();
    await newFeed();
    expect((await call("GET", new URL(first.url).pathname)).status).toBe(404);
  });

  it("stops serving a revoked link", async () => {
    const feed = await newFeed();
    expect(
      (await call("DELETE", `/api/v1/calendar-feeds/${feed.id}`, { token: me.token })).status,
    ).toBe(200);
    expect((await call("GET", new URL(feed.url).pathname)).status).toBe(404);
  });

  it("answers 404 when a social worker asks for someone else's feed", async () => {
    const other = await makeSocialWorker(places.shenhe);
    const response = await call("POST", "/api/v1/calendar-feeds", {
      token: me.token,
      json: { socialWorkerId: other.id },
    });
    expect(response.status).toBe(404);
  });

  it("answers 404 for a made-up link", async () => {
    expect((await call("GET", "/calendar/abcdefghijklmnopqrstuvwxyz012345.ics")).status).toBe(404);
  });
});
