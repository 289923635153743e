import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import type { NeedStatus } from "../../src/domain/vocabulary";
import { makeCommunity, makeEvent, makeNeed, makeSocialWorker } from "./factories";
import { withDb } from "./helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

/** 沙河口区 (大连): a county of its own, so its needs and events are this file's alone. */
const COUNTY = "210204";
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** As long as a title may be (the API takes 200 characters): the list shortens it. */
const LONG_TITLE = "社区长者心理健康讲座与一对一咨询服务".repeat(12).slice(0, 200);

const PENDING = 23;
const ENDED = 8;
const UPCOMING = 23;
const PAST = 4;
const pendingCycle: NeedStatus[] = ["open", "matched", "scheduled"];

const size = (html: string) => new TextEncoder().encode(html).length;
const decode = (href: string) => href.replaceAll("&amp;", "&");
const withLang = (path: string, lang: string) =>
  `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;

/** The ids a page links to under `prefix` (`/staff/needs/`, `/staff/events/`), in its order. */
function linkedIds(html: string, prefix: string): string[] {
  const links = html.matchAll(new RegExp(`href="${prefix}([0-9a-f-]{36})"`, "g"));
  return [...links].map((match) => match[1] ?? "");
}

/** Follows 下一页 from `path` to the last page; each page's HTML, in order. */
async function walk(path: string, cookie: string): Promise<string[]> {
  const pages: string[] = [];
  let next: string | undefined = path;
  while (next) {
    const response = await getPage(next, { cookie });
    expect(response.status, next).toBe(200);
    const html = await response.text();
    pages.push(html);
    const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
    next = href && decode(href);
    if (pages.length > 10) throw new Error(`${path}: no last page`);
  }
  return pages;
}

/** The link the home puts after "另有 N 个未列出。", by its words. */
function homeLink(html: string, words: string): { more: number; href: string } | undefined {
  const match = new RegExp(`另有 (\\d+) 个未列出。 <a href="([^"]+)">${words}</a>`).exec(html);
  return match ? { more: Number(match[1]), href: decode(match[2] ?? "") } : undefined;
}

type Made = { id: string };
interface Community {
  id: string;
  /** Needs still to work on, soonest window first; then the ended, latest window first. */
  pending: Made[];
  ended: Made[];
  /** Events not yet ended, soonest first (one under way); then the ended, latest first. */
  upcoming: Made[];
  past: Made[];
  name: string;
  lead: string;
  cancelled: string;
}

const hours = (at: number, length = 2) => ({
  start: new Date(at),
  end: new Date(at + length * HOUR),
});

/** A community with more needs and events than the home lists, each kind in a known order. */
async function busyCommunity(counts: {
  pending: number;
  ended: number;
  upcoming: number;
  past: number;
}) {
  const community = await makeCommunity(COUNTY, { isPilot: true });
  const lead = await makeSocialWorker(COUNTY, { name: `社工${"长".repeat(60)}` });
  const now = Date.now();
  const pending: Made[] = [];
  for (let i = 0; i < counts.pending; i++) {
    // Twenty windows (the most a need may have), a week apart, from a day of its own.
    const windows = Array.from({ length: 20 }, (_, w) => hours(now + (10 + i + 7 * w) * DAY, 8));
    const status = pendingCycle[i % pendingCycle.length];
    pending.push(await makeNeed(community.id, { windows, status }));
  }
  const ended: Made[] = [];
  for (let i = 0; i < counts.ended; i++) {
    const windows = [hours(now + (5 - 3 * i) * DAY, 8)];
    ended.push(await makeNeed(community.id, { windows, status: i % 2 ? "withdrawn" : "closed" }));
  }
  const event = (range: { start: Date; end: Date }, status?: "completed" | "cancelled") =>
    makeEvent({ communityId: community.id, socialWorkerId: lead.id, ...range, status });
  const upcoming: Made[] = [await event(hours(now - HOUR))];
  for (let i = 1; i < counts.upcoming; i++) upcoming.push(await event(hours(now + i * DAY)));
  const past: Made[] = [];
  for (let i = 1; i <= counts.past; i++) past.push(await event(hours(now - i * DAY), "completed"));
  // A cancelled event still to come is listed, marked (it takes no time of its lead).
  const cancelled = await event(hours(now + 2 * DAY + 4 * HOUR), "cancelled");
  upcoming.splice(3, 0, cancelled);
  await withDb((db) =>
    db
      .update(events)
      .set({ title: LONG_TITLE })
      .where(
        inArray(
          events.id,
          [...upcoming, ...past].map((e) => e.id),
        ),
      ),
  );
  return {
    id: community.id,
    name: community.name,
    pending,
    ended,
    upcoming,
    past,
    lead: lead.id,
    cancelled: cancelled.id,
  };
}

let a: Community;
let b: Community;
let coordinatorA: string;
let coordinatorB: string;

beforeAll(async () => {
  a = await busyCommunity({ pending: PENDING, ended: ENDED, upcoming: UPCOMING, past: PAST });
  b = await busyCommunity({ pending: 2, ended: 1, upcoming: 2, past: 1 });
  coordinatorA = await signIn(await makeStaffLogin({ role: "coordinator", communityId: a.id }));
  coordinatorB = await signIn(await makeStaffLogin({ role: "coordinator", communityId: b.id }));
});

const ids = (made: Made[]) => made.map((m) => m.id);

describe("from the home to every need and event", () => {
  it("follows the home's link past the needs it lists to every need still to work on, in its order", async () => {
    const home = await (await getPage("/staff", { cookie: coordinatorA })).text();
    const link = homeLink(home, "查看全部待办需求");
    expect(link).toEqual({ more: PENDING - 6, href: "/staff/needs" });
    const pages = await walk(link?.href ?? "", coordinatorA);
    expect(pages).toHaveLength(2);
    expect(pages.map((html) => linkedIds(html, "/staff/needs/").length)).toEqual([20, 3]);
    expect(pages.flatMap((html) => linkedIds(html, "/staff/needs/"))).toEqual(ids(a.pending));
    // The home's six are the list's first six.
    expect(linkedIds(home, "/staff/needs/").slice(0, 6)).toEqual(ids(a.pending).slice(0, 6));
    expect(pages[0]).toContain("第 1 / 2 页");
    // One community: its name is the home's title, not repeated on every line.
    expect(pages.join("")).not.toContain(a.name);
    expect(pages[1]).toContain('<a href="/staff/needs" rel="prev">上一页</a>');
  });

  it("follows the home's link to every ended or withdrawn need, latest first", async () => {
    const home = await (await getPage("/staff", { cookie: coordinatorA })).text();
    const link = homeLink(home, "查看全部已结束或撤回的需求");
    expect(link).toEqual({ more: ENDED - 5, href: "/staff/needs?status=ended" });
    const [page, ...more] = await walk(link?.href ?? "", coordinatorA);
    expect(more).toEqual([]);
    expect(linkedIds(page ?? "", "/staff/needs/")).toEqual(ids(a.ended));
    expect(page).toContain('<span class="badge withdrawn">已撤回</span>');
    expect(page).not.toContain('<span class="badge open">');
  });

  it("follows the home's link to every event to come, soonest first, the cancelled one marked", async () => {
    const home = await (await getPage("/staff", { cookie: coordinatorA })).text();
    const link = homeLink(home, "查看全部即将开展的活动");
    expect(link).toEqual({ more: a.upcoming.length - 5, href: "/staff/events" });
    const pages = await walk(link?.href ?? "", coordinatorA);
    expect(pages.map((html) => linkedIds(html, "/staff/events/").length)).toEqual([20, 4]);
    expect(pages.flatMap((html) => linkedIds(html, "/staff/events/"))).toEqual(ids(a.upcoming));
    const cancelled = pages[0]?.indexOf(`href="/staff/events/${a.cancelled}"`) ?? -1;
    const line = pages[0]?.slice(cancelled, pages[0].indexOf("</li>", cancelled)) ?? "";
    expect(line).toContain('<span class="badge cancelled">已取消</span>');
    expect(pages[0]?.match(/badge cancelled/g)).toHaveLength(1);
  });

  it("lists the past events latest first, from the home's link", async () => {
    const home = await (await getPage("/staff", { cookie: coordinatorA })).text();
    expect(home).toContain('<a href="/staff/events?when=past">查看全部已过去的活动</a>');
    const [page, ...more] = await walk("/staff/events?when=past", coordinatorA);
    expect(more).toEqual([]);
    expect(linkedIds(page ?? "", "/staff/events/")).toEqual(ids(a.past));
    expect(page).toContain('<a href="/staff/events">即将开展</a>');
    expect(page).toContain('<a href="/staff/events?when=past" aria-current="page">已过去</a>');
  });

  it("takes the lead social worker from their home to every event they lead", async () => {
    const cookie = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: a.lead }),
    );
    const home = await (await getPage("/staff", { cookie })).text();
    const link = homeLink(home, "查看全部即将开展的活动");
    expect(link?.href).toBe("/staff/events");
    const pages = await walk(link?.href ?? "", cookie);
    expect(pages[0]).toContain("<h1>我负责的服务活动</h1>");
    expect(pages.flatMap((html) => linkedIds(html, "/staff/events/"))).toEqual(ids(a.upcoming));
  });
});

describe("the status filter", () => {
  it("shows one status at a time, and all of them with those to work on first", async () => {
    for (const status of pendingCycle) {
      const pages = await walk(`/staff/needs?status=${status}`, coordinatorA);
      const listed = pages.flatMap((html) => linkedIds(html, "/staff/needs/"));
      expect(listed, status).toEqual(
        ids(a.pending.filter((_, i) => i % 3 === pendingCycle.indexOf(status))),
      );
      expect(pages[0]).toContain(`<a href="/staff/needs?status=${status}" aria-current="page">`);
    }
    const closed = await walk("/staff/needs?status=closed", coordinatorA);
    expect(closed.flatMap((html) => linkedIds(html, "/staff/needs/"))).toEqual(
      ids(a.ended.filter((_, i) => i % 2 === 0)),
    );
    const all = await walk("/staff/needs?status=all", coordinatorA);
    expect(all).toHaveLength(2);
    // 下一页 keeps the filter.
    expect(all[0]).toContain('<a href="/staff/needs?status=all&amp;page=2" rel="next">下一页</a>');
    expect(all[0]).toContain(`共 ${PENDING + ENDED} 个`);
    expect(all.flatMap((html) => linkedIds(html, "/staff/needs/"))).toEqual([
      ...ids(a.pending),
      ...ids(a.ended),
    ]);
  });

  it("sends a page past the last to the last page, keeping the filter", async () => {
    const response = await getPage("/staff/needs?status=all&page=9", { cookie: coordinatorA });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/needs?status=all&page=2");
    const events = await getPage("/staff/events?when=past&page=3", { cookie: coordinatorA });
    expect(events.headers.get("Location")).toBe("/staff/events?when=past");
  });
});

describe("scope", () => {
  it("never shows another community's needs or events to its coordinator", async () => {
    const paths = ["/staff/needs?status=all", "/staff/events", "/staff/events?when=past"];
    const seen = (await Promise.all(paths.map((path) => walk(path, coordinatorB)))).flat().join("");
    for (const id of [...ids(a.pending), ...ids(a.ended), ...ids(a.upcoming), ...ids(a.past)])
      expect(seen).not.toContain(id);
    for (const id of [...ids(b.pending), ...ids(b.ended), ...ids(b.upcoming), ...ids(b.past)])
      expect(seen).toContain(id);
  });

  it("shows a social worker only the events they lead, and no needs (their home has none)", async () => {
    const cookie = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: b.lead }),
    );
    const html = (await walk("/staff/events", cookie)).join("");
    expect(linkedIds(html, "/staff/events/")).toEqual(ids(b.upcoming));
    expect((await getPage("/staff/needs", { cookie })).status).toBe(403);
  });
});

describe("the size budget", () => {
  it("keeps a full page under 20 KB, in both languages, for a coordinator and an admin", async () => {
    const admin = await signIn(await makeStaffLogin({ role: "admin" }));
    for (const lang of ["zh", "en"])
      for (const [path, cookie] of [
        ["/staff/needs?status=all", coordinatorA],
        ["/staff/events", coordinatorA],
        ["/staff/needs?status=all", admin],
        ["/staff/events", admin],
      ] as const) {
        const html = await (await getPage(withLang(path, lang), { cookie })).text();
        expect(html).toContain('rel="next"');
        expect(linkedIds(html, `${path.split("?")[0]}/`)).toHaveLength(20);
        expect(size(html), `${path} ${lang}`).toBeLessThan(20_000);
      }
  });
});
