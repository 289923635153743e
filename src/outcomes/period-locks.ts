import { and, asc, eq, gte, like, lte, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth, requireRole } from "../auth/middleware";
import type { Scope } from "../auth/principal";
import { periodLocks, regions } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionContains, regionPrefix } from "../domain/regions";
import type { AppEnv } from "../env";
import { recordAudit } from "../lib/audit";
import { notFound } from "../lib/errors";
import { Reason } from "../lib/schemas";
import { validate } from "../lib/validation";
import { ListPeriodLocksQuery, LockPeriod, PeriodLockParam } from "./schemas";

const tags = ["outcomes"];

/** A department may close months of its own region and below; an admin anywhere. */
export function regionInScope(scope: Scope, code: string): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "region") return regionContains(scope.regionCode, code);
  return false;
}

const view = (row: typeof periodLocks.$inferSelect) => ({
  region: row.regionCode,
  month: row.month.slice(0, 7),
  lockedAt: row.lockedAt,
});

/** 月度关账: closing a month stops its outcomes from changing; corrections become adjustments. */
export const periodLockRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireRole("admin", "department"))
  .get(
    "/",
    describeRoute({ summary: "Closed months in a region (yours by default)", tags }),
    validate("query", ListPeriodLocksQuery),
    async (c) => {
      const query = c.req.valid("query");
      const scope = c.var.principal.scope;
      const region = query.region ?? (scope.kind === "region" ? scope.regionCode : undefined);
      if (region && !regionInScope(scope, region)) throw notFound("region");
      const rows = await c.var.db
        .select()
        .from(periodLocks)
        .where(
          and(
            // Locks inside the region, and the wider ones (city, province) that cover it.
            region
              ? or(
                  like(periodLocks.regionCode, `${regionPrefix(region)}%`),
                  sql`starts_with(${region}, ${periodLocks.regionPrefix})`,
                )
              : undefined,
            query.from ? gte(periodLocks.month, monthStart(query.from)) : undefined,
            query.to ? lte(periodLocks.month, monthStart(query.to)) : undefined,
          ),
        )
        .orderBy(asc(periodLocks.month), asc(periodLocks.regionCode));
      return c.json({ items: rows.map(view) });
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Close a month for a region (201; 200 if it was already closed)",
      tags,
    }),
    validate("json", LockPeriod),
    async (c) => {
      const { region, month } = c.req.valid("json");
      if (!regionInScope(c.var.principal.scope, region)) throw notFound("region");
      const { row, created } = await c.var.db.transaction(async (tx) => {
        const [known] = await tx
          .select({ code: regions.code })
          .from(regions)
          .where(eq(regions.code, region));
        if (!known) throw notFound("region");
        const [inserted] = await tx
          .insert(periodLocks)
          .values({
            regionCode: region,
            regionPrefix: regionPrefix(region) ?? region,
            month: monthStart(month),
            lockedBy: c.var.principal.accountId,
          })
          .onConflictDoNothing()
          .returning();
        if (inserted) {
          await recordAudit(tx, c, {
            action: "lock",
            entity: "period",
            entityId: `${region}/${month}`,
            after: view(inserted),
          });
          return { row: inserted, created: true };
        }
        const [existing] = await tx
          .select()
          .from(periodLocks)
          .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))));
        if (!existing) throw new Error("period lock vanished");
        return { row: existing, created: false };
      });
      return c.json(view(row), created ? 201 : 200);
    },
  )
  .post(
    "/:region/:month/reopen",
    describeRoute({ summary: "Reopen a closed month (admin, with a reason)", tags }),
    requireRole("admin"),
    validate("param", PeriodLockParam),
    validate("json", v.strictObject({ reason: Reason })),
    async (c) => {
      const { region, month } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      await c.var.db.transaction(async (tx) => {
        const [removed] = await tx
          .delete(periodLocks)
          .where(and(eq(periodLocks.regionCode, region), eq(periodLocks.month, monthStart(month))))
          .returning();
        if (!removed) throw notFound("closed month");
        await recordAudit(tx, c, {
          action: "reopen",
          entity: "period",
          entityId: `${region}/${month}`,
          before: view(removed),
          after: { reason },
        });
      });
      return c.body(null, 204);
    },
  );
