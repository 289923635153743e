import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { endStaffSession, SESSION_SECONDS } from "../auth/sessions";
import type { WebEnv } from "./env";

/** Sent as `__Secure-sy_staff`: the browser keeps it off plain-HTTP pages. */
const COOKIE_NAME = "sy_staff";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cookieOptions: CookieOptions = {
  prefix: "secure",
  path: "/staff",
  httpOnly: true,
  secure: true,
  sameSite: "Lax",
};

/** Hands the browser a signed cookie holding the session's id, for as long as the session lasts. */
export async function setSessionCookie(
  c: Context<WebEnv>,
  session: { sessionId: string; expiresAt: Date },
): Promise<void> {
  await setSignedCookie(c, COOKIE_NAME, session.sessionId, c.var.config.sessionSecret, {
    ...cookieOptions,
    maxAge: SESSION_SECONDS,
    expires: session.expiresAt,
  });
}

/** Signs out: the session ends on the server (if the cookie named one) and the browser drops it. */
export async function endSession(c: Context<WebEnv>): Promise<void> {
  const sessionId = await sessionIdOf(c);
  if (sessionId) await endStaffSession(c.var.db, sessionId);
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
