import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { forgetOldSessions } from "../../src/auth/sessions";
import { staffSessions } from "../../src/db/schema";
import {
  at,
  futureDay,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeSocialWorker,
  places,
} from "./factories";
import { withDb } from "./helpers";
import {
  getPage,
  makeStaffLogin,
  postForm,
  SESSION_COOKIE,
  type StaffLogin,
  setCookieLine,
  signIn,
} from "./web-helpers";

describe("staff sign-in", () => {
  let community: { id: string; name: string };
  let login: StaffLogin;
  beforeAll(async () => {
    community = await makeCommunity(places.shenhe, { isPilot: true });
    login = await makeStaffLogin({ role: "coordinator", communityId: community.id });
  });

  it("shows the sign-in form in Chinese with labelled fields, uncached", async () => {
    const response = await getPage("/staff/login");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<label for="loginName">登录名</label>');
    expect(html).toContain('<label for="password">密码</label>');
  });

  it("sets a signed, HttpOnly, Secure, SameSite=Lax session cookie on /staff and redirects 303", async () => {
    const response = await postForm("/staff/login", [
      ["loginName", login.loginName],
      ["password", login.password],
    ]);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff");
    const line = setCookieLine(response, SESSION_COOKIE) ?? "";
    expect(line).toContain("HttpOnly");
    expect(line).toContain("Secure");
    expect(line).toContain("SameSite=Lax");
    expect(line).toContain("Path=/staff");
    expect(line).toContain("Max-Age=43200");
    // The cookie names a server-side session of this account, and nothing else about it.
    expect(line).not.toContain(login.accountId);
    const session = await sessionRow(line.split(";")[0] ?? "");
    expect(session?.accountId).toBe(login.accountId);
    expect(session?.endedAt).toBeNull();
    expect(session?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 11.9 * 3600 * 1000);
  });

  it("lets the signed-in coordinator open /staff and see their community", async () => {
    const cookie = await signIn(login);
    const response = await getPage("/staff", { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<h1>${community.name}</h1>`);
    expect(html).toContain('href="/staff/needs/new"');
  });

  it("answers a wrong password with the generic error, beside the field and in an alert", async () => {
    const response = await postForm("/staff/login", [
      ["loginName", login.loginName],
      ["password", "not-the-password"],
    ]);
    expect(response.status).toBe(401);
    expect(setCookieLine(response, SESSION_COOKIE)).toBeUndefined();
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('<p class="field-error" id="login-error">登录名或密码不正确</p>');
    expect(html).toContain('aria-describedby="login-error"');
    expect(html).toContain(`value="${login.loginName}"`);
  });

  it("answers an unknown login name with exactly the same message", async () => {
    const response = await postForm("/staff/login", [
      ["loginName", "nobody-by-this-name"],
      ["password", login.password],
    ]);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("登录名或密码不正确");
  });

  it("redirects every staff page to the sign-in page without a session", async () => {
    const need = await makeNeed(community.id);
    for (const path of ["/staff", "/staff/needs/new", `/staff/needs/${need.id}`]) {
      const response = await getPage(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get("Location"), path).toMatch(/^\/staff\/login/);
    }
  });

  it("redirects a tampered or forged session cookie to the sign-in page", async () => {
    const cookie = await signIn(login);
    const other = await signIn(await makeStaffLogin({ role: "admin" }));
    // Another account's session id under this cookie's signature.
    const forged = cookie.replace(sessionIdIn(cookie), sessionIdIn(other));
    expect(forged).not.toBe(cookie);
    const response = await getPage("/staff", { cookie: forged });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/login?expired=1");
  });

  it("signs out on the server too: the cookie is cleared and a kept copy no longer works", async () => {
    const cookie = await signIn(login);
    expect((await getPage("/staff", { cookie })).status).toBe(200);
    const response = await postForm("/staff/logout", [], { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/login?loggedOut=1");
    expect(setCookieLine(response, SESSION_COOKIE)).toContain("Max-Age=0");
    expect((await sessionRow(cookie))?.endedAt).toBeInstanceOf(Date);
    const replayed = await getPage("/staff", { cookie });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("Location")).toBe("/staff/login?expired=1");
    // The other sessions of the account (another device) go on.
    expect((await getPage("/staff", { cookie: await signIn(login) })).status).toBe(200);
  });

  it("ends a session when its 12 hours are up on the server, whatever the browser keeps", async () => {
    const cookie = await signIn(login);
    await withDb((db) =>
      db
        .update(staffSessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(staffSessions.id, sessionIdIn(cookie))),
    );
    const response = await getPage("/staff", { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/login?expired=1");
  });

  it("forgets sessions a day after they ended or expired, keeping the rest", async () => {
    const now = at("2009-03-10 12:00");
    const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3600 * 1000);
    const rows = await withDb((db) =>
      db
        .insert(staffSessions)
        .values([
          { accountId: login.accountId, expiresAt: hoursBefore(25) },
          { accountId: login.accountId, expiresAt: hoursBefore(-5), endedAt: hoursBefore(25) },
          { accountId: login.accountId, expiresAt: hoursBefore(-5) },
          { accountId: login.accountId, expiresAt: hoursBefore(-5), endedAt: hoursBefore(23) },
          { accountId: login.accountId, expiresAt: hoursBefore(23) },
        ])
        .returning({ id: staffSessions.id }),
    );
    expect(await withDb((db) => forgetOldSessions(db, now))).toBeGreaterThanOrEqual(2);
    const left = await withDb((db) =>
      db
        .select({ id: staffSessions.id })
        .from(staffSessions)
        .where(
          inArray(
            staffSessions.id,
            rows.map((r) => r.id),
          ),
        ),
    );
    expect(left.map((r) => r.id).sort()).toEqual(
      rows
        .slice(2)
        .map((r) => r.id)
        .sort(),
    );
  });

  it("gives a lead social worker the events they lead, with check-in, and a polite 403 elsewhere", async () => {
    const [worker, other] = [
      await makeSocialWorker(places.shenhe),
      await makeSocialWorker(places.shenhe),
    ];
    const day = futureDay();
    const slot = { start: at(`${day} 09:00`), end: at(`${day} 11:00`) };
    const theirs = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      ...slot,
    });
    const notTheirs = await makeEvent({
      communityId: community.id,
      socialWorkerId: other.id,
      ...slot,
    });
    const lead = await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id });
    const cookie = await signIn(lead);

    const home = await getPage("/staff", { cookie });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("我负责的服务活动");
    expect(html).toContain(`href="/staff/events/${theirs.id}/checkin"`);
    expect(html).not.toContain(notTheirs.id);
    expect(html).not.toContain('href="/staff/needs/new"');

    const needs = await getPage("/staff/needs/new", { cookie });
    expect(needs.status).toBe(403);
    expect(await needs.text()).toContain("无权访问");
  });

  it("takes a department from the staff home straight to its tallies", async () => {
    const department = await makeStaffLogin({ role: "department", regionCode: places.shenhe });
    const response = await getPage("/staff", { cookie: await signIn(department) });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/tallies");
  });

  it("refuses a form posted from another origin (CSRF) with 403", async () => {
    const foreign = await postForm(
      "/staff/login",
      [
        ["loginName", login.loginName],
        ["password", login.password],
      ],
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    expect(setCookieLine(foreign, SESSION_COOKIE)).toBeUndefined();
    const missing = await postForm("/staff/logout", [], { origin: null });
    expect(missing.status).toBe(403);
  });
});

describe("page language", () => {
  it("switches to English with ?lang=en and remembers it in a cookie", async () => {
    const response = await getPage("/staff/login?lang=en");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="loginName">Login name</label>');
    const line = setCookieLine(response, "lang") ?? "";
    expect(line).toMatch(/^lang=en;/);
    const again = await getPage("/staff/login", { cookie: "lang=en" });
    expect(await again.text()).toContain("Sign in");
  });

  it("follows Accept-Language when nothing else says, and defaults to Chinese", async () => {
    const english = await getPage("/staff/login", {
      headers: { "Accept-Language": "en-US,en;q=0.9" },
    });
    expect(await english.text()).toContain('<html lang="en">');
    const chinese = await getPage("/staff/login", {
      headers: { "Accept-Language": "zh-CN,zh;q=0.9" },
    });
    expect(await chinese.text()).toContain('<html lang="zh-CN">');
    const none = await getPage("/staff/login", { headers: { "Accept-Language": "fr-FR" } });
    expect(await none.text()).toContain('<html lang="zh-CN">');
  });

  it("offers a 中文 / English switch on every page", async () => {
    const html = await (await getPage("/staff/login?lang=en")).text();
    expect(html).toContain('href="/staff/login?lang=zh"');
    expect(html).toContain('href="/staff/login?lang=en"');
  });
});

/** The session id a `name=value` cookie carries (the value is `id.signature`, URL-encoded). */
function sessionIdIn(cookie: string): string {
  const id = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".")[0];
  if (!id) throw new Error(`no session id in ${cookie}`);
  return id;
}

function sessionRow(cookie: string) {
  return withDb(async (db) => {
    const [row] = await db
      .select()
      .from(staffSessions)
      .where(eq(staffSessions.id, sessionIdIn(cookie)));
    return row;
  });
}
