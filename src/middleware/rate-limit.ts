/**
 * Rate limits for the public forms. Counting is done by the Workers Rate Limiting binding
 * (`[[ratelimits]]` in wrangler.toml) in production; `wrangler dev` and the vitest pool get the
 * same binding from miniflare's local implementation. Without a binding, or when a limit is
 * overridden by a variable (tests, benchmarks), a fixed-window counter in this isolate's memory
 * counts instead: good enough for one process, not a shared limit across Cloudflare's edge.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Bindings, RateLimiter } from "../env";
import { AppError } from "../lib/errors";

/** What the limits read of a request: its bindings and headers (the API's or a page's). */
type LimitContext = { env: Bindings; req: { header(name: string): string | undefined } };

/** The two periods the Workers binding supports. */
export type RateLimitPeriod = 10 | 60;

/** Answers a request over its limit; the middleware adds `Retry-After` to whatever it returns. */
export type OnLimited<E extends AppEnv = AppEnv> = (
  c: Context<E>,
  retryAfterSeconds: number,
) => Response | Promise<Response>;

export interface RateLimitOptions<E extends AppEnv = AppEnv> {
  /** Names the counter: keys of different limits never share a window. */
  name: string;
  /** Who is being counted (a client, an event). */
  key: (c: Context<E>) => string;
  /** Requests allowed per window; a binding enforces its own configured limit instead. */
  limit: number | ((c: LimitContext) => number);
  period: RateLimitPeriod;
  /** The binding to count with; undefined (or a function returning undefined) counts in memory. */
  binding?: (c: LimitContext) => RateLimiter | undefined;
  /** Default: a 429 in the app's error shape (RATE_LIMITED). Pages pass a friendly HTML page. */
  onLimited?: OnLimited<E>;
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

const tooManyRequests = (_c: unknown, retryAfterSeconds: number): never => {
  throw new AppError("RATE_LIMITED", "too many attempts; try again shortly", {
    retryAfterSeconds,
  });
};

/** Counts one request against a limit: whether it may go on, and when to try again if not. */
export async function consume<E extends AppEnv>(
  c: Context<E>,
  options: Omit<RateLimitOptions<E>, "onLimited">,
): Promise<{ success: boolean; retryAfterSeconds: number }> {
  const key = `${options.name}:${options.key(c)}`;
  const binding = options.binding?.(c);
  if (binding) {
    // The binding says neither when its window ends nor how full it is: a whole period is safe.
    const { success } = await binding.limit({ key });
    return { success, retryAfterSeconds: options.period };
  }
  const limit = typeof options.limit === "number" ? options.limit : options.limit(c);
  return countInMemory(key, limit, options.period * 1000, Date.now());
}

/** A middleware that lets `limit` requests per key through per window and answers the rest 429. */
export function rateLimit<E extends AppEnv = AppEnv>(
  options: RateLimitOptions<E>,
): MiddlewareHandler<E> {
  const onLimited: OnLimited<E> = options.onLimited ?? tooManyRequests;
  return async (c, next) => {
    const outcome = await consume(c, options);
    if (outcome.success) return next();
    const response = await onLimited(c, outcome.retryAfterSeconds);
    response.headers.set("Retry-After", String(outcome.retryAfterSeconds));
    return response;
  };
}

/** Local requests carry no CF-Connecting-IP (outside wrangler dev): they share one key. */
const LOCAL_CLIENT = "local";

/** The client's address as Cloudflare saw it (the key of every per-address limit). */
export function clientAddress(c: Pick<LimitContext, "req">): string {
  return c.req.header("CF-Connecting-IP") ?? LOCAL_CLIENT;
}

/** A positive integer from an override variable, or undefined. */
export function override(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The binding to count with, unless the limit is overridden by a variable (then counted in
 * memory, with the overriding number).
 */
export function limiter(
  binding: (env: Bindings) => RateLimiter | undefined,
  variable: (env: Bindings) => string | undefined,
) {
  return (c: LimitContext) =>
    override(variable(c.env)) === undefined ? binding(c.env) : undefined;
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
async function tokenKey(c: Pick<LimitContext, "req">): Promise<string> {
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
    key: clientAddress,
    limit: (c) => override(c.env.LOGIN_RATE_LIMIT_PER_CLIENT) ?? loginPerClient.limit,
    period: loginPerClient.period,
    binding: limiter(
      (env) => env.LOGIN_LIMITER,
      (env) => env.LOGIN_RATE_LIMIT_PER_CLIENT,
    ),
    onLimited,
  });
}
