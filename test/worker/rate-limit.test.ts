import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { AppEnv } from "../../src/env";
import { rateLimit, STAFF_LIMITS } from "../../src/middleware/rate-limit";
import { SIGNUP_LIMITS } from "../../src/middleware/signup-limits";
import { errorOf } from "./helpers";
import { freshMobile } from "./public-helpers";

/** The production limits: the bindings from wrangler.toml (miniflare's), no test overrides. */
const bindingEnv = {
  ...env,
  SIGNUP_RATE_LIMIT_PER_CLIENT: undefined,
  SIGNUP_RATE_LIMIT_PER_EVENT: undefined,
  SIGNUP_RATE_LIMIT_PER_MOBILE: undefined,
};

/** A client address no other test (or earlier run within the minute) uses. */
const newClient = () => `2001:db8::${crypto.randomUUID().slice(0, 8)}`;

/** The binding's windows follow the clock: start a burst early in a minute so it fits in one. */
async function startOfAWindow(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

/** A well-formed sign-up (for an event that may not exist: then a 404 after the limits). */
const wellFormed = (mobile = freshMobile()) =>
  JSON.stringify({ name: "王", mobile, consent: true });

async function attempt(
  eventId: string,
  client: string,
  bindings: object = bindingEnv,
  body = "{}",
) {
  const app = createApp();
  const ctx = createExecutionContext();
  // By default an empty body: a 400 after the per-address limit, with no database work.
  const request = new Request(`http://shuangyi.test/api/v1/events/${eventId}/signups`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": client },
    body,
  });
  const response = await app.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function burst(
  eventId: string,
  clients: string[],
  bindings?: object,
  body: () => string = () => "{}",
) {
  const statuses: number[] = [];
  for (const client of clients) {
    const response = await attempt(eventId, client, bindings, body());
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

describe("the sign-up rate limits", () => {
  it("has the Workers Rate Limiting bindings locally, from wrangler.toml", () => {
    expect(typeof env.SIGNUP_CLIENT_LIMITER?.limit).toBe("function");
    expect(typeof env.SIGNUP_EVENT_LIMITER?.limit).toBe("function");
  });

  it("lets a poster crowd on one address through: 60 forms a minute", async () => {
    expect(SIGNUP_LIMITS.perClient.limit).toBeGreaterThanOrEqual(60);
    expect(SIGNUP_LIMITS.perMobile.limit).toBeLessThan(SIGNUP_LIMITS.perClient.limit);
  });

  it("answers the attempt after the per-address allowance with 429 and Retry-After", async () => {
    await startOfAWindow();
    const client = newClient();
    const allowed = SIGNUP_LIMITS.perClient.limit;
    const statuses = await burst(crypto.randomUUID(), Array(allowed).fill(client));
    expect(statuses.filter((status) => status === 429)).toEqual([]);

    const response = await attempt(crypto.randomUUID(), client);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const error = await errorOf(response);
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.requestId).toBeTruthy();
  });

  it("lets another client through while one is limited", async () => {
    await startOfAWindow();
    const eventId = crypto.randomUUID();
    const limited = newClient();
    await burst(eventId, Array(SIGNUP_LIMITS.perClient.limit + 1).fill(limited));
    expect((await attempt(eventId, limited)).status).toBe(429);
    expect((await attempt(eventId, newClient())).status).toBe(400);
  });

  it("limits one event across many clients, counting only well-formed sign-ups", async () => {
    await startOfAWindow();
    const eventId = crypto.randomUUID();
    // Junk from many addresses does not use up the event's allowance…
    const junk = await burst(eventId, Array.from({ length: 130 }, newClient));
    expect(junk.filter((status) => status === 429)).toEqual([]);
    // …well-formed sign-ups do (404: the event does not exist, but each was counted).
    const clients = Array.from({ length: SIGNUP_LIMITS.perEvent.limit }, newClient);
    const statuses = await burst(eventId, clients, bindingEnv, () => wellFormed());
    expect(statuses.filter((status) => status === 429)).toEqual([]);

    const response = await attempt(eventId, newClient(), bindingEnv, wellFormed());
    expect(response.status).toBe(429);
    expect((await errorOf(response)).code).toBe("RATE_LIMITED");
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const other = await attempt(crypto.randomUUID(), newClient(), bindingEnv, wellFormed());
    expect(other.status).toBe(404);
  });

  it("limits one mobile number across events and addresses", async () => {
    await startOfAWindow();
    const mobile = freshMobile();
    const events = Array.from({ length: SIGNUP_LIMITS.perMobile.limit }, () => crypto.randomUUID());
    for (const eventId of events)
      expect((await attempt(eventId, newClient(), bindingEnv, wellFormed(mobile))).status).toBe(
        404,
      );
    const refused = await attempt(crypto.randomUUID(), newClient(), bindingEnv, wellFormed(mobile));
    expect(refused.status).toBe(429);
    await refused.arrayBuffer();
    const someoneElse = await attempt(crypto.randomUUID(), newClient(), bindingEnv, wellFormed());
    expect(someoneElse.status).toBe(404);
  });

  it("counts in memory, with the overridden limits, when there is no binding", async () => {
    const memoryEnv = {
      ...env,
      SIGNUP_CLIENT_LIMITER: undefined,
      SIGNUP_EVENT_LIMITER: undefined,
      SIGNUP_RATE_LIMIT_PER_CLIENT: "3",
      SIGNUP_RATE_LIMIT_PER_EVENT: "5",
      SIGNUP_RATE_LIMIT_PER_MOBILE: "1000",
    };
    const client = newClient();
    const statuses = await burst(crypto.randomUUID(), Array(4).fill(client), memoryEnv);
    expect(statuses).toEqual([400, 400, 400, 429]);

    const eventId = crypto.randomUUID();
    const many = Array.from({ length: 6 }, newClient);
    const byMany = await burst(eventId, many, memoryEnv, () => wellFormed());
    expect(byMany).toEqual([404, 404, 404, 404, 404, 429]);
    const response = await attempt(eventId, newClient(), memoryEnv, wellFormed());
    const retryAfter = Number(response.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(SIGNUP_LIMITS.perEvent.period);
  });

  it("answers with the page's own response when given onLimited", async () => {
    const app = new Hono<AppEnv>()
      .use(
        rateLimit({
          name: `page-${crypto.randomUUID()}`,
          key: () => "one client",
          limit: 1,
          period: 10,
          onLimited: (c) => c.html("<p>请稍后再试</p>", 429),
        }),
      )
      .post("/", (c) => c.text("ok"));
    expect((await app.request("/", { method: "POST" })).status).toBe(200);
    const limited = await app.request("/", { method: "POST" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Content-Type")).toContain("text/html");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await limited.text()).toContain("请稍后再试");
  });
});

describe("the sign-up page's rate limit", () => {
  it("shows a friendly 429 page with Retry-After once a client has tried too often", async () => {
    const limited = {
      ...env,
      SIGNUP_RATE_LIMIT_PER_CLIENT: "2",
      SIGNUP_RATE_LIMIT_PER_EVENT: "1000",
    };
    const client = newClient();
    const eventId = crypto.randomUUID();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      const app = createApp();
      const ctx = createExecutionContext();
      last = await app.fetch(
        new Request(`http://shuangyi.test/events/${eventId}/signup`, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: "http://shuangyi.test",
            "CF-Connecting-IP": client,
          },
          body: "name=%E5%BC%A0%E5%BF%97%E6%84%BF&mobile=13812345678&skills=first_aid&consent=yes",
        }),
        limited,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(last.status);
      if (i < 2) await last.arrayBuffer();
    }
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    expect(last?.headers.get("Retry-After")).toBeTruthy();
    expect(last?.headers.get("Content-Type")).toContain("text/html");
    const html = (await last?.text()) ?? "";
    expect(html).toContain("提交太频繁");
    // The form as typed, and when to send it again; back to the event, never the staff sign-in.
    expect(html).toMatch(/请在约 \d+ 秒后再次提交/);
    expect(html).toContain('value="张志愿"');
    expect(html).toContain('value="13812345678"');
    expect(html).toMatch(/name="skills" value="first_aid" checked=""/);
    expect(html).toContain(`href="/events/${eventId}"`);
    expect(html).not.toContain("/staff");
  });
});

describe("the staff rate limits", () => {
  it("has the API-token and sign-in bindings locally, from wrangler.toml", () => {
    expect(typeof env.API_TOKEN_LIMITER?.limit).toBe("function");
    expect(typeof env.LOGIN_LIMITER?.limit).toBe("function");
    expect(STAFF_LIMITS.perToken.limit).toBeGreaterThan(STAFF_LIMITS.loginPerClient.limit);
  });

  async function apiCall(token: string, bindings: object) {
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request("http://shuangyi.test/api/v1/regions?parent=210000", {
        headers: { Authorization: `Bearer ${token}` },
      }),
      bindings,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  it("answers a token over its limit with 429 and Retry-After, before any database work", async () => {
    // No database at all: a request the limiter lets through fails on the database instead.
    const bindings = {
      ...env,
      API_RATE_LIMIT_PER_TOKEN: "3",
      DATABASE_URL: "postgres://nowhere.invalid/x",
    };
    const token = `sy_${crypto.randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await apiCall(token, bindings);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
        expect((await errorOf(response)).code).toBe("RATE_LIMITED");
      } else await response.arrayBuffer();
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
    // Another token is counted on its own.
    const other = await apiCall(`sy_${crypto.randomUUID()}`, bindings);
    expect(other.status).not.toBe(429);
    await other.arrayBuffer();
  });

  it("shows the sign-in page's 429 after too many attempts from one address", async () => {
    const bindings = { ...env, LOGIN_RATE_LIMIT_PER_CLIENT: "3" };
    const client = newClient();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const ctx = createExecutionContext();
      last = await createApp().fetch(
        new Request("http://shuangyi.test/staff/login", {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: "http://shuangyi.test",
            "CF-Connecting-IP": client,
          },
          body: "loginName=nobody&password=wrong-password",
        }),
        bindings,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(last.status);
      if (i < 3) await last.arrayBuffer();
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(last?.headers.get("Retry-After")).toBeTruthy();
    expect(await last?.text()).toContain("操作太频繁");
  });
});
