import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { paginationQuery, toPage } from "../lib/pagination";
import { ok, Page, reply, responses, Timestamp } from "../lib/responses";
import { Instant, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { listAuditEntries } from "./queries";

const AuditPage = Page(
  v.object({
    id: v.number(),
    at: Timestamp,
    accountId: v.nullable(v.string()),
    accountName: v.nullable(v.string()),
    action: v.string(),
    entity: v.string(),
    entityId: v.nullable(v.string()),
    before: v.unknown(),
    after: v.unknown(),
    requestId: v.nullable(v.string()),
  }),
);

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
    responses: responses(ok("A page of audit entries", AuditPage), {
      auth: true,
      roles: true,
      input: true,
    }),
  }),
  validate("query", ListAuditQuery),
  async (c) => {
    const query = c.req.valid("query");
    const rows = await listAuditEntries(c.var.db, query);
    return reply(c, AuditPage, toPage(rows, query.limit, query.offset));
  },
);
