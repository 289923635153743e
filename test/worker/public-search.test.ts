import { inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import { PAGE_SIZE } from "../../src/events/public-search";
import { makeCommunity, places, unique } from "./factories";
import { withDb } from "./helpers";
import { makePublicEvent } from "./public-helpers";
import { getPage } from "./web-helpers";

/** Titles of the events on a list page, in order. */
const titlesOn = (html: string) =>
  [...html.matchAll(/<h2><a href="\/events\/[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]);

/** Beijing 10:00 `days` days after the test clock's "now". */
function beijingDay(now: Date, days: number, hour = 10): Date {
  const local = new Date(now.getTime() + 8 * 3_600_000 + days * 86_400_000);
  return new Date(
    `${local.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00:00+08:00`,
  );
}

/** The list as it looks at `now` (the test suites may name the request's clock). */
const listAt = (query: string, now: Date) =>
  getPage(`/events?${query}`, { headers: { "X-Test-Now": now.toISOString() } }).then((r) =>
    r.text(),
  );

let home: Awaited<ReturnType<typeof makeCommunity>>;
let sameStreet: Awaited<ReturnType<typeof makeCommunity>>;

beforeAll(async () => {
  home = await makeCommunity(places.shenhe);
  sameStreet = await makeCommunity(places.shenhe);
});

describe("searching the public list", () => {
  it("finds events by a word of the title or the community's name", async () => {
    const { event } = await makePublicEvent(home.id, places.shenhe);
    const word = event.title.slice(-6);
    const html = await (await getPage(`/events?q=${encodeURIComponent(word)}`)).text();
    expect(titlesOn(html)).toEqual([event.title]);
    const byCommunity = await (await getPage(`/events?q=${encodeURIComponent(home.name)}`)).text();
    expect(titlesOn(byCommunity)).toContain(event.title);
  });

  it("finds events by a kind of service in everyday words (心理 → 心理疏导)", async () => {
    const { event } = await makePublicEvent(home.id, places.shenhe);
    const html = await (
      await getPage(`/events?q=${encodeURIComponent(`心理 ${home.name}`)}`)
    ).text();
    expect(titlesOn(html)).toContain(event.title);
  });

  it("treats % and _ in a search as plain characters", async () => {
    const html = await (await getPage("/events?q=%25_%25")).text();
    expect(titlesOn(html)).toEqual([]);
    expect(html).toContain("没有符合条件的活动。");
    expect(html).toContain('<a href="/events">清除全部筛选</a>');
  });

  it("narrows to today, this week or the weekend in Beijing time", async () => {
    // A Wednesday morning in Beijing, far ahead so that only this test's events are around it.
    const now = new Date("2041-01-02T01:00:00Z");
    const community = await makeCommunity(places.dadong);
    const at = (days: number) => ({
      start: beijingDay(now, days),
      end: new Date(beijingDay(now, days).getTime() + 3_600_000),
    });
    const today = await makePublicEvent(community.id, places.dadong, at(0));
    const friday = await makePublicEvent(community.id, places.dadong, at(2));
    const saturday = await makePublicEvent(community.id, places.dadong, at(3));
    const nextWeek = await makePublicEvent(community.id, places.dadong, at(7));
    const region = `region=${places.dadong}`;
    expect(titlesOn(await listAt(`${region}&when=today`, now))).toEqual([today.event.title]);
    expect(titlesOn(await listAt(`${region}&when=week`, now))).toEqual(
      [today, friday, saturday].map((e) => e.event.title),
    );
    expect(titlesOn(await listAt(`${region}&when=weekend`, now))).toEqual([saturday.event.title]);
    expect(titlesOn(await listAt(region, now))).toContain(nextWeek.event.title);
  });

  it("puts the events nearest the chosen community first", async () => {
    const now = new Date("2042-01-02T01:00:00Z");
    const far = await makeCommunity(places.zhongshan);
    const later = { start: beijingDay(now, 5), end: beijingDay(now, 5, 12) };
    const sooner = { start: beijingDay(now, 1), end: beijingDay(now, 1, 12) };
    const away = await makePublicEvent(far.id, places.zhongshan, sooner);
    const near = await makePublicEvent(home.id, places.shenhe, later);
    // Only these two match the words: other files' events of those days cannot crowd page 1.
    const tag = unique("近远");
    await withDb((db) =>
      db
        .update(events)
        .set({ title: sql`${tag} || ' ' || ${events.title}` })
        .where(inArray(events.id, [away.event.id, near.event.id])),
    );
    away.event.title = `${tag} ${away.event.title}`;
    near.event.title = `${tag} ${near.event.title}`;
    const html = await listAt(`near=${home.regionCode}&q=${encodeURIComponent(tag)}`, now);
    const titles = titlesOn(html);
    expect(titles.indexOf(near.event.title)).toBeLessThan(titles.indexOf(away.event.title));
    expect(html).toContain('<span class="badge">本社区</span>');
    expect(sameStreet.regionCode.slice(0, 6)).toBe(home.regionCode.slice(0, 6));
  });

  it("pages through many events with previous and next links", async () => {
    const now = new Date("2043-01-02T01:00:00Z");
    const community = await makeCommunity(places.dadong);
    for (let i = 0; i < PAGE_SIZE + 2; i++)
      await makePublicEvent(community.id, places.dadong, {
        start: beijingDay(now, 1 + i),
        end: beijingDay(now, 1 + i, 12),
      });
    const query = `region=${places.dadong}&q=${encodeURIComponent(community.name)}`;
    const first = await listAt(query, now);
    expect(titlesOn(first)).toHaveLength(PAGE_SIZE);
    expect(first).toContain(`共 ${PAGE_SIZE + 2} 个活动`);
    expect(first).toContain("第 1 / 2 页");
    const next = /href="([^"]+page=2)" rel="next"/.exec(first)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toBeDefined();
    const second = await listAt(next?.split("?")[1] ?? "", now);
    expect(titlesOn(second)).toHaveLength(2);
    expect(second).toContain('rel="prev"');
  });

  it("says so, kindly, when nothing is open at all", async () => {
    // After the last instant any test can book (the fuzz test's reach ends with 2100), so that
    // no other file's event is still open then, whatever order the files ran in.
    const html = await listAt("", new Date("2101-06-01T00:00:00Z"));
    expect(html).toContain("暂时没有可报名的活动");
  });
});
