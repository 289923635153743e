import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signups } from "../../src/db/schema";
import { makeActor, places } from "./factories";
import { call, withDb } from "./helpers";
import {
  freshMobile,
  makeAddressedCommunity,
  makePublicEvent,
  manageLinkOf,
  signUpByApi,
  signUpByForm,
  signupFields,
  submitSignup,
} from "./public-helpers";
import { getPage, postForm } from "./web-helpers";

let communityId: string;

beforeAll(async () => {
  communityId = (await makeAddressedCommunity(places.shenhe)).id;
});

async function openEvent(capacity = 10) {
  return (await makePublicEvent(communityId, places.shenhe, { capacity })).event;
}

function signupsOf(eventId: string) {
  return withDb((db) => db.select().from(signups).where(eq(signups.eventId, eventId)));
}

/** The `<p class="field-error">` a field's aria-describedby points at, if any. */
function fieldError(html: string, field: string): string | undefined {
  const input = new RegExp(`<input id="${field}"[^>]*aria-describedby="[^"]*${field}-error`);
  if (!input.test(html)) return undefined;
  return new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
}

describe("submitting the public sign-up form", () => {
  it("answers a sign-up with 303 to the private page, which is the confirmation", async () => {
    const event = await openEvent();
    const response = await submitSignup(event.id, signupFields());
    expect(response.status).toBe(303);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    // Built from PUBLIC_ORIGIN, whatever Host the request came with.
    expect(response.headers.get("Location")).toMatch(
      /^http:\/\/shuangyi\.test\/signups\/[A-Za-z0-9_-]{20,}\?new=1$/,
    );
    const { html, link, page } = await signUpByForm(event.id, signupFields());
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(html).toContain("<h1>报名成功</h1>");
    expect(html).toContain("已报名");
    expect(html).toMatch(/<strong class="score">[ACDEFGHJKMNPQRTUVWXY34679]{6}<\/strong>/);
    expect(manageLinkOf(html)).toBe(link);
    expect(await signupsOf(event.id)).toHaveLength(2);
  });

  it("shows the same confirmation again on reload, and stores nothing more", async () => {
    const event = await openEvent();
    const { location, html } = await signUpByForm(event.id, signupFields());
    const url = new URL(location);
    const again = await (await getPage(`${url.pathname}${url.search}`)).text();
    expect(again).toContain("<h1>报名成功</h1>");
    expect(again.match(/class="score">(\w{6})</)?.[1]).toBe(
      html.match(/class="score">(\w{6})</)?.[1],
    );
    expect(await signupsOf(event.id)).toHaveLength(1);
  });

  it("builds the private link from PUBLIC_ORIGIN, never from the Host header", async () => {
    const event = await openEvent();
    const response = await SELF.fetch(`http://evil.example/events/${event.id}/signup`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://evil.example",
      },
      body: new URLSearchParams(signupFields()).toString(),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(/^http:\/\/shuangyi\.test\/signups\//);
  });

  it("keeps the ticked skills", async () => {
    const event = await openEvent();
    await signUpByForm(event.id, signupFields({ skills: ["first_aid", "lecture"] }));
    const [row] = await signupsOf(event.id);
    expect(row?.skills.sort()).toEqual(["first_aid", "lecture"]);
  });

  it("signs no one up without consent and puts the error beside the checkbox", async () => {
    const event = await openEvent();
    const response = await submitSignup(event.id, signupFields({ consent: null }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, "consent")).toBe("请勾选同意个人信息说明，否则无法报名");
    expect(html).toContain('role="alert"');
    expect(await signupsOf(event.id)).toHaveLength(0);
  });

  for (const bad of ["12345678901", "1381234567", "abcdefghijk"]) {
    it(`refuses the mobile ${bad} beside its field and keeps the input`, async () => {
      const event = await openEvent();
      const response = await submitSignup(
        event.id,
        signupFields({ name: "王小明", mobile: bad, skills: ["first_aid"] }),
      );
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(fieldError(html, "mobile")).toContain("请填写正确的 11 位手机号码");
      expect(html).toContain(`value="${bad}"`);
      expect(html).toContain('value="王小明"');
      expect(html).toMatch(/name="skills" value="first_aid" checked=""/);
      expect(await signupsOf(event.id)).toHaveLength(0);
    });
  }

  it("takes a mobile typed in full-width digits, as a Chinese keyboard gives them", async () => {
    const event = await openEvent();
    const mobile = freshMobile();
    const fullWidth = [...mobile]
      .map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
      .join("");
    const { html } = await signUpByForm(event.id, signupFields({ mobile: fullWidth }));
    expect(html).toContain(`<dd>${mobile.slice(0, 3)}****${mobile.slice(7)}</dd>`);
    const [row] = await signupsOf(event.id);
    expect(row?.status).toBe("confirmed");
  });

  it("keeps a name on one line: a line break or a tab typed into it becomes one space", async () => {
    const event = await openEvent();
    const { html } = await signUpByForm(event.id, signupFields({ name: "  王\n小\t明  " }));
    expect(html).toContain("<dd>王 小 明</dd>");
    const [row] = await signupsOf(event.id);
    expect(row?.name).toBe("王 小 明");
  });

  it("refuses an empty name beside its field", async () => {
    const event = await openEvent();
    const html = await (await submitSignup(event.id, signupFields({ name: "   " }))).text();
    expect(fieldError(html, "name")).toBe("请填写姓名");
  });

  it("refuses a 500-character name beside its field", async () => {
    const event = await openEvent();
    const response = await submitSignup(event.id, signupFields({ name: "张".repeat(500) }));
    expect(response.status).toBe(400);
    expect(fieldError(await response.text(), "name")).toBe("姓名不能超过 100 个字");
    expect(await signupsOf(event.id)).toHaveLength(0);
  });

  it("accepts an emoji name and shows it unchanged", async () => {
    const event = await openEvent();
    const name = "小红🌸志愿者👍🏽";
    const { html } = await signUpByForm(event.id, signupFields({ name }));
    expect(html).toContain(`<dd>${name}</dd>`);
    const [row] = await signupsOf(event.id);
    expect(row?.name).toBe(name);
  });

  it("renders a script tag in the name inert on the confirmation page", async () => {
    const event = await openEvent();
    const name = "<script>alert(1)</script>";
    const { html } = await signUpByForm(event.id, signupFields({ name }));
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses a form posted from another origin with 403", async () => {
    const event = await openEvent();
    const response = await submitSignup(event.id, signupFields(), {
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    expect(await signupsOf(event.id)).toHaveLength(0);
  });

  it("tells the volunteer their waitlist position when the event is full", async () => {
    const event = await openEvent(1);
    await signUpByApi(event.id);
    await signUpByApi(event.id);
    const { html } = await signUpByForm(event.id, signupFields());
    expect(html).toContain("已加入候补名单");
    expect(html).toContain("候补第 2 位");
  });

  it("shows the existing sign-up for a second submission and offers a code to find it", async () => {
    const event = await openEvent();
    const mobile = freshMobile();
    await submitSignup(event.id, signupFields({ mobile }));
    const response = await submitSignup(event.id, signupFields({ mobile }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("这个手机号已经报名了本活动");
    expect(html).not.toContain("/signups/");
    expect(html).toContain('<form method="post" action="/find">');
    expect(html).toContain(`发送验证码到 ${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    expect(await signupsOf(event.id)).toHaveLength(1);
  });

  it("takes no sign-up for a cancelled event", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe, { status: "cancelled" });
    const response = await submitSignup(event.id, signupFields());
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("此活动已取消");
    expect(await signupsOf(event.id)).toHaveLength(0);
  });
});

describe("the private link", () => {
  async function signedUp(capacity = 10) {
    const event = await openEvent(capacity);
    const mobile = freshMobile();
    const { link, html } = await signUpByForm(event.id, signupFields({ mobile }));
    return { event, mobile, link, confirmation: html };
  }

  it("shows the mobile masked on the private page, never in full", async () => {
    const { mobile, link, confirmation } = await signedUp();
    expect(confirmation).not.toContain(mobile);
    const response = await getPage(link);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const html = await response.text();
    expect(html).not.toContain(mobile);
    expect(html).toContain(`<dd>${mobile.slice(0, 3)}****${mobile.slice(7)}</dd>`);
    expect(html).toContain("<h1>我的报名</h1>");
    expect(html).toContain("已报名");
  });

  it("cancels the sign-up", async () => {
    const { event, link } = await signedUp();
    const response = await postForm(`${link}/cancel`, []);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("您的报名已取消。");
    const [row] = await signupsOf(event.id);
    expect(row?.status).toBe("cancelled");
    expect(await (await getPage(link)).text()).not.toContain("确认取消报名");
  });

  it("says the place was passed on when someone was waiting", async () => {
    const { event, link } = await signedUp(1);
    await signUpByApi(event.id);
    const html = await (await postForm(`${link}/cancel`, [])).text();
    expect(html).toContain("您的名额已转给候补名单中的第一位志愿者。");
  });

  it("says first that the event was cancelled, and offers neither check-in, calendar nor cancelling", async () => {
    const { event, link } = await signedUp();
    const before = await (await getPage(link)).text();
    expect(before).toContain("活动签到时请出示此确认码。");
    const coordinator = await makeActor({ role: "coordinator", communityId });
    const cancelled = await call("POST", `/api/v1/events/${event.id}/cancel`, {
      token: coordinator.token,
      json: { reason: "天气原因" },
    });
    expect(cancelled.status).toBe(200);
    const html = await (await getPage(link)).text();
    expect(html).toContain(
      '<p class="alert" role="status">此活动已取消，请不要前往。取消原因：天气原因</p>',
    );
    expect(html).toContain("<strong>活动已取消</strong>");
    expect(html).not.toContain("活动签到时请出示此确认码");
    expect(html).not.toContain("event.ics");
    expect(html).not.toContain("确认取消报名");
  });

  it("tells a waitlisted volunteer the code is for when a place comes free", async () => {
    const event = await openEvent(1);
    await signUpByApi(event.id);
    const { link } = await signUpByForm(event.id, signupFields());
    const html = await (await getPage(link)).text();
    expect(html).toContain("候补转为正式报名后，签到时请出示此确认码。");
    expect(html).not.toContain("活动签到时请出示此确认码");
  });

  it("refuses a cancellation posted from another origin with 403", async () => {
    const { event, link } = await signedUp();
    const response = await postForm(`${link}/cancel`, [], { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    const [row] = await signupsOf(event.id);
    expect(row?.status).toBe("confirmed");
  });

  it("answers an unknown token with a 404 page", async () => {
    const response = await getPage(`/signups/${"x".repeat(32)}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("返回活动列表");
  });
});
