/**
 * Rate limits for the public forms. Counting is done by the Workers Rate Limiting binding
 * (`[[ratelimits]]` in wrangler.toml) in production; `wrangler dev` and the vitest pool get the
 * same binding from miniflare's local implementation. Without a binding, or when a limit is
 * overridden by a variable (tests, benchmarks), a fixed-window counter in this isolate's memory
 * counts instead: good enough for one process, not a shared limit across Cloudflare's edge.
 */
import type { Context, MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import type { AppEnv, Bindings, RateLimiter } from "../env";
import { AppError } from "../lib/errors";

type AppContext = Context<AppEnv>;

/** The two periods the Workers binding supports. */
export type RateLimitPeriod = 10 | 60;

/** Answers a request over its limit; the middleware adds `Retry-After` to whatever it returns. */
export type OnLimited = (c: AppContext, retryAfterSeconds: number) => Response | Promise<Response>;

export interface RateLimitOptions {
  /** Names the counter: keys of different limits never share a window. */
  name: string;
  /** Who is being counted (a client, an event). */
  key: (c: AppContext) => string;
  /** Requests allowed per window; a binding enforces its own configured limit instead. */
  limit: number | ((c: AppContext) => number);
  period: RateLimitPeriod;
  /** The binding to count with; undefined (or a function returning undefined) counts in memory. */
  binding?: (c: AppContext) => RateLimiter | undefined;
  /** Default: a 429 in the app's error shape (RATE_LIMITED). Pages pass a friendly HTML page. */
  onLimited?: OnLimited;
}

interface Window {
  start: number;
  count: number;
}

const windows = new Map<string, Window>();

/** Counts one request in this isolate's memory; windows are aligned to the clock, like the binding's. */
function countInMemory(key: string, limit: number, periodMs: number, now: number) {
  const start = Math.floor(now / periodMs) * periodMs;
  const retryAfterSeconds = Math.max(1, Math.ceil((start + periodMs - now) / 1000));
  const window = windows.get(key);
  if (!window || window.start !== start) {
    // Drop the previous windows now and then, so that the map does not grow without bound.
    if (windows.size > 10_000)
      for (const [k, w] of windows) if (w.start !== start) windows.delete(k);
    windows.set(key, { start, count: 1 });
    return { success: limit >= 1, retryAfterSeconds };
  }
  if (window.count >= limit) return { success: false, retryAfterSeconds };
  window.count++;
  return { success: true, retryAfterSeconds };
}

const tooManyRequests: OnLimited = (_c, retryAfterSeconds) => {
  throw new AppError("RATE_LIMITED", "too many sign-up attempts; try again shortly", {
    retryAfterSeconds,
  });
};

/** A middleware that lets `limit` requests per key through per window and answers the rest 429. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const onLimited = options.onLimited ?? tooManyRequests;
  return async (c, next) => {
    const key = `${options.name}:${options.key(c)}`;
    const binding = options.binding?.(c);
    let outcome: { success: boolean; retryAfterSeconds: number };
    if (binding) {
      // The binding says neither when its window ends nor how full it is: a whole period is safe.
      const { success } = await binding.limit({ key });
      outcome = { success, retryAfterSeconds: options.period };
    } else {
      const limit = typeof options.limit === "number" ? options.limit : options.limit(c);
      outcome = countInMemory(key, limit, options.period * 1000, Date.now());
    }
    if (outcome.success) return next();
    const response = await onLimited(c, outcome.retryAfterSeconds);
    response.headers.set("Retry-After", String(outcome.retryAfterSeconds));
    return response;
  };
}

/**
 * The sign-up limits. They must match `[[ratelimits]]` in wrangler.toml, which is what counts in
 * production; SIGNUP_RATE_LIMIT_PER_CLIENT / _PER_EVENT override them (counting in memory).
 */
export const SIGNUP_LIMITS = {
  /** One person (one address) filling the form again and again, or a script. */
  perClient: { limit: 10, period: 60 },
  /** A whole event flooded from many addresses. */
  perEvent: { limit: 60, period: 60 },
} as const satisfies Record<string, { limit: number; period: RateLimitPeriod }>;

/** Local requests carry no CF-Connecting-IP (outside wrangler dev): they share one key. */
const LOCAL_CLIENT = "local";

function override(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d*$/.test(value)) return undefined;
  return Number(value);
}

function limiter(
  binding: (env: Bindings) => RateLimiter | undefined,
  variable: (env: Bindings) => string | undefined,
) {
  return (c: AppContext) => (override(variable(c.env)) === undefined ? binding(c.env) : undefined);
}

/**
 * Both sign-up limits, per client first (so that one client's refused attempts do not use up the
 * event's allowance), then per event. Mount on routes with an `:id` parameter (the event).
 */
export function signupRateLimit(options: { onLimited?: OnLimited } = {}) {
  const { perClient, perEvent } = SIGNUP_LIMITS;
  return every(
    rateLimit({
      name: "signup-client",
      key: (c) => c.req.header("CF-Connecting-IP") ?? LOCAL_CLIENT,
      limit: (c) => override(c.env.SIGNUP_RATE_LIMIT_PER_CLIENT) ?? perClient.limit,
      period: perClient.period,
      binding: limiter(
        (env) => env.SIGNUP_CLIENT_LIMITER,
        (env) => env.SIGNUP_RATE_LIMIT_PER_CLIENT,
      ),
      onLimited: options.onLimited,
    }),
    rateLimit({
      name: "signup-event",
      key: (c) => (c.req.param("id") ?? "").toLowerCase(),
      limit: (c) => override(c.env.SIGNUP_RATE_LIMIT_PER_EVENT) ?? perEvent.limit,
      period: perEvent.period,
      binding: limiter(
        (env) => env.SIGNUP_EVENT_LIMITER,
        (env) => env.SIGNUP_RATE_LIMIT_PER_EVENT,
      ),
      onLimited: options.onLimited,
    }),
  );
}

/**
 * Token-authenticated API calls and staff sign-in attempts. They must match `[[ratelimits]]` in
 * wrangler.toml; API_RATE_LIMIT_PER_TOKEN / LOGIN_RATE_LIMIT_PER_CLIENT override them.
 */
export const STAFF_LIMITS = {
  /** One API token: generous for a script that pages through a county, not for a flood. */
  perToken: { limit: 300, period: 60 },
  /** Password guesses from one address. */
  loginPerClient: { limit: 10, period: 60 },
} as const satisfies Record<string, { limit: number; period: RateLimitPeriod }>;

/** A token is counted by a hash of it, so the counter's key is no credential. */
async function tokenKey(c: AppContext): Promise<string> {
  const header = c.req.header("Authorization") ?? "";
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(header));
  return [...new Uint8Array(digest).slice(0, 12)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Per API token (before it is even looked up, so a flood costs the database nothing). */
export function apiTokenRateLimit(): MiddlewareHandler<AppEnv> {
  const { perToken } = STAFF_LIMITS;
  return async (c, next) => {
    if (!c.req.header("Authorization")) return next();
    const key = await tokenKey(c);
    return rateLimit({
      name: "api-token",
      key: () => key,
      limit: (ctx) => override(ctx.env.API_RATE_LIMIT_PER_TOKEN) ?? perToken.limit,
      period: perToken.period,
      binding: limiter(
        (env) => env.API_TOKEN_LIMITER,
        (env) => env.API_RATE_LIMIT_PER_TOKEN,
      ),
      onLimited: (_c, retryAfterSeconds) => {
        throw new AppError("RATE_LIMITED", "too many requests with this token; slow down", {
          retryAfterSeconds,
        });
      },
    })(c, next);
  };
}

/** Sign-in attempts per client address; `onLimited` shows the page's own answer. */
export function loginRateLimit(onLimited: OnLimited): MiddlewareHandler<AppEnv> {
  const { loginPerClient } = STAFF_LIMITS;
  return rateLimit({
    name: "login-client",
    key: (c) => c.req.header("CF-Connecting-IP") ?? LOCAL_CLIENT,
    limit: (c) => override(c.env.LOGIN_RATE_LIMIT_PER_CLIENT) ?? loginPerClient.limit,
    period: loginPerClient.period,
    binding: limiter(
      (env) => env.LOGIN_LIMITER,
      (env) => env.LOGIN_RATE_LIMIT_PER_CLIENT,
    ),
    onLimited,
  });
}
