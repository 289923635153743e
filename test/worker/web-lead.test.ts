import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, notifications, signups } from "../../src/db/schema";
import { at, futureDay, makeCommunity, makeEvent, makeSocialWorker, places } from "./factories";
import { call, clockAt, withDb } from "./helpers";
import { freshMobile } from "./public-helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

// A lead social worker's answer (accept or decline) from their home and from the event page, and
// the calendar subscription page; each through the same services as the API.

let communityId: string;
let worker: { id: string };
let cookie: string;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe)).id;
  worker = await makeSocialWorker(places.shenhe);
  cookie = await signIn(await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id }));
});

async function ledEvent(values: { start?: Date; end?: Date } = {}) {
  const day = futureDay();
  return makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start: values.start ?? at(`${day} 09:00`),
    end: values.end ?? at(`${day} 11:00`),
  });
}

async function eventRow(id: string) {
  const [row] = await withDb((db) => db.select().from(events).where(eq(events.id, id)));
  if (!row) throw new Error("no event");
  return row;
}

/** The home page's card of one event. */
function cardOf(html: string, eventId: string): string {
  return new RegExp(`<li class="card" id="event-${eventId}">[\\s\\S]*?</li>`).exec(html)?.[0] ?? "";
}

describe("a lead social worker answers in the pages", () => {
  it("accepts from the home page's list and comes back to it", async () => {
    const event = await ledEvent();
    const home = await (await getPage("/staff", { cookie })).text();
    const card = cardOf(home, event.id);
    expect(card).toContain("待确认");
    expect(card).toContain(`action="/staff/events/${event.id}/accept"`);
    expect(card).toContain(`action="/staff/events/${event.id}/decline"`);
    const response = await postForm(`/staff/events/${event.id}/accept`, [["back", "home"]], {
      cookie,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/staff?accepted=${event.id}#event-${event.id}`);
    expect((await eventRow(event.id)).leadResponse).toBe("accepted");
    const after = await (await getPage(`/staff?accepted=${event.id}`, { cookie })).text();
    expect(after).toContain("您已接受这项安排");
    expect(cardOf(after, event.id)).not.toContain(`/staff/events/${event.id}/accept`);
  });

  it("declines from the event page: the event is cancelled and those signed up are told", async () => {
    const event = await ledEvent();
    const signup = await call("POST", `/api/v1/events/${event.id}/signups`, {
      json: { name: "吴志愿", mobile: freshMobile(), consent: true },
    });
    expect(signup.status).toBe(201);
    const page = await (await getPage(`/staff/events/${event.id}`, { cookie })).text();
    expect(page).toContain("是否接受这项安排？");
    const response = await postForm(
      `/staff/events/${event.id}/decline`,
      [
        ["back", "event"],
        ["reason", "当天有培训"],
      ],
      { cookie },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/staff/events/${event.id}?done=declined`);
    const row = await eventRow(event.id);
    expect(row).toMatchObject({ status: "cancelled", leadResponse: "declined" });
    expect(row.cancelReason).toContain("当天有培训");
    const told = await withDb((db) =>
      db
        .select({ id: notifications.id })
        .from(notifications)
        .innerJoin(signups, eq(signups.id, notifications.signupId))
        .where(and(eq(signups.eventId, event.id), eq(notifications.kind, "event_cancelled"))),
    );
    expect(told).toHaveLength(1);
  });

  it("says the event can no longer change (409) when it is already over", async () => {
    const event = await makeEvent({
      communityId,
      socialWorkerId: worker.id,
      start: at("2024-05-01 09:00"),
      end: at("2024-05-01 11:00"),
      status: "completed",
    });
    const response = await postForm(`/staff/events/${event.id}/accept`, [["back", "home"]], {
      cookie,
    });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("活动已不是“已安排”状态");
    // Nobody is asked for an answer about an event already held.
    const home = await (await getPage("/staff", { cookie })).text();
    expect(cardOf(home, event.id)).not.toContain("待确认");
  });

  it("still takes a late accept once a scheduled event has ended, but no longer a decline", async () => {
    const event = await ledEvent();
    const after = clockAt(new Date(event.endsAt.getTime() + 3_600_000));
    const home = await (await getPage("/staff", { cookie, headers: after })).text();
    const card = cardOf(home, event.id);
    expect(card).toContain(`action="/staff/events/${event.id}/accept"`);
    expect(card).not.toContain(`action="/staff/events/${event.id}/decline"`);
    const page = await (
      await getPage(`/staff/events/${event.id}`, { cookie, headers: after })
    ).text();
    expect(page).toContain(`action="/staff/events/${event.id}/accept"`);
    expect(page).not.toContain(`action="/staff/events/${event.id}/decline"`);
    expect(page).toContain(`href="/staff/events/${event.id}/outcome"`);
    const response = await postForm(`/staff/events/${event.id}/accept`, [["back", "event"]], {
      cookie,
      headers: after,
    });
    expect(response.status).toBe(303);
    expect((await eventRow(event.id)).leadResponse).toBe("accepted");
  });

  it("refuses a coordinator's accept (403): only the lead answers", async () => {
    const event = await ledEvent();
    const coordinator = await signIn(await makeStaffLogin({ role: "coordinator", communityId }));
    const response = await postForm(`/staff/events/${event.id}/accept`, [], {
      cookie: coordinator,
    });
    expect(response.status).toBe(403);
    expect((await eventRow(event.id)).leadResponse).toBe("pending");
  });

  it("answers another social worker's event with 404", async () => {
    const other = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    const theirs = await makeEvent({
      communityId,
      socialWorkerId: other.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    const response = await postForm(`/staff/events/${theirs.id}/decline`, [], { cookie });
    expect(response.status).toBe(404);
    expect((await eventRow(theirs.id)).status).toBe("scheduled");
  });
});

describe("subscribing to my calendar", () => {
  it("makes a link shown once, for calendar apps (webcal and https) and as a QR code", async () => {
    const event = await ledEvent();
    expect(await (await getPage("/staff", { cookie })).text()).toContain('href="/staff/calendar"');
    const before = await (await getPage("/staff/calendar", { cookie })).text();
    expect(before).toContain("您还没有订阅链接");
    const made = await postForm("/staff/calendar", [], { cookie });
    expect(made.status).toBe(200);
    const html = await made.text();
    expect(html).not.toContain("<script");
    const url = /value="(http:\/\/shuangyi\.test\/calendar\/[A-Za-z0-9_-]+\.ics)"/.exec(html)?.[1];
    expect(url).toBeDefined();
    expect(html).toContain(`href="${url?.replace("http:", "webcal:")}"`);
    expect(html).toMatch(/<svg class="qr"[^>]*role="img"/);
    const feed = await call("GET", new URL(url ?? "").pathname);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(event.title);
    expect(await (await getPage("/staff/calendar", { cookie })).text()).toContain("仍然有效");

    // A new link stops the old one; stopping it leaves none.
    const again = await (await postForm("/staff/calendar", [], { cookie })).text();
    const newer = /value="http:\/\/shuangyi\.test(\/calendar\/[^"]+)"/.exec(again)?.[1] ?? "";
    expect((await call("GET", new URL(url ?? "").pathname)).status).toBe(404);
    const revoked = await postForm("/staff/calendar/revoke", [], { cookie });
    expect(revoked.status).toBe(303);
    expect((await call("GET", newer)).status).toBe(404);
  });

  it("is only for social workers (403 for a coordinator)", async () => {
    const coordinator = await signIn(await makeStaffLogin({ role: "coordinator", communityId }));
    expect((await getPage("/staff/calendar", { cookie: coordinator })).status).toBe(403);
    expect((await postForm("/staff/calendar", [], { cookie: coordinator })).status).toBe(403);
  });
});
