import * as v from "valibot";
import type { Principal } from "./auth/principal";
import type { Database } from "./db/client";
import { calendarEntries, expandDates, workingCalendar } from "./domain/holidays";
import type { WorkingCalendar } from "./domain/working-days";
import type { PersonalDataKeys } from "./lib/personal-data";

/** A Workers Rate Limiting binding (declared here: the Node-side scripts load no workers-types). */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Worker bindings, as configured in wrangler.toml, `.dev.vars` and `wrangler secret put`. */
export interface Bindings {
  /** Postgres connection string (Neon in production). Secret. */
  DATABASE_URL: string;
  /** 32 random bytes, base64: encrypts and hashes personal data. Secret. */
  DATA_KEY: string;
  /** At least 32 random characters: signs the staff pages' session cookie. Secret. */
  SESSION_SECRET: string;
  /** Local development and tests only: the WebSocket relay in front of a local Postgres. */
  LOCAL_DB_PROXY?: string;
  /** Comma-separated origins allowed by CORS; unset means no CORS headers at all. */
  CORS_ORIGINS?: string;
  /**
   * The site's public origin (`https://volunteer.example.org`): every absolute link the app hands
   * out (private links, QR codes, calendar links, links in messages) starts with it, never with
   * the request's Host header.
   */
  PUBLIC_ORIGIN: string;
  /**
   * `development` shows a banner on pages; `test` (the test suites only) also lets a request name
   * its clock in `X-Test-Now`; anything else is treated as production.
   */
  ENVIRONMENT?: string;
  /** Days after an event ends before its volunteers' personal data is anonymised (default 30). */
  RETENTION_DAYS?: string;
  /** Working days (Asia/Shanghai) for a request's first answer (default 2). */
  REQUEST_ANSWER_DAYS?: string;
  /** Working days (Asia/Shanghai) for a request's resolution (default 15). */
  REQUEST_RESOLVE_DAYS?: string;
  /**
   * Public holidays beyond the built-in 2025–2026 (a year's State Council list until it is built
   * in): dates or ranges `YYYY-MM-DD..YYYY-MM-DD`, separated by commas.
   */
  HOLIDAYS?: string;
  /** Weekend dates worked in exchange (调休) beyond the built-in ones, separated by commas. */
  WORKING_WEEKENDS?: string;
  /** Milliseconds one database query may take before the request gives up with a 503 (default 10000). */
  QUERY_TIMEOUT_MS?: string;
  /** Sign-up attempts per client address (`[[ratelimits]]`; miniflare's locally). */
  SIGNUP_CLIENT_LIMITER?: RateLimiter;
  /** Well-formed sign-up attempts per event (`[[ratelimits]]`; miniflare's locally). */
  SIGNUP_EVENT_LIMITER?: RateLimiter;
  /** Well-formed sign-up attempts per mobile number (`[[ratelimits]]`; miniflare's locally). */
  SIGNUP_MOBILE_LIMITER?: RateLimiter;
  /** One-time code requests and tries per client address (`[[ratelimits]]`). */
  FIND_CLIENT_LIMITER?: RateLimiter;
  /** API calls per token (`[[ratelimits]]`; miniflare's locally). */
  API_TOKEN_LIMITER?: RateLimiter;
  /** Staff sign-in attempts per client address (`[[ratelimits]]`; miniflare's locally). */
  LOGIN_LIMITER?: RateLimiter;
  /** Tests and benchmarks: overrides the per-token API limit (then counted in memory). */
  API_RATE_LIMIT_PER_TOKEN?: string;
  /** Tests: overrides the per-client sign-in limit (then counted in memory). */
  LOGIN_RATE_LIMIT_PER_CLIENT?: string;
  /** Tests and benchmarks: overrides the per-client sign-up limit (then counted in memory). */
  SIGNUP_RATE_LIMIT_PER_CLIENT?: string;
  /** Tests and benchmarks: overrides the per-event sign-up limit (then counted in memory). */
  SIGNUP_RATE_LIMIT_PER_EVENT?: string;
  /** Tests and benchmarks: overrides the per-mobile sign-up limit (then counted in memory). */
  SIGNUP_RATE_LIMIT_PER_MOBILE?: string;
  /** Tests: overrides the per-client limit of finding one's sign-ups (then counted in memory). */
  FIND_RATE_LIMIT_PER_CLIENT?: string;
}

export interface Variables {
  requestId: string;
  db: Database;
  principal: Principal;
  personalDataKeys: PersonalDataKeys;
  config: Config;
  /** The request's clock: when it arrived (or, in tests, the `X-Test-Now` it names). */
  now: Date;
  /** Work to run once the response is on its way, before the database closes (see afterResponse). */
  afterResponse: (() => Promise<void>)[];
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };

/** `https://host[:port]` (or http, for local development): nothing after the authority. */
export function isOrigin(text: string): boolean {
  if (!/^https?:\/\/[^/?#\s]+$/.test(text)) return false;
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** Whether a configured list of dates and ranges reads (see src/domain/holidays.ts). */
function isCalendarList(text: string): boolean {
  try {
    expandDates(calendarEntries(text));
    return true;
  } catch {
    return false;
  }
}

const calendarProblem = (name: string) =>
  `${name} must list dates YYYY-MM-DD or ranges YYYY-MM-DD..YYYY-MM-DD (at most a month), separated by commas`;

const BindingsSchema = v.object({
  DATABASE_URL: v.pipe(
    v.string("DATABASE_URL is not set"),
    v.regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL"),
  ),
  DATA_KEY: v.pipe(
    v.string("DATA_KEY is not set"),
    v.regex(/^[A-Za-z0-9+/]{43}=$/, "DATA_KEY must be 32 bytes, base64-encoded"),
  ),
  SESSION_SECRET: v.pipe(
    v.string("SESSION_SECRET is not set"),
    v.minLength(32, "SESSION_SECRET must be at least 32 characters"),
  ),
  LOCAL_DB_PROXY: v.optional(v.pipe(v.string(), v.url("LOCAL_DB_PROXY must be a ws:// URL"))),
  CORS_ORIGINS: v.optional(v.string()),
  PUBLIC_ORIGIN: v.pipe(
    v.string("PUBLIC_ORIGIN is not set"),
    v.check(isOrigin, "PUBLIC_ORIGIN must be an origin such as https://volunteer.example.org"),
  ),
  ENVIRONMENT: v.optional(v.string()),
  RETENTION_DAYS: v.optional(
    v.pipe(v.string(), v.regex(/^[1-9]\d*$/, "RETENTION_DAYS must be a positive integer")),
  ),
  QUERY_TIMEOUT_MS: v.optional(
    v.pipe(v.string(), v.regex(/^[1-9]\d{1,5}$/, "QUERY_TIMEOUT_MS must be 10 to 999999")),
  ),
  REQUEST_ANSWER_DAYS: v.optional(
    v.pipe(v.string(), v.regex(/^[1-9]\d?$/, "REQUEST_ANSWER_DAYS must be 1 to 99")),
  ),
  REQUEST_RESOLVE_DAYS: v.optional(
    v.pipe(v.string(), v.regex(/^[1-9]\d{0,2}$/, "REQUEST_RESOLVE_DAYS must be 1 to 999")),
  ),
  HOLIDAYS: v.optional(v.pipe(v.string(), v.check(isCalendarList, calendarProblem("HOLIDAYS")))),
  WORKING_WEEKENDS: v.optional(
    v.pipe(v.string(), v.check(isCalendarList, calendarProblem("WORKING_WEEKENDS"))),
  ),
  SIGNUP_RATE_LIMIT_PER_CLIENT: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[1-9]\d*$/, "SIGNUP_RATE_LIMIT_PER_CLIENT must be a positive integer"),
    ),
  ),
  SIGNUP_RATE_LIMIT_PER_EVENT: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[1-9]\d*$/, "SIGNUP_RATE_LIMIT_PER_EVENT must be a positive integer"),
    ),
  ),
});

export interface Config {
  databaseUrl: string;
  dataKey: string;
  sessionSecret: string;
  localDbProxy?: string;
  corsOrigins: string[];
  /** Where every absolute link points: scheme, host and port, no path, no trailing slash. */
  publicOrigin: string;
  development: boolean;
  /** Tests only: requests may set the clock the services see (`X-Test-Now`, an ISO instant). */
  testClock: boolean;
  retentionDays: number;
  queryTimeoutMs: number;
  /** Requests' time limits in working days (问需: 限时办结), on the holiday calendar. */
  requestLimits: { answerDays: number; resolveDays: number; calendar: WorkingCalendar };
}

/** How long a query may run before the request gives up on it. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

let cached: { source: unknown; config: Config } | undefined;

/**
 * Validates the bindings once per isolate and fails loudly, naming the binding, when one is
 * missing or malformed (a Worker with no DATA_KEY must not start serving).
 */
export function readConfig(bindings: Bindings): Config {
  if (cached?.source === bindings) return cached.config;
  const result = v.safeParse(BindingsSchema, bindings);
  if (!result.success) {
    const problems = result.issues.map((issue) => issue.message).join("; ");
    throw new Error(`Invalid Worker configuration: ${problems}`);
  }
  const config: Config = {
    databaseUrl: result.output.DATABASE_URL,
    dataKey: result.output.DATA_KEY,
    sessionSecret: result.output.SESSION_SECRET,
    localDbProxy: result.output.LOCAL_DB_PROXY,
    corsOrigins: (result.output.CORS_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    publicOrigin: result.output.PUBLIC_ORIGIN,
    development: result.output.ENVIRONMENT === "development",
    testClock: result.output.ENVIRONMENT === "test",
    retentionDays: Number(result.output.RETENTION_DAYS ?? 30),
    queryTimeoutMs: Number(result.output.QUERY_TIMEOUT_MS ?? DEFAULT_QUERY_TIMEOUT_MS),
    requestLimits: {
      answerDays: Number(result.output.REQUEST_ANSWER_DAYS ?? 2),
      resolveDays: Number(result.output.REQUEST_RESOLVE_DAYS ?? 15),
      calendar: workingCalendar({
        holidays: calendarEntries(result.output.HOLIDAYS),
        workingWeekends: calendarEntries(result.output.WORKING_WEEKENDS),
      }),
    },
  };
  cached = { source: bindings, config };
  return config;
}
