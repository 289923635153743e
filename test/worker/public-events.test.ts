import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import { places } from "./factories";
import { withDb } from "./helpers";
import { makeAddressedCommunity, makePublicEvent, signUpByApi, soon } from "./public-helpers";
import { getPage } from "./web-helpers";

let shenhe: Awaited<ReturnType<typeof makeAddressedCommunity>>;
let zhongshan: Awaited<ReturnType<typeof makeAddressedCommunity>>;

beforeAll(async () => {
  shenhe = await makeAddressedCommunity(places.shenhe);
  zhongshan = await makeAddressedCommunity(places.zhongshan);
});

/** The list item of one event, by its title. */
function cardOf(html: string, title: string): string | undefined {
  return html.match(/<li class="card">[\s\S]*?<\/li>/g)?.find((card) => card.includes(title));
}

describe("the public event list", () => {
  it("shows an upcoming event with its service type, community and places left", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, { capacity: 3, ...soon() });
    await signUpByApi(event.id);
    const response = await getPage("/events");
    expect(response.status).toBe(200);
    const card = cardOf(await response.text(), event.title);
    expect(card).toContain("心理疏导");
    expect(card).toContain(shenhe.name);
    expect(card).toContain("剩余 2 个名额");
  });

  it("says 已满，可候补 when every place is taken", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, { capacity: 1, ...soon() });
    await signUpByApi(event.id);
    const card = cardOf(await (await getPage("/events")).text(), event.title);
    expect(card).toContain("已满，可候补");
  });

  it("offers cities and counties in one select, each city's counties grouped under it", async () => {
    const all = await (await getPage("/events")).text();
    const select = /<select id="region"[\s\S]*?<\/select>/.exec(all)?.[0] ?? "";
    expect(select.match(/<optgroup /g)).toHaveLength(14);
    // Each city as a whole, and the province's 100 counties.
    expect(select.match(/<option value="\d{6}"/g)).toHaveLength(114);
    expect(select).toMatch(
      /<optgroup label="沈阳市"><option value="210100">沈阳市（全市）<\/option>/,
    );
    const shenhe = await (await getPage(`/events?region=${places.shenhe}`)).text();
    expect(shenhe).toMatch(new RegExp(`<option value="${places.shenhe}" selected="">`));
  });

  it("offers the chosen county's communities to sort by nearness", async () => {
    const html = await (await getPage(`/events?region=${places.shenhe}`)).text();
    const near = /<select id="near"[\s\S]*?<\/select>/.exec(html)?.[0] ?? "";
    expect(near).toContain(`<option value="${shenhe.regionCode}">${shenhe.name}</option>`);
    expect(near).not.toContain(zhongshan.regionCode);
    expect(await (await getPage("/events")).text()).not.toContain('id="near"');
  });

  it("filters by city", async () => {
    const inShenyang = await makePublicEvent(shenhe.id, places.shenhe, soon());
    const inDalian = await makePublicEvent(zhongshan.id, places.zhongshan, soon());
    const html = await (await getPage(`/events?city=${places.shenyang}`)).text();
    expect(html).toContain(inShenyang.event.title);
    expect(html).not.toContain(inDalian.event.title);
  });

  it("filters by county within the city", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, soon());
    const own = await getPage(`/events?city=${places.shenyang}&county=${places.shenhe}`);
    expect(await own.text()).toContain(event.title);
    const other = await getPage(`/events?city=${places.shenyang}&county=${places.dadong}`);
    expect(await other.text()).not.toContain(event.title);
  });

  it("says 报名已截止 instead of places left once sign-ups have closed, on the list and the event page", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, { capacity: 5, ...soon() });
    // The coordinator closed sign-ups an hour ago.
    await withDb((db) =>
      db
        .update(events)
        .set({ signupClosesAt: new Date(Date.now() - 3_600_000) })
        .where(eq(events.id, event.id)),
    );
    const card = cardOf(await (await getPage("/events")).text(), event.title);
    expect(card).toContain("报名已截止");
    expect(card).not.toContain("剩余");
    const page = await (await getPage(`/events/${event.id}`)).text();
    expect(page).toContain('<span class="badge closed">报名已截止</span>');
    expect(page).not.toContain("剩余 5 个名额");
  });

  it("leaves out cancelled events", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, {
      status: "cancelled",
      ...soon(),
    });
    expect(await (await getPage("/events")).text()).not.toContain(event.title);
  });

  it("shows English when asked by Accept-Language", async () => {
    const html = await (await getPage("/events", { headers: { "Accept-Language": "en" } })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Volunteer sign-up");
  });
});

describe("the public event page", () => {
  it("shows what, where, when, who leads, which team and places left", async () => {
    const { event, worker, team } = await makePublicEvent(shenhe.id, places.shenhe, {
      capacity: 5,
    });
    const response = await getPage(`/events/${event.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const fact of [
      event.title,
      "心理疏导",
      shenhe.name,
      shenhe.address,
      worker.name,
      "高级社会工作师",
      team.name,
      "剩余 5 个名额",
    ])
      expect(html).toContain(fact);
  });

  it("offers no places on a cancelled event's page", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, {
      capacity: 4,
      status: "cancelled",
    });
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toContain('<span class="badge closed">已取消</span>');
    expect(html).not.toContain("剩余 4 个名额");
  });

  it("shows the time in Beijing time", async () => {
    const start = new Date("2031-03-05T01:30:00Z");
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, {
      start,
      end: new Date("2031-03-05T03:00:00Z"),
    });
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toMatch(/2031年3月5日.*09:30–11:00/);
  });

  it("shows the form with labelled fields and the privacy notice naming 30 days", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toContain(`action="/events/${event.id}/signup"`);
    expect(html).toContain('<label for="name">姓名</label>');
    expect(html).toContain('<label for="mobile">手机号码</label>');
    // The consent checkbox sits inside its label.
    expect(html).toMatch(
      /<label><input id="consent" type="checkbox" name="consent"[^>]*\/>我已阅读/,
    );
    expect(html).toContain('name="skills" value="first_aid"');
    expect(html).toContain("手机号码加密保存");
    expect(html).toContain("活动结束 30 天后");
  });

  it("sends no-store and a script-free Content-Security-Policy", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const response = await getPage(`/events/${event.id}`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(await response.text()).not.toContain("<script");
  });

  it("shows the event page and its form in English with ?lang=en", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const html = await (await getPage(`/events/${event.id}?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Counselling");
    expect(html).toContain("deleted 30 days after the event");
  });

  it("weighs under 20 KB", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const bytes = (await (await getPage(`/events/${event.id}`)).arrayBuffer()).byteLength;
    console.log(`event page weight: ${bytes} bytes`);
    expect(bytes).toBeLessThan(20 * 1024);
  });

  it("says a cancelled event was cancelled and shows no form", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, { status: "cancelled" });
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toContain("此活动已取消，不再接受报名。");
    expect(html).not.toContain('<form method="post"');
    expect(html).not.toContain('id="consent"');
  });

  it("says a past event is over and shows no form", async () => {
    const start = new Date(Date.now() - 5 * 86_400_000);
    const { event } = await makePublicEvent(shenhe.id, places.shenhe, {
      start,
      end: new Date(start.getTime() + 3_600_000),
    });
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toContain("此活动已结束。");
    expect(html).not.toContain('id="consent"');
  });

  it("answers an unknown id with a friendly 404 page", async () => {
    const response = await getPage(`/events/${crypto.randomUUID()}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("返回活动列表");
  });

  it("answers a malformed id with the same 404 page", async () => {
    const response = await getPage("/events/not-an-id");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toContain("text/html");
  });
});

describe("the poster QR code", () => {
  it("is an SVG image", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const response = await getPage(`/events/${event.id}/qr.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("image/svg+xml");
    expect(await response.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("is linked from the event page as 海报二维码", async () => {
    const { event } = await makePublicEvent(shenhe.id, places.shenhe);
    const html = await (await getPage(`/events/${event.id}`)).text();
    expect(html).toContain(`<a href="/events/${event.id}/qr.svg">海报二维码</a>`);
  });

  it("answers an unknown event with 404", async () => {
    const response = await getPage(`/events/${crypto.randomUUID()}/qr.svg`);
    expect(response.status).toBe(404);
  });
});
