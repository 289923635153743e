import type { Actor, Caller } from "../auth/actor";
import type { Principal } from "../auth/principal";
import type { Queryable } from "../db/client";
import { auditLog } from "../db/schema";
import { notFound } from "./errors";
import { redact } from "./redact";

/** Who a change is recorded as: a signed-in actor, or the system (Cron, retention) without one. */
export type AuditedCaller = Pick<Caller, "requestId"> & { principal?: Principal };

/** Fields that never belong in the audit log, whatever row is being recorded. */
const SECRET_FIELDS = new Set([
  "mobileCiphertext",
  "mobileHash",
  "manageTokenHash",
  "tokenHash",
  "passwordHash",
  "volunteerKey",
]);

/** Entities whose `name` is a private person's (volunteers), shown as its first character. */
const PRIVATE_NAMES = new Set(["volunteer", "signup"]);

/**
 * What the audit log keeps of a row: secrets and hashes dropped, full mobile numbers and API
 * tokens masked wherever they appear, volunteers' names reduced to their first character.
 * Applied when writing, and again when reading (older entries).
 */
export function maskForAudit(entity: string, value: unknown, depth = 0): unknown {
  if (depth > 8) return "[…]";
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => maskForAudit(entity, item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (SECRET_FIELDS.has(key)) continue;
      if (key === "name" && PRIVATE_NAMES.has(entity) && typeof item === "string")
        out[key] = item.length > 0 ? `${Array.from(item)[0]}*` : item;
      else out[key] = maskForAudit(entity, item, depth + 1);
    }
    return out;
  }
  return value;
}

/** Appends one write to the audit log, in the caller's transaction so both commit or neither. */
export async function recordAudit(
  tx: Queryable,
  who: AuditedCaller,
  entry: {
    action: string;
    entity: string;
    /** Null for a change of many rows at once (an import, retention), described in `after`. */
    entityId: string | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    accountId: who.principal?.accountId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before === undefined ? null : maskForAudit(entry.entity, entry.before),
    after: entry.after === undefined ? null : maskForAudit(entry.entity, entry.after),
    requestId: who.requestId,
  });
}

/**
 * Changes one row inside a transaction: locks and reads it (404 if missing or out of scope),
 * applies the change, and records before/after in the audit log.
 */
export async function changeWithAudit<T>(
  actor: Actor,
  options: {
    entity: string;
    label: string;
    action: string;
    entityId: string;
    find: (tx: Queryable) => Promise<T | undefined>;
    apply: (tx: Queryable, before: T) => Promise<T | undefined>;
  },
): Promise<T> {
  return actor.db.transaction(async (tx) => {
    const before = await options.find(tx);
    if (!before) throw notFound(options.label);
    const after = await options.apply(tx, before);
    if (!after) throw notFound(options.label);
    await recordAudit(tx, actor, {
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
  actor: Actor,
  entity: string,
  insert: (tx: Queryable) => Promise<T[]>,
): Promise<T[]> {
  return actor.db.transaction(async (tx) => {
    const rows = await insert(tx);
    for (const row of rows)
      await recordAudit(tx, actor, { action: "create", entity, entityId: row.id, after: row });
    return rows;
  });
}
