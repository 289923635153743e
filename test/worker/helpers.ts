import { env } from "cloudflare:test";
import type { Caller } from "../../src/auth/actor";
import { createDatabase, type Database, type Queryable } from "../../src/db/client";
import { readConfig } from "../../src/env";
import { importPersonalDataKeys, type PersonalDataKeys } from "../../src/lib/personal-data";
import { fetchWorker } from "./contract-setup";

/** Runs `fn` with a database client of the same kind the Worker uses, closed afterwards. */
export async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = createDatabase(readConfig(env));
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** The personal-data keys the Worker under test uses. */
export function testKeys(): Promise<PersonalDataKeys> {
  return importPersonalDataKeys(env.DATA_KEY);
}

/** A caller (no sign-in) on `db` with the Worker's keys: what the Cron job and volunteers act as. */
export async function testCaller(db: Queryable, now = new Date()): Promise<Caller> {
  return { db, now, keys: await testKeys(), requestId: `test-${crypto.randomUUID()}` };
}

/** Runs a service as a caller with a fresh database client (closed afterwards). */
export function asCaller<T>(fn: (caller: Caller) => Promise<T>, now = new Date()): Promise<T> {
  return withDb(async (db) => fn(await testCaller(db, now)));
}

/** Headers that set the clock the Worker's services see (ENVIRONMENT=test only). */
export function clockAt(at: Date): Record<string, string> {
  return { "X-Test-Now": at.toISOString() };
}

/** Half an hour before an event starts: its day has come (check-in is open), sign-ups still too. */
export const onItsDay = (event: { startsAt: Date }) =>
  clockAt(new Date(event.startsAt.getTime() - 30 * 60_000));

export interface CallOptions {
  token?: string;
  json?: unknown;
  csv?: string;
  headers?: Record<string, string>;
}

/** Sends a request to the Worker under test. */
export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.csv !== undefined) {
    headers.set("Content-Type", "text/csv; charset=utf-8");
    body = options.csv;
  }
  return fetchWorker(`http://shuangyi.test${path}`, { method, headers, body });
}

/** Shape of every error response. */
export interface ErrorResponse {
  error: {
    code: string;
    message: string;
    issues: { path: string; message: string; row?: number }[];
    requestId: string;
  };
}

export async function errorOf(response: Response): Promise<ErrorResponse["error"]> {
  const body = (await response.json()) as ErrorResponse;
  return body.error;
}
