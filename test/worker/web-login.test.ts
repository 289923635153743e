import { beforeAll, describe, expect, it } from "vitest";
import { makeCommunity, makeNeed, makeSocialWorker, places } from "./factories";
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
    expect(line).toContain(login.accountId);
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
    const other = await makeStaffLogin({ role: "admin" });
    const forged = cookie.replace(login.accountId, other.accountId);
    const response = await getPage("/staff", { cookie: forged });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/login?expired=1");
  });

  it("signs out: the cookie is cleared", async () => {
    const cookie = await signIn(login);
    const response = await postForm("/staff/logout", [], { cookie });
    expect(response.status).toBe(303);
    expect(setCookieLine(response, SESSION_COOKIE)).toContain("Max-Age=0");
  });

  it("shows a polite 403 page to a signed-in role the pages are not for", async () => {
    const worker = await makeSocialWorker(places.shenhe);
    const lead = await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id });
    const response = await getPage("/staff", { cookie: await signIn(lead) });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("无权访问");
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
