import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, notifications, signups } from "../../src/db/schema";
import { at, futureDay, makeCommunity, makeEvent, places } from "./factories";
import { call, withDb } from "./helpers";
import { freshMobile, makeAddressedCommunity, makePublicEvent } from "./public-helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

// The staff event page: facts, live counts, link and poster, roster, and each change through the
// same services as the API (capacity, closing, details, reschedule, cancel).

let community: { id: string; name: string; address: string };
let cookie: string;

beforeAll(async () => {
  community = await makeAddressedCommunity(places.shenhe);
  cookie = await signIn(await makeStaffLogin({ role: "coordinator", communityId: community.id }));
});

/** Signs a named volunteer up through the API; returns the private link's token. */
async function signUp(eventId: string, name: string): Promise<string> {
  const response = await call("POST", `/api/v1/events/${eventId}/signups`, {
    json: { name, mobile: freshMobile(), consent: true },
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status}`);
  return ((await response.json()) as { manageToken: string }).manageToken;
}

async function statusesOf(eventId: string): Promise<Record<string, string>> {
  const rows = await withDb((db) =>
    db
      .select({ name: signups.name, status: signups.status })
      .from(signups)
      .where(eq(signups.eventId, eventId)),
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.status]));
}

async function eventRow(id: string) {
  const [row] = await withDb((db) => db.select().from(events).where(eq(events.id, id)));
  if (!row) throw new Error("no event");
  return row;
}

/** The text of the element with this id (no nested tags expected). */
function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/** The settings form's fields: capacity, and sign-ups closing when the event starts. */
function settings(capacity: string, start: Date): [string, string][] {
  const local = new Date(start.getTime() + 8 * 3_600_000).toISOString();
  return [
    ["capacity", capacity],
    ["closesDate", local.slice(0, 10)],
    ["closesTime", local.slice(11, 16)],
  ];
}

describe("the staff event page", () => {
  it("shows facts, live counts, the sign-up link, the poster and the roster with cancelled apart", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, { capacity: 1 });
    await signUp(event.id, "赵有位");
    await signUp(event.id, "钱候补");
    const leaving = await signUp(event.id, "孙取消");
    await call("POST", `/api/v1/signups/manage/${leaving}/cancel`);
    const response = await getPage(`/staff/events/${event.id}`, { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("<script");
    expect(new TextEncoder().encode(html).length).toBeLessThan(20_000);
    expect(html).toContain(event.title);
    expect(html).toContain(community.address);
    expect(textOf(html, "count-confirmed")).toBe("1 / 1");
    expect(textOf(html, "count-waitlisted")).toBe("1");
    expect(textOf(html, "count-cancelled")).toBe("1");
    expect(html).toContain(`value="http://shuangyi.test/events/${event.id}"`);
    expect(html).toContain(`shuangyi.test/e/${event.id.slice(0, 8)}`);
    expect(html).toContain(`href="/staff/events/${event.id}/poster"`);
    // Those holding a place, the waitlist, and the cancelled apart (folded away).
    const holding = /id="roster-holding"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    const waitlist = /id="roster-waitlist"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    const cancelled = /<details id="roster-cancelled">[\s\S]*?<\/details>/.exec(html)?.[0] ?? "";
    expect(holding).toContain("赵有位");
    expect(waitlist).toContain("钱候补");
    expect(cancelled).toContain("孙取消");
    expect(holding + waitlist).not.toContain("孙取消");
    // Scrolling tables take keyboard focus.
    expect(html).toMatch(
      /<section class="card scroll" tabindex="0" aria-labelledby="roster-holding-caption">/,
    );
  });

  it("raises the capacity through the page and the waitlist moves up in order, each told", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, { capacity: 1 });
    await signUp(event.id, "甲");
    await signUp(event.id, "乙");
    await signUp(event.id, "丙");
    const response = await postForm(
      `/staff/events/${event.id}/settings`,
      settings("2", event.startsAt),
      { cookie },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/staff/events/${event.id}?done=settings`);
    expect(await statusesOf(event.id)).toEqual({
      甲: "confirmed",
      乙: "confirmed",
      丙: "waitlisted",
    });
    expect((await eventRow(event.id)).capacity).toBe(2);
    const promoted = await withDb((db) =>
      db
        .select({ id: notifications.id })
        .from(notifications)
        .innerJoin(signups, eq(signups.id, notifications.signupId))
        .where(and(eq(signups.eventId, event.id), eq(notifications.kind, "promoted"))),
    );
    expect(promoted).toHaveLength(1);
    const page = await (await getPage(response.headers.get("Location") ?? "", { cookie })).text();
    expect(page).toContain("报名设置已保存");
    expect(textOf(page, "count-confirmed")).toBe("2 / 2");
  });

  it("refuses fewer places than are taken, beside the field (409), and changes nothing", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, { capacity: 2 });
    await signUp(event.id, "一");
    await signUp(event.id, "二");
    const response = await postForm(
      `/staff/events/${event.id}/settings`,
      settings("1", event.startsAt),
      { cookie },
    );
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('id="settings-capacity-error">名额不能少于已报名的人数</p>');
    expect(html).toMatch(/<details class="card" id="form-settings" open/);
    expect((await eventRow(event.id)).capacity).toBe(2);
  });

  it("refuses sign-ups closing after the start (400) and a malformed capacity", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const late = new Date(event.startsAt.getTime() + 3_600_000);
    const response = await postForm(`/staff/events/${event.id}/settings`, settings("x", late), {
      cookie,
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("报名截止时间不能晚于活动开始时间");
    expect(html).toContain('id="settings-capacity-error">请输入 1 到 10000 之间的整数</p>');
    expect(html).toContain('value="x"');
  });

  it("closes sign-ups earlier through the page", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const earlier = new Date(event.startsAt.getTime() - 24 * 3_600_000);
    const response = await postForm(`/staff/events/${event.id}/settings`, settings("10", earlier), {
      cookie,
    });
    expect(response.status).toBe(303);
    expect((await eventRow(event.id)).signupClosesAt?.toISOString()).toBe(earlier.toISOString());
  });

  it("saves the description, meeting point and contact that volunteers then read; blank clears", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const saved = await postForm(
      `/staff/events/${event.id}/details`,
      [
        ["title", "重阳节 敬老活动"],
        ["description", "为老人量血压，<b>讲解</b>防诈骗知识。"],
        ["meetingPoint", "社区服务中心一楼大厅"],
        ["contact", "王老师 024-12345678"],
      ],
      { cookie },
    );
    expect(saved.status).toBe(303);
    const row = await eventRow(event.id);
    expect(row).toMatchObject({
      title: "重阳节 敬老活动",
      meetingPoint: "社区服务中心一楼大厅",
      contact: "王老师 024-12345678",
    });
    const publicPage = await (await getPage(`/events/${event.id}`)).text();
    expect(publicPage).toContain("集合地点");
    expect(publicPage).toContain("社区服务中心一楼大厅");
    expect(publicPage).toContain("王老师 024-12345678");
    expect(publicPage).toContain("&lt;b&gt;讲解&lt;/b&gt;");
    const cleared = await postForm(
      `/staff/events/${event.id}/details`,
      [
        ["title", "重阳节 敬老活动"],
        ["description", ""],
        ["meetingPoint", "  "],
        ["contact", ""],
      ],
      { cookie },
    );
    expect(cleared.status).toBe(303);
    expect(await eventRow(event.id)).toMatchObject({
      description: null,
      meetingPoint: null,
      contact: null,
    });
  });

  it("refuses an empty title and an over-long contact, keeping what was typed", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const response = await postForm(
      `/staff/events/${event.id}/details`,
      [
        ["title", " "],
        ["contact", "电".repeat(101)],
        ["meetingPoint", "北门"],
      ],
      { cookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="details-title-error">请填写活动名称');
    expect(html).toContain('id="details-contact-error">联系方式最多 100 字');
    expect(html).toContain('value="北门"');
    expect((await eventRow(event.id)).title).toBe(event.title);
  });

  it("moves the event through the page and tells those signed up", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    await signUp(event.id, "周改期");
    const day = futureDay();
    const response = await postForm(
      `/staff/events/${event.id}/reschedule`,
      [
        ["date", day],
        ["start", "14:00"],
        ["end", "16:30"],
        ["reason", "场地冲突"],
      ],
      { cookie },
    );
    expect(response.status).toBe(303);
    const row = await eventRow(event.id);
    expect(row.startsAt.toISOString()).toBe(at(`${day} 14:00`).toISOString());
    expect(row.endsAt.toISOString()).toBe(at(`${day} 16:30`).toISOString());
    const told = await withDb((db) =>
      db
        .select({ id: notifications.id })
        .from(notifications)
        .innerJoin(signups, eq(signups.id, notifications.signupId))
        .where(and(eq(signups.eventId, event.id), eq(notifications.kind, "event_changed"))),
    );
    expect(told).toHaveLength(1);
  });

  it("says beside the time when the lead is already booked then (409) and when it is past (400)", async () => {
    const { event, worker } = await makePublicEvent(community.id, places.shenhe);
    const day = futureDay();
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 12:00`),
    });
    const clash = await postForm(
      `/staff/events/${event.id}/reschedule`,
      [
        ["date", day],
        ["start", "10:00"],
        ["end", "11:00"],
        ["reason", "调整"],
      ],
      { cookie },
    );
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain(
      'id="reschedule-when-error">带队社工或服务队在该时间已有其他活动',
    );
    const past = await postForm(
      `/staff/events/${event.id}/reschedule`,
      [
        ["date", "2021-03-01"],
        ["start", "10:00"],
        ["end", "11:00"],
        ["reason", ""],
      ],
      { cookie },
    );
    expect(past.status).toBe(400);
    const html = await past.text();
    expect(html).toContain("新的开始时间须在将来");
    expect(html).toContain('id="reschedule-reason-error">请说明原因');
    // Said first, at the top of the page where a phone lands, each problem a link to its field.
    const summary = /<div class="alert" role="alert"[\s\S]*?<\/div>/.exec(html)?.[0] ?? "";
    expect(html.indexOf(summary)).toBeLessThan(html.indexOf('id="reschedule-reason-error"'));
    expect(summary).toContain('<a href="#reschedule-reason-error">请说明原因');
    expect(summary).toContain('href="#reschedule-when-error">新的开始时间须在将来');
    expect((await eventRow(event.id)).startsAt.toISOString()).toBe(event.startsAt.toISOString());
  });

  it("cancels with a reason (and not without one); then offers no more changes", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const refused = await postForm(`/staff/events/${event.id}/cancel`, [["reason", ""]], {
      cookie,
    });
    expect(refused.status).toBe(400);
    expect((await eventRow(event.id)).status).toBe("scheduled");
    const cancelled = await postForm(`/staff/events/${event.id}/cancel`, [["reason", "暴雪"]], {
      cookie,
    });
    expect(cancelled.status).toBe(303);
    expect(await eventRow(event.id)).toMatchObject({ status: "cancelled", cancelReason: "暴雪" });
    const html = await (
      await getPage(`/staff/events/${event.id}?done=cancelled`, { cookie })
    ).text();
    expect(html).toContain("活动已取消，并已通知报名的志愿者");
    expect(html).toContain("暴雪");
    expect(html).not.toContain(`action="/staff/events/${event.id}/settings"`);
    // No check-in for an event that will not be held.
    expect(html).not.toContain(`href="/staff/events/${event.id}/checkin"`);
    const again = await postForm(
      `/staff/events/${event.id}/settings`,
      settings("5", event.startsAt),
      {
        cookie,
      },
    );
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("活动已不是“已安排”状态");
  });

  it("prints an A4 poster with title, time, place, QR code and short link, and no script", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    await postForm(
      `/staff/events/${event.id}/details`,
      [
        ["title", event.title],
        ["meetingPoint", "东门广场"],
      ],
      { cookie },
    );
    const response = await getPage(`/staff/events/${event.id}/poster`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toContain("<script");
    expect(new TextEncoder().encode(html).length).toBeLessThan(20_000);
    expect(html).toContain("@page{size:A4");
    expect(html).toContain(event.title);
    expect(html).toContain(community.name);
    expect(html).toContain("东门广场");
    expect(html).toMatch(/<svg class="qr"[^>]*role="img"[^>]*aria-label="报名二维码/);
    expect(html).toContain(`shuangyi.test/e/${event.id.slice(0, 8)}`);
  });

  it("builds the share link and the poster's short link from PUBLIC_ORIGIN, never the Host header", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    for (const path of [`/staff/events/${event.id}`, `/staff/events/${event.id}/poster`]) {
      const response = await SELF.fetch(`http://evil.example${path}`, {
        headers: { Cookie: cookie },
        redirect: "manual",
      });
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).toContain(`shuangyi.test/e/${event.id.slice(0, 8)}`);
      expect(html, path).not.toContain("evil.example");
    }
  });

  it("lets the lead social worker see the event but not change it (403)", async () => {
    const { event, worker } = await makePublicEvent(community.id, places.shenhe);
    const lead = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id }),
    );
    const page = await getPage(`/staff/events/${event.id}`, { cookie: lead });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(`action="/staff/events/${event.id}/cancel"`);
    const refused = await postForm(`/staff/events/${event.id}/cancel`, [["reason", "不想去"]], {
      cookie: lead,
    });
    expect(refused.status).toBe(403);
    expect((await eventRow(event.id)).status).toBe("scheduled");
  });

  it("answers another community's coordinator with 404 to look, print and change", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const other = await makeCommunity(places.shenhe);
    const stranger = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: other.id }),
    );
    for (const path of ["", "/poster"])
      expect((await getPage(`/staff/events/${event.id}${path}`, { cookie: stranger })).status).toBe(
        404,
      );
    const cancel = await postForm(`/staff/events/${event.id}/cancel`, [["reason", "x"]], {
      cookie: stranger,
    });
    expect(cancel.status).toBe(404);
    expect((await eventRow(event.id)).status).toBe("scheduled");
  });

  it("refuses a change posted from another origin (CSRF)", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const response = await postForm(`/staff/events/${event.id}/cancel`, [["reason", "x"]], {
      cookie,
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    expect((await eventRow(event.id)).status).toBe("scheduled");
  });
});

describe("the short link on posters", () => {
  it("leads /e/<code> to the event's sign-up page", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const response = await getPage(`/e/${event.id.slice(0, 8).toUpperCase()}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/events/${event.id}`);
  });

  it("answers 404 for an unknown or malformed code", async () => {
    expect((await getPage("/e/zzzzzzzz")).status).toBe(404);
    expect((await getPage("/e/0000000")).status).toBe(404);
  });
});

describe("the check-in roster", () => {
  it("keeps cancelled sign-ups apart from those holding a place", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, { capacity: 5 });
    await signUp(event.id, "郑到场");
    const leaving = await signUp(event.id, "王已退");
    await call("POST", `/api/v1/signups/manage/${leaving}/cancel`);
    const html = await (await getPage(`/staff/events/${event.id}/checkin`, { cookie })).text();
    const holding = /id="roster-holding"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    const cancelled = /<details id="roster-cancelled">[\s\S]*?<\/details>/.exec(html)?.[0] ?? "";
    expect(holding).toContain("郑到场");
    expect(holding).not.toContain("王已退");
    expect(cancelled).toContain("王已退");
    expect(cancelled).toContain("已取消（1 人，不占名额）");
  });
});
