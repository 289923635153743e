/**
 * The volunteers' limits, sized for a poster crowd: fifty people scanning one QR code on one
 * community centre's Wi-Fi share an address, so the per-address limit is generous and the
 * tighter limits count what identifies one sender (a mobile number) or protects one event —
 * and only well-formed attempts, so junk from a few addresses cannot close an event's sign-ups.
 * They must match `[[ratelimits]]` in wrangler.toml (production); the *_RATE_LIMIT_* variables
 * override them (counted in memory) for tests and benchmarks.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { lookupHash } from "../lib/personal-data";
import {
  clientAddress,
  consume,
  limiter,
  type OnLimited,
  override,
  type RateLimitPeriod,
  rateLimit,
} from "./rate-limit";

export const SIGNUP_LIMITS = {
  /** Sign-up forms from one address, counted before anything else (no database work). */
  perClient: { limit: 60, period: 60 },
  /** Well-formed sign-ups for one event (after validation). */
  perEvent: { limit: 120, period: 60 },
  /** Well-formed sign-ups with one mobile number, whatever the event or address. */
  perMobile: { limit: 5, period: 60 },
  /** Requests for a one-time code, or tries of one, from one address. */
  findPerClient: { limit: 20, period: 60 },
} as const satisfies Record<string, { limit: number; period: RateLimitPeriod }>;

/** Forms per address under the sign-ups' limit and binding, counted under `name`. */
function formClientLimit<E extends AppEnv>(
  name: string,
  onLimited?: OnLimited<E>,
): MiddlewareHandler<E> {
  const { perClient } = SIGNUP_LIMITS;
  return rateLimit<E>({
    name,
    key: clientAddress,
    limit: (c) => override(c.env.SIGNUP_RATE_LIMIT_PER_CLIENT) ?? perClient.limit,
    period: perClient.period,
    binding: limiter(
      (env) => env.SIGNUP_CLIENT_LIMITER,
      (env) => env.SIGNUP_RATE_LIMIT_PER_CLIENT,
    ),
    onLimited,
  });
}

/** Sign-up forms per address: mount before the body is read. */
export function signupClientLimit<E extends AppEnv = AppEnv>(
  onLimited?: OnLimited<E>,
): MiddlewareHandler<E> {
  return formClientLimit("signup-client", onLimited);
}

/** Counts one mobile number (by its keyed hash, never in clear) under `name`. */
async function mobileAllowed<E extends AppEnv>(
  c: Context<E>,
  name: string,
  mobile: string,
): Promise<{ success: boolean; retryAfterSeconds: number }> {
  const { perMobile } = SIGNUP_LIMITS;
  const mobileKey = (await lookupHash(c.var.personalDataKeys, mobile)).slice(0, 32);
  return consume(c, {
    name,
    key: () => mobileKey,
    limit: (ctx) => override(ctx.env.SIGNUP_RATE_LIMIT_PER_MOBILE) ?? perMobile.limit,
    period: perMobile.period,
    binding: limiter(
      (env) => env.SIGNUP_MOBILE_LIMITER,
      (env) => env.SIGNUP_RATE_LIMIT_PER_MOBILE,
    ),
  });
}

/** Recovery requests and code tries per address. */
export function findClientLimit<E extends AppEnv = AppEnv>(
  onLimited?: OnLimited<E>,
): MiddlewareHandler<E> {
  const { findPerClient } = SIGNUP_LIMITS;
  return rateLimit<E>({
    name: "find-client",
    key: clientAddress,
    limit: (c) => override(c.env.FIND_RATE_LIMIT_PER_CLIENT) ?? findPerClient.limit,
    period: findPerClient.period,
    binding: limiter(
      (env) => env.FIND_CLIENT_LIMITER,
      (env) => env.FIND_RATE_LIMIT_PER_CLIENT,
    ),
    onLimited,
  });
}

/**
 * Counts a well-formed sign-up (validated, mobile normalised) against its event's and its
 * mobile number's limits. The number is counted by its keyed hash, never in clear.
 */
export async function signupAttemptAllowed<E extends AppEnv>(
  c: Context<E>,
  eventId: string,
  mobile: string,
): Promise<{ success: boolean; retryAfterSeconds: number }> {
  const { perEvent } = SIGNUP_LIMITS;
  const event = await consume(c, {
    name: "signup-event",
    key: () => eventId.toLowerCase(),
    limit: (ctx) => override(ctx.env.SIGNUP_RATE_LIMIT_PER_EVENT) ?? perEvent.limit,
    period: perEvent.period,
    binding: limiter(
      (env) => env.SIGNUP_EVENT_LIMITER,
      (env) => env.SIGNUP_RATE_LIMIT_PER_EVENT,
    ),
  });
  if (!event.success) return event;
  return mobileAllowed(c, "signup-mobile", mobile);
}

/** Request forms (问需) per address: the sign-ups' limit and binding, counted apart. */
export function requestClientLimit<E extends AppEnv = AppEnv>(
  onLimited?: OnLimited<E>,
): MiddlewareHandler<E> {
  return formClientLimit("request-client", onLimited);
}

/** A well-formed request with a mobile counts against that number's limit (by its keyed hash). */
export function requestMobileAllowed<E extends AppEnv>(
  c: Context<E>,
  mobile: string,
): Promise<{ success: boolean; retryAfterSeconds: number }> {
  return mobileAllowed(c, "request-mobile", mobile);
}
