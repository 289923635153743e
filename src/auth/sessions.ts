import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { accounts, communities, staffSessions } from "../db/schema";
import { verifyPassword } from "./passwords";
import type { Principal } from "./principal";
import { principalColumns, scopeFor } from "./tokens";

/** How long a staff session lasts. */
export const SESSION_SECONDS = 12 * 3600;

/**
 * Checked when no account has the login name, so that a wrong name costs the same PBKDF2 work
 * as a wrong password (same iterations as src/auth/passwords.ts; it matches no password).
 */
const DUMMY_HASH =
  "pbkdf2$100000$nKyfGXNW/GjzsAgvNLhgcA==$4GCWIDJh8X5B9j+P6BgT63+Lmr1ouYQkXCOxvBrcrJU=";

/**
 * Signs a staff member in by login name and password: a new staff_sessions row for an active
 * account whose password matches, or undefined. Always one PBKDF2 verification, whether or not
 * the account exists or has a password, so timing tells nothing.
 */
export async function signIn(
  db: Queryable,
  loginName: string,
  password: string,
  now: Date,
): Promise<{ sessionId: string; expiresAt: Date } | undefined> {
  const [account] = loginName
    ? await db
        .select({ id: accounts.id, passwordHash: accounts.passwordHash, active: accounts.active })
        .from(accounts)
        .where(eq(accounts.loginName, loginName))
        .limit(1)
    : [];
  const matches = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  if (!account?.active || !account.passwordHash || !matches) return undefined;
  const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
  const [session] = await db
    .insert(staffSessions)
    .values({ accountId: account.id, expiresAt })
    .returning({ id: staffSessions.id });
  if (!session) throw new Error("the session was not stored");
  return { sessionId: session.id, expiresAt };
}

/** Ends a session on the server, so a copied cookie stops working. */
export async function endStaffSession(db: Queryable, sessionId: string): Promise<void> {
  await db
    .update(staffSessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(staffSessions.id, sessionId), isNull(staffSessions.endedAt)));
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
export async function principalOfSession(
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
