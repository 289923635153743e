import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { accounts, auditLog } from "../db/schema";
import { maskForAudit } from "../lib/audit";

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  accountId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** A page of the audit log, newest first, with personal data masked (again, for older entries). */
export async function listAuditEntries(db: Queryable, query: AuditQuery) {
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      accountId: auditLog.accountId,
      accountName: accounts.name,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      requestId: auditLog.requestId,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.accountId))
    .where(
      and(
        query.entity ? eq(auditLog.entity, query.entity) : undefined,
        query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
        query.accountId ? eq(auditLog.accountId, query.accountId) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        query.from ? gte(auditLog.at, query.from) : undefined,
        query.to ? lt(auditLog.at, query.to) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit)
    .offset(query.offset);
  return rows.map((row) => ({
    ...row,
    before: maskForAudit(row.entity, row.before),
    after: maskForAudit(row.entity, row.after),
  }));
}
