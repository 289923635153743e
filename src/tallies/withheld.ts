import { and, gte, like, lte, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { tallyGroupRollup } from "../db/schema";
import { monthStart } from "../domain/months";
import type { TargetGroup } from "../domain/vocabulary";
import { num } from "./cells";
import { type AtomicCell, hiddenCells } from "./suppression";

/**
 * The atomic cells withheld in a county over a period (suppression.ts): read from the fine
 * rollup, person-times of every community, month, service type and target group of the county,
 * outcomes and adjustments apart.
 */
export async function withheldCells(
  db: Queryable,
  county: string,
  period: { from: string; to: string },
): Promise<Set<string>> {
  const t = tallyGroupRollup;
  const month = sql<string>`to_char(${t.month}, 'YYYY-MM')`;
  const rows = await db
    .select({
      region: t.regionCode,
      month,
      serviceType: t.serviceType,
      targetGroup: t.targetGroup,
      adjustment: t.adjustment,
      personTimes: sql<number>`sum(${t.personTimes})`,
    })
    .from(t)
    .where(
      and(
        like(t.regionCode, `${county}%`),
        gte(t.month, monthStart(period.from)),
        lte(t.month, monthStart(period.to)),
      ),
    )
    .groupBy(t.regionCode, t.month, t.serviceType, t.targetGroup, t.adjustment);
  const cells: AtomicCell[] = rows.map((row) => ({
    region: row.region,
    month: row.month,
    serviceType: row.serviceType,
    targetGroup: row.targetGroup as TargetGroup,
    adjustment: row.adjustment,
    personTimes: num(row.personTimes),
  }));
  return hiddenCells(cells);
}
