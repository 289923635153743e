import { and, asc, countDistinct, eq, gte, inArray, like, lte, or, sql } from "drizzle-orm";
import type { Scope } from "../auth/principal";
import { assertRegionInScope, defaultRegionOf } from "../auth/scope";
import type { Queryable } from "../db/client";
import { events, outcomes, periodLockExclusions, periodLocks } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";

/** An outcome named by its event, as a closed month lists the ones it leaves out. */
export interface OutcomeRef {
  eventId: string;
  title: string;
}

/** What the API shows of a closed month: with the unsigned outcomes it left out, if any. */
export function periodView(row: typeof periodLocks.$inferSelect, excluded: OutcomeRef[] = []) {
  return {
    region: row.regionCode,
    month: row.month.slice(0, 7),
    lockedAt: row.lockedAt,
    excluded: excluded.length,
    excludedOutcomes: excluded,
  };
}
export type PeriodView = ReturnType<typeof periodView>;

/**
 * Outcomes of a region's month still waiting for sign-off (recorded, not signed off), and not
 * already left out by a closed month that covers them: what closing the month would strand.
 */
export async function unsignedOutcomes(
  db: Queryable,
  region: string,
  month: string,
): Promise<OutcomeRef[]> {
  const excluded = db
    .select({ id: periodLockExclusions.eventId })
    .from(periodLockExclusions)
    .where(eq(periodLockExclusions.month, monthStart(month)));
  return db
    .select({ eventId: outcomes.eventId, title: events.title })
    .from(outcomes)
    .innerJoin(events, eq(events.id, outcomes.eventId))
    .where(
      and(
        eq(outcomes.status, "recorded"),
        eq(outcomes.month, monthStart(month)),
        like(outcomes.regionCode, `${regionPrefix(region) ?? region}%`),
        sql`${outcomes.eventId} not in (${excluded})`,
      ),
    )
    .orderBy(asc(events.startsAt), asc(outcomes.eventId));
}

/**
 * How many outcomes of a region and period its closed months left out (unsigned when the month
 * closed): they wait for sign-off in the tallies, but never will unless an admin reopens.
 */
export async function excludedOutcomeCount(
  db: Queryable,
  region: string,
  period: { from: string; to: string },
): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(periodLockExclusions.eventId) })
    .from(periodLockExclusions)
    .innerJoin(outcomes, eq(outcomes.eventId, periodLockExclusions.eventId))
    .where(
      and(
        like(outcomes.regionCode, `${regionPrefix(region) ?? region}%`),
        gte(outcomes.month, monthStart(period.from)),
        lte(outcomes.month, monthStart(period.to)),
        eq(outcomes.status, "recorded"),
      ),
    );
  return Number(row?.n ?? 0);
}

/** The outcomes each of these closed months left out, keyed `region/YYYY-MM-01`. */
async function exclusionsOf(db: Queryable, locks: (typeof periodLocks.$inferSelect)[]) {
  const byLock = new Map<string, OutcomeRef[]>();
  if (locks.length === 0) return byLock;
  const rows = await db
    .select({
      regionCode: periodLockExclusions.regionCode,
      month: periodLockExclusions.month,
      eventId: periodLockExclusions.eventId,
      title: events.title,
    })
    .from(periodLockExclusions)
    .innerJoin(events, eq(events.id, periodLockExclusions.eventId))
    .where(
      and(
        inArray(periodLockExclusions.regionCode, [...new Set(locks.map((l) => l.regionCode))]),
        inArray(periodLockExclusions.month, [...new Set(locks.map((l) => l.month))]),
      ),
    )
    .orderBy(asc(events.startsAt), asc(periodLockExclusions.eventId));
  for (const row of rows) {
    const key = `${row.regionCode}/${row.month}`;
    byLock.set(key, [...(byLock.get(key) ?? []), { eventId: row.eventId, title: row.title }]);
  }
  return byLock;
}

/** A closed month as the API shows it, with what it left out. */
export async function periodLockView(db: Queryable, lock: typeof periodLocks.$inferSelect) {
  const exclusions = await exclusionsOf(db, [lock]);
  return periodView(lock, exclusions.get(`${lock.regionCode}/${lock.month}`));
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
  const exclusions = await exclusionsOf(db, rows);
  return rows.map((row) => periodView(row, exclusions.get(`${row.regionCode}/${row.month}`)));
}
