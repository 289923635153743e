import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import type { Principal } from "../auth/principal";
import { principalColumns, scopeFor } from "../auth/tokens";
import type { Queryable } from "../db/client";
import { accounts, communities, staffSessions } from "../db/schema";
import type { WebEnv } from "./env";

/** Sent as `__Secure-sy_staff`: the browser keeps it off plain-HTTP pages. */
const COOKIE_NAME = "sy_staff";
const SESSION_SECONDS = 12 * 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cookieOptions: CookieOptions = {
  prefix: "secure",
  path: "/staff",
  httpOnly: true,
  secure: true,
  sameSite: "Lax",
};

/**
 * Signs the staff member in for 12 hours: a staff_sessions row, and a signed cookie holding its id.
 */
export async function startSession(c: Context<WebEnv>, accountId: string): Promise<void> {
  const expiresAt = new Date(Date.now() + SESSION_SECONDS * 1000);
  const [session] = await c.var.db
    .insert(staffSessions)
    .values({ accountId, expiresAt })
    .returning({ id: staffSessions.id });
  if (!session) throw new Error("the session was not stored");
  await setSignedCookie(c, COOKIE_NAME, session.id, c.var.config.sessionSecret, {
    ...cookieOptions,
    maxAge: SESSION_SECONDS,
    expires: expiresAt,
  });
}

/** Signs out: the session ends on the server (if the cookie named one) and the browser drops it. */
export async function endSession(c: Context<WebEnv>): Promise<void> {
  const sessionId = await sessionIdOf(c);
  if (sessionId) {
    await c.var.db
      .update(staffSessions)
      .set({ endedAt: sql`now()` })
      .where(and(eq(staffSessions.id, sessionId), isNull(staffSessions.endedAt)));
  }
  dropSessionCookie(c);
}

/** The browser drops the cookie; the server keeps whatever it had. */
export function dropSessionCookie(c: Context<WebEnv>): void {
  deleteCookie(c, COOKIE_NAME, cookieOptions);
}

/** True when the browser sent a session cookie at all (valid or not). */
export function hasSessionCookie(c: Context<WebEnv>): boolean {
  return getCookie(c, COOKIE_NAME, "secure") !== undefined;
}

/** The session id of a well-signed cookie, or undefined; whether it still counts is the database's word. */
export async function sessionIdOf(c: Context<WebEnv>): Promise<string | undefined> {
  const value = await getSignedCookie(c, c.var.config.sessionSecret, COOKIE_NAME, "secure");
  return value && UUID.test(value) ? value : undefined;
}

/** Forgets sessions that ended or expired more than a day before `now`; returns how many. */
export async function forgetOldSessions(db: Queryable, now: Date): Promise<number> {
  const before = new Date(now.getTime() - 24 * 3600 * 1000);
  const gone = await db
    .delete(staffSessions)
    .where(or(lt(staffSessions.expiresAt, before), lt(staffSessions.endedAt, before)))
    .returning({ id: staffSessions.id });
  return gone.length;
}

/**
 * The account of a session that has not ended or expired, as the same {@link Principal} the API
 * builds from a token (role and scope); undefined when the session is over or the account is gone,
 * inactive or has no valid scope.
 */
export async function loadPrincipal(
  db: Queryable,
  sessionId: string,
): Promise<Principal | undefined> {
  const [row] = await db
    .select({ ...principalColumns, active: accounts.active })
    .from(staffSessions)
    .innerJoin(accounts, eq(accounts.id, staffSessions.accountId))
    .leftJoin(communities, eq(communities.id, accounts.communityId))
    .where(
      and(
        eq(staffSessions.id, sessionId),
        isNull(staffSessions.endedAt),
        gt(staffSessions.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  if (!row?.active) return undefined;
  const scope = scopeFor(row);
  if (!scope) return undefined;
  // A web session has no API token; the marker keeps the Principal shape the API uses.
  return {
    accountId: row.accountId,
    name: row.name,
    role: row.role,
    scope,
    tokenId: "web-session",
  };
}
