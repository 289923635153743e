import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth, requireRole } from "../auth/middleware";
import { accounts, auditLog } from "../db/schema";
import type { AppEnv } from "../env";
import { maskForAudit } from "../lib/audit";
import { paginationQuery, toPage } from "../lib/pagination";
import { Instant, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";

const ListAuditQuery = v.strictObject({
  entity: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,40}$/, "an entity name, e.g. need"))),
  entityId: v.optional(v.pipe(v.string(), v.maxLength(100))),
  accountId: v.optional(Uuid),
  action: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,40}$/, "an action, e.g. update"))),
  from: v.optional(Instant),
  to: v.optional(Instant),
  ...paginationQuery,
});

/**
 * 审计日志: every staff write (who, what, when, before/after, request id), newest first, for
 * admins. Append-only in the database (migration 0011); personal data is masked.
 */
export const auditRoutes = new Hono<AppEnv>().use(requireAuth, requireRole("admin")).get(
  "/",
  describeRoute({
    summary: "Read the audit log (admin)",
    description: "Filter by entity and id, account, action and period; newest first.",
    tags: ["audit"],
  }),
  validate("query", ListAuditQuery),
  async (c) => {
    const query = c.req.valid("query");
    const rows = await c.var.db
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
    const page = toPage(rows, query.limit, query.offset);
    return c.json({
      ...page,
      data: page.data.map((row) => ({
        ...row,
        before: maskForAudit(row.entity, row.before),
        after: maskForAudit(row.entity, row.after),
      })),
    });
  },
);
