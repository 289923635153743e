import type { Context } from "hono";
import type { Queryable } from "../db/client";
import { auditLog } from "../db/schema";
import type { AppEnv } from "../env";
import { notFound } from "./errors";

/** Appends one staff write to the audit log, in the caller's transaction so both commit or neither. */
export async function recordAudit(
  tx: Queryable,
  c: Context<AppEnv>,
  entry: { action: string; entity: string; entityId: string; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditLog).values({
    accountId: c.var.principal.accountId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: c.var.requestId,
  });
}

/**
 * Changes one row inside a transaction: locks and reads it (404 if missing or out of scope),
 * applies the change, and records before/after in the audit log.
 */
export async function changeWithAudit<T>(
  c: Context<AppEnv>,
  options: {
    entity: string;
    label: string;
    action: string;
    entityId: string;
    find: (tx: Queryable) => Promise<T | undefined>;
    apply: (tx: Queryable, before: T) => Promise<T | undefined>;
  },
): Promise<T> {
  return c.var.db.transaction(async (tx) => {
    const before = await options.find(tx);
    if (!before) throw notFound(options.label);
    const after = await options.apply(tx, before);
    if (!after) throw notFound(options.label);
    await recordAudit(tx, c, {
      action: options.action,
      entity: options.entity,
      entityId: options.entityId,
      before,
      after,
    });
    return after;
  });
}

/** Inserts rows inside a transaction with one audit entry per row. */
export async function createWithAudit<T extends { id: string }>(
  c: Context<AppEnv>,
  entity: string,
  insert: (tx: Queryable) => Promise<T[]>,
): Promise<T[]> {
  return c.var.db.transaction(async (tx) => {
    const rows = await insert(tx);
    for (const row of rows)
      await recordAudit(tx, c, { action: "create", entity, entityId: row.id, after: row });
    return rows;
  });
}
