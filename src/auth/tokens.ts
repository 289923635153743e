import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { accounts, apiTokens, communities } from "../db/schema";
import { regionPrefix } from "../domain/regions";
import type { Role } from "../domain/vocabulary";
import { randomToken, sha256Hex } from "../lib/personal-data";
import type { Principal, Scope } from "./principal";

/** Tokens look like `sy_<43 url-safe chars>`; the prefix lets secret scanners spot a leak. */
export const TOKEN_PREFIX = "sy_";

/** Creates a token for an account; only its hash is stored, the token itself is returned once. */
export async function mintToken(
  db: Queryable,
  accountId: string,
  options: { label?: string; expiresAt?: Date } = {},
): Promise<{ id: string; token: string }> {
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      accountId,
      tokenHash: await sha256Hex(token),
      label: options.label ?? "",
      expiresAt: options.expiresAt,
    })
    .returning({ id: apiTokens.id });
  if (!row) throw new Error("token insert returned no row");
  return { id: row.id, token };
}

/** Marks a token revoked; it stops working on the next request. Returns false if unknown. */
export async function revokeToken(db: Queryable, tokenId: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** The scope an account acts in, from its role and scope columns; undefined if inconsistent. */
export function scopeFor(row: {
  role: Role;
  regionCode: string | null;
  communityId: string | null;
  communityRegionCode: string | null;
  socialWorkerId: string | null;
}): Scope | undefined {
  switch (row.role) {
    case "admin":
      return { kind: "all" };
    case "department": {
      const prefix = row.regionCode ? regionPrefix(row.regionCode) : undefined;
      return row.regionCode && prefix
        ? { kind: "region", regionCode: row.regionCode, prefix }
        : undefined;
    }
    case "coordinator":
      return row.communityId && row.communityRegionCode
        ? { kind: "community", communityId: row.communityId, regionCode: row.communityRegionCode }
        : undefined;
    case "social_worker":
      return row.socialWorkerId
        ? { kind: "social_worker", socialWorkerId: row.socialWorkerId }
        : undefined;
  }
}

/** What an account row must yield to become a {@link Principal} (join communities for the code). */
export const principalColumns = {
  accountId: accounts.id,
  name: accounts.name,
  role: accounts.role,
  regionCode: accounts.regionCode,
  communityId: accounts.communityId,
  communityRegionCode: communities.regionCode,
  socialWorkerId: accounts.socialWorkerId,
};

/** Resolves a bearer token to its account, or undefined if unknown, revoked, expired or inactive. */
export async function authenticate(db: Queryable, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const [row] = await db
    .select({ tokenId: apiTokens.id, ...principalColumns })
    .from(apiTokens)
    .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .leftJoin(communities, eq(communities.id, accounts.communityId))
    .where(
      and(
        eq(apiTokens.tokenHash, await sha256Hex(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
        eq(accounts.active, true),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  const scope = scopeFor(row);
  if (!scope) return undefined;
  return { tokenId: row.tokenId, accountId: row.accountId, name: row.name, role: row.role, scope };
}
