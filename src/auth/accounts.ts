import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { accounts, apiTokens, communities, regions, socialWorkers } from "../db/schema";
import type { Role } from "../domain/vocabulary";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import type { Actor } from "./actor";
import { mintToken, revokeToken } from "./tokens";

/** A new staff account: a role and the scope that role acts in. */
export type NewAccount =
  | { role: "admin"; name: string }
  | { role: "department"; name: string; regionCode: string }
  | { role: "coordinator"; name: string; communityId: string }
  | { role: "social_worker"; name: string; socialWorkerId: string };

const accountColumns = {
  id: accounts.id,
  name: accounts.name,
  role: accounts.role,
  regionCode: accounts.regionCode,
  communityId: accounts.communityId,
  socialWorkerId: accounts.socialWorkerId,
  active: accounts.active,
  createdAt: accounts.createdAt,
};

/** The row a scope names, if it exists, and the field that named it. */
async function scopeTarget(db: Queryable, input: NewAccount) {
  switch (input.role) {
    case "admin":
      return { path: "", found: true };
    case "department": {
      const rows = await db
        .select({ id: regions.code })
        .from(regions)
        .where(eq(regions.code, input.regionCode));
      return { path: "regionCode", found: rows.length > 0 };
    }
    case "coordinator": {
      const rows = await db
        .select({ id: communities.id })
        .from(communities)
        .where(eq(communities.id, input.communityId));
      return { path: "communityId", found: rows.length > 0 };
    }
    case "social_worker": {
      const rows = await db
        .select({ id: socialWorkers.id })
        .from(socialWorkers)
        .where(eq(socialWorkers.id, input.socialWorkerId));
      return { path: "socialWorkerId", found: rows.length > 0 };
    }
  }
}

/** 400 naming the field when the region, community or social worker a scope names does not exist. */
async function assertScopeExists(db: Queryable, input: NewAccount): Promise<void> {
  const { path, found } = await scopeTarget(db, input);
  if (!found) {
    throw new AppError("VALIDATION_FAILED", "the account's scope does not exist", {
      issues: [{ path, message: "no such record" }],
    });
  }
}

/** Staff accounts, oldest first, optionally of one role. */
export function listAccounts(db: Queryable, query: { role?: Role; limit: number; offset: number }) {
  return db
    .select({ ...accountColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(accounts)
    .where(query.role ? eq(accounts.role, query.role) : undefined)
    .orderBy(asc(accounts.createdAt), asc(accounts.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** Creates a staff account (admin), with its audit entry. */
export async function createAccount(actor: Actor, input: NewAccount) {
  await assertScopeExists(actor.db, input);
  return actor.db.transaction(async (tx) => {
    const [row] = await tx.insert(accounts).values(input).returning(accountColumns);
    if (!row) throw new Error("insert returned no row");
    await recordAudit(tx, actor, {
      action: "create",
      entity: "account",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** Mints an API token for an active account (shown once), with its audit entry. */
export async function mintAccountToken(
  actor: Actor,
  accountId: string,
  input: { label: string; expiresInDays?: number },
) {
  return actor.db.transaction(async (tx) => {
    const [account] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), eq(accounts.active, true)));
    if (!account) throw notFound("account");
    const expiresAt = input.expiresInDays
      ? new Date(actor.now.getTime() + input.expiresInDays * 86_400_000)
      : undefined;
    const minted = await mintToken(tx, accountId, { label: input.label, expiresAt });
    await recordAudit(tx, actor, {
      action: "mint_token",
      entity: "api_token",
      entityId: minted.id,
      after: { accountId, label: input.label },
    });
    return { ...minted, expiresAt: expiresAt?.toISOString() ?? null };
  });
}

/** An account's tokens, never their secrets. */
export function listAccountTokens(db: Queryable, accountId: string) {
  return db
    .select({
      id: apiTokens.id,
      label: apiTokens.label,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.accountId, accountId))
    .orderBy(asc(apiTokens.createdAt));
}

/** Revokes a token (it stops working on the next request), with its audit entry. */
export async function revokeAccountToken(actor: Actor, tokenId: string): Promise<void> {
  await actor.db.transaction(async (tx) => {
    if (!(await revokeToken(tx, tokenId))) throw notFound("token");
    await recordAudit(tx, actor, {
      action: "revoke_token",
      entity: "api_token",
      entityId: tokenId,
    });
  });
}
