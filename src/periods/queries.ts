import { and, asc, gte, like, lte, or, sql } from "drizzle-orm";
import type { Scope } from "../auth/principal";
import { assertRegionInScope, defaultRegionOf } from "../auth/scope";
import type { Queryable } from "../db/client";
import { periodLocks } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";

/** What the API shows of a closed month. */
export function periodView(row: typeof periodLocks.$inferSelect) {
  return { region: row.regionCode, month: row.month.slice(0, 7), lockedAt: row.lockedAt };
}

/**
 * Closed months of a region (a department's own by default): the locks inside it and the wider
 * ones (city, province) that cover it, in month order.
 */
export async function listPeriodLocks(
  db: Queryable,
  scope: Scope,
  query: { region?: string; from?: string; to?: string },
) {
  const region = query.region ?? defaultRegionOf(scope);
  if (region) assertRegionInScope(scope, region);
  const rows = await db
    .select()
    .from(periodLocks)
    .where(
      and(
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
  return rows.map(periodView);
}
