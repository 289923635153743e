import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import type { Principal } from "../auth/principal";
import { principalColumns, scopeFor } from "../auth/tokens";
import type { Queryable } from "../db/client";
import { accounts, communities } from "../db/schema";
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

/** Signs the staff member in for 12 hours: a signed cookie holding the account id and expiry. */
export async function startSession(c: Context<WebEnv>, accountId: string): Promise<void> {
  const expiresAt = Date.now() + SESSION_SECONDS * 1000;
  await setSignedCookie(c, COOKIE_NAME, `${accountId}:${expiresAt}`, c.var.config.sessionSecret, {
    ...cookieOptions,
    maxAge: SESSION_SECONDS,
    expires: new Date(expiresAt),
  });
}

/** Signs out: the browser drops the cookie. */
export function endSession(c: Context<WebEnv>): void {
  deleteCookie(c, COOKIE_NAME, cookieOptions);
}

/** True when the browser sent a session cookie at all (valid or not). */
export function hasSessionCookie(c: Context<WebEnv>): boolean {
  return getCookie(c, COOKIE_NAME, "secure") !== undefined;
}

/** The account id of a well-signed, unexpired session cookie, or undefined. */
export async function sessionAccountId(c: Context<WebEnv>): Promise<string | undefined> {
  const value = await getSignedCookie(c, c.var.config.sessionSecret, COOKIE_NAME, "secure");
  if (!value) return undefined;
  const [accountId, expiresAt] = value.split(":");
  if (!accountId || !UUID.test(accountId)) return undefined;
  if (!(Number(expiresAt) > Date.now())) return undefined;
  return accountId;
}

/**
 * The signed-in account as the same {@link Principal} the API builds from a token (role and
 * scope), or undefined when the account is gone, inactive or has no valid scope.
 */
export async function loadPrincipal(
  db: Queryable,
  accountId: string,
): Promise<Principal | undefined> {
  const [row] = await db
    .select({ ...principalColumns, active: accounts.active })
    .from(accounts)
    .leftJoin(communities, eq(communities.id, accounts.communityId))
    .where(eq(accounts.id, accountId))
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
