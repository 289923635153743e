import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { Actor, Caller } from "../../../src/auth/actor";
import type { Principal } from "../../../src/auth/principal";
import type { Database } from "../../../src/db/client";
import { fromDatabaseError } from "../../../src/lib/database-errors";
import { AppError } from "../../../src/lib/errors";
import type { PersonalDataKeys } from "../../../src/lib/personal-data";
import { ORIGIN, type StaffLogin, signIn } from "../web-helpers";

/*
 * The three ways into the app a model command can take — the JSON API, the server-rendered
 * pages, a direct service call — each answering with an HTTP status, so that the model can say
 * what every entry point must answer. Every request names the model's clock (X-Test-Now).
 */

/** A staff account of the world: its API token, its page login, and its principal. */
export interface Account {
  token: string;
  login: StaffLogin;
  principal: Principal;
  /** The page session's cookie, signed in on first use. */
  cookie?: string;
}

/** What the commands need to reach the app: the database, the keys, and the accounts. */
export interface Driver {
  db: Database;
  keys: PersonalDataKeys;
}

export interface Reply {
  status: number;
  /** The answer was a stored one (`Idempotent-Replayed: true`). */
  replayed?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any;
  text: string;
}

const clock = (now: number) => ({ "X-Test-Now": new Date(now).toISOString() });

/** A JSON API request as `account` (none: a volunteer) at the model's clock. */
export async function api(
  method: string,
  path: string,
  options: { as?: Account; json?: unknown; now: number; idempotencyKey?: string },
): Promise<Reply> {
  const headers = new Headers(clock(options.now));
  if (options.idempotencyKey) headers.set("Idempotency-Key", options.idempotencyKey);
  if (options.as) headers.set("Authorization", `Bearer ${options.as.token}`);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  }
  const response = await SELF.fetch(`${ORIGIN}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  const json =
    text && response.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : {};
  const replayed = response.headers.get("Idempotent-Replayed") === "true";
  return { status: response.status, body: json, text, replayed };
}

/**
 * A write sent with an Idempotency-Key and then retried with the same key, as a client whose
 * connection dropped would: the retry must answer the same, and change nothing more (a stored
 * 2xx is replayed; a refusal is refused again, the state being the same).
 */
export async function apiTwice(
  method: string,
  path: string,
  options: { as?: Account; json?: unknown; now: number },
): Promise<Reply> {
  const idempotencyKey = crypto.randomUUID();
  const first = await api(method, path, { ...options, idempotencyKey });
  const retry = await api(method, path, { ...options, idempotencyKey });
  expect(
    { status: retry.status, replayed: retry.replayed },
    `retry of ${method} ${path}: ${retry.text.slice(0, 200)}`,
  ).toEqual({ status: first.status, replayed: first.status < 300 });
  if (first.status < 300) expect(retry.body, `retry of ${method} ${path}`).toEqual(first.body);
  return first;
}

/** The page session of an account (signed in through the form on first use). */
export async function sessionOf(account: Account): Promise<string> {
  account.cookie ??= await signIn(account.login);
  return account.cookie;
}

/** A form POSTed from this site (so it passes the CSRF check), as `account` if given. */
export async function form(
  path: string,
  fields: [string, string][],
  options: { as?: Account; now: number },
): Promise<Reply> {
  const headers = new Headers({
    ...clock(options.now),
    "Content-Type": "application/x-www-form-urlencoded",
    Origin: ORIGIN,
  });
  if (options.as) headers.set("Cookie", await sessionOf(options.as));
  const response = await SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, body: { location: response.headers.get("Location") }, text };
}

/** An actor for a direct service call as `account`, at the model's clock. */
export function actorFor(driver: Driver, account: Account, now: number): Actor {
  return { ...callerFor(driver, now), principal: account.principal };
}

/** A caller without sign-in (a volunteer, the Cron job), at the model's clock. */
export function callerFor(driver: Driver, now: number): Caller {
  return {
    db: driver.db,
    keys: driver.keys,
    now: new Date(now),
    requestId: `model-${crypto.randomUUID()}`,
  };
}

/**
 * Runs a service and answers as the API would: 200 with the value, or the status of the refusal
 * (an AppError's, or a database constraint's as the error handler maps it). Anything else throws.
 */
export async function service<T>(
  work: () => Promise<T>,
): Promise<{ status: number; value?: T; error?: AppError }> {
  try {
    return { status: 200, value: await work() };
  } catch (caught) {
    const error = caught instanceof AppError ? caught : fromDatabaseError(caught);
    if (!error) throw caught;
    return { status: error.status, error };
  }
}
