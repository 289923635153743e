import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { readConfig } from "../../src/env";
import { places } from "./factories";
import {
  freshMobile,
  makeAddressedCommunity,
  makePublicEvent,
  signUpByApi,
  signUpByForm,
  signupFields,
  soon,
  submitSignup,
} from "./public-helpers";
import { getPage } from "./web-helpers";

let community: Awaited<ReturnType<typeof makeAddressedCommunity>>;

beforeAll(async () => {
  community = await makeAddressedCommunity(places.shenhe);
});

describe("the front door", () => {
  it("shows upcoming events, finding one's sign-ups and the way in for staff", async () => {
    await makePublicEvent(community.id, places.shenhe, soon());
    const response = await getPage("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("专业社工与志愿服务，如鸟之双翼、车之两轮。");
    expect(html).toMatch(/<h3><a href="\/events\/[0-9a-f-]{36}">/);
    expect(html).toContain('href="/find"');
    expect(html).toContain('<a class="button" href="/staff/login">工作人员登录</a>');
    expect(html.toLowerCase()).not.toContain("<script");
    expect(new TextEncoder().encode(html).length).toBeLessThan(20_000);
  });

  it("puts the chosen community's events first and remembers the choice", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, soon());
    const response = await getPage(`/?near=${community.regionCode}`);
    const html = await response.text();
    expect(html).toContain(`<h2>${community.name}附近的活动</h2>`);
    expect(html).toContain(event.title);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("near="));
    expect(cookie).toContain(community.regionCode);
    const again = await getPage("/", { headers: { Cookie: `near=${community.regionCode}` } });
    expect(await again.text()).toContain(`<h2>${community.name}附近的活动</h2>`);
  });
});

describe("add to calendar", () => {
  it("downloads the volunteer's event as iCalendar in Beijing time", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const { link, html } = await signUpByForm(event.id, signupFields());
    expect(html).toContain(`href="${link}/event.ics"`);
    const response = await getPage(`${link}/event.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain("attachment");
    const text = await response.text();
    const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent");
    expect(vevent?.getFirstPropertyValue("summary")).toBe(event.title);
    expect(vevent?.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(text).toContain("DTSTART;TZID=Asia/Shanghai:");
    expect(vevent?.getFirstPropertyValue("location")).toContain(community.address);
    // The event's public page, never the private link (calendars are synced and shared).
    const description = String(vevent?.getFirstPropertyValue("description"));
    expect(description).toContain(`http://shuangyi.test/events/${event.id}`);
    expect(text.replace(/\r\n /g, "")).not.toContain(link);
  });

  it("marks a waitlisted volunteer's event as tentative", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe, { capacity: 1 });
    await signUpByApi(event.id);
    const { link } = await signUpByForm(event.id, signupFields());
    const text = await (await getPage(`${link}/event.ics`)).text();
    expect(text).toContain("STATUS:TENTATIVE");
  });
});

describe("fair limits on the sign-up page", () => {
  async function post(eventId: string, mobile: string, bindings: object) {
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`http://shuangyi.test/events/${eventId}/signup`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "http://shuangyi.test",
        },
        body: new URLSearchParams(signupFields({ name: "赵志愿", mobile })).toString(),
        redirect: "manual",
      }),
      bindings,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  it("refuses a number's sixth sign-up in a minute with the event page, the form as typed and when to retry", async () => {
    const bindings = { ...env, SIGNUP_RATE_LIMIT_PER_MOBILE: "1" };
    const mobile = freshMobile();
    const a = await makePublicEvent(community.id, places.shenhe);
    const b = await makePublicEvent(community.id, places.shenhe);
    expect((await post(a.event.id, mobile, bindings)).status).toBe(303);
    const refused = await post(b.event.id, mobile, bindings);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await refused.text();
    expect(html).toContain(b.event.title);
    expect(html).toContain('value="赵志愿"');
    expect(html).toContain(`value="${mobile}"`);
    expect(html).toMatch(/请在约 \d+ 秒后再次提交。您填写的内容已保留。/);
  });

  it("does not count a malformed form against the event", async () => {
    const bindings = { ...env, SIGNUP_RATE_LIMIT_PER_EVENT: "1" };
    const { event } = await makePublicEvent(community.id, places.shenhe);
    for (let i = 0; i < 3; i++) expect((await post(event.id, "123", bindings)).status).toBe(400);
    expect((await post(event.id, freshMobile(), bindings)).status).toBe(303);
    expect((await post(event.id, freshMobile(), bindings)).status).toBe(429);
  });
});

describe("the volunteers' error pages", () => {
  it("says a sign-up may have been stored when the database fails, and leads back to the event", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const unreachable = { ...env, DATABASE_URL: "postgres://nowhere.invalid/x" };
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request(`http://shuangyi.test/events/${event.id}/signup`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "http://shuangyi.test",
        },
        body: new URLSearchParams(signupFields()).toString(),
      }),
      unreachable,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBeGreaterThanOrEqual(500);
    const html = await response.text();
    expect(html).toContain("报名可能已经保存");
    expect(html).toContain('href="/find"');
    expect(html).toContain(`href="/events/${event.id}"`);
    expect(html).not.toContain("/staff");
  });

  it("leads a refused cross-site form back to its event, never to the staff sign-in", async () => {
    const { event } = await makePublicEvent(community.id, places.shenhe);
    const response = await submitSignup(event.id, signupFields(), {
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain(`href="/events/${event.id}"`);
    expect(html).not.toContain("/staff");
  });
});

describe("PUBLIC_ORIGIN", () => {
  it("must be set, and be an origin: no path, no trailing slash", () => {
    expect(readConfig(env).publicOrigin).toBe("http://shuangyi.test");
    for (const bad of [undefined, "", "shuangyi.test", "https://x.org/", "https://x.org/app"])
      expect(() => readConfig({ ...env, PUBLIC_ORIGIN: bad as string })).toThrow(/PUBLIC_ORIGIN/);
  });
});

describe("HOLIDAYS and WORKING_WEEKENDS", () => {
  it("add a later year's holidays to the built-in ones, and refuse a list that does not read", () => {
    const config = readConfig({
      ...env,
      HOLIDAYS: "2027-01-01, 2027-02-06..2027-02-12",
      WORKING_WEEKENDS: "2027-02-20",
    });
    expect(config.requestLimits.calendar.holidays?.has("2027-02-10")).toBe(true);
    expect(config.requestLimits.calendar.holidays?.has("2026-10-01")).toBe(true);
    expect(config.requestLimits.calendar.workingWeekends?.has("2027-02-20")).toBe(true);
    expect(() => readConfig({ ...env, HOLIDAYS: "2027-13-01" })).toThrow(
      /HOLIDAYS must list dates/,
    );
    expect(() => readConfig({ ...env, WORKING_WEEKENDS: "next saturday" })).toThrow(
      /WORKING_WEEKENDS must list dates/,
    );
  });
});
