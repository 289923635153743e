import { and, eq, gt, inArray, like, lt } from "drizzle-orm";
import type { Scope } from "../auth/principal";
import { maySeeRegionWork, onlyOwnCommunity, ownCommunityOf } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communities, matchingRuns, needs } from "../db/schema";
import { regionPrefix } from "../domain/regions";
import { notFound } from "../lib/errors";
import { needColumns } from "../needs/queries";

/** One entry of a stored plan: a need, the pair proposed for it, when, and why (score parts). */
export interface PlanEntry {
  needId: string;
  communityId: string;
  socialWorkerId: string;
  socialWorkerName: string;
  teamId: string;
  teamName: string;
  start: string;
  end: string;
  score: number;
  parts: Record<string, number>;
}

export type RunRow = typeof matchingRuns.$inferSelect;

/** The open needs of a region whose windows overlap the period (what a batch run plans for). */
export function openNeedsOf(db: Queryable, regionCode: string, from: Date, to: Date) {
  return db
    .select(needColumns)
    .from(needs)
    .innerJoin(communities, eq(communities.id, needs.communityId))
    .where(
      and(
        eq(needs.status, "open"),
        like(communities.regionCode, `${regionPrefix(regionCode)}%`),
        lt(needs.windowStart, to),
        gt(needs.windowEnd, from),
      ),
    );
}

/** A stored run the caller may see, or a 404 (missing and out of scope look alike). */
export async function findRun(db: Queryable, scope: Scope, id: string): Promise<RunRow> {
  const [run] = await db.select().from(matchingRuns).where(eq(matchingRuns.id, id));
  if (!run || !maySeeRegionWork(scope, run.regionCode)) throw notFound("matching run");
  return run;
}

/**
 * A run as the caller may see it: a coordinator only its community's entries, and only its own
 * needs among the unmatched (those are not in the plan, so the needs themselves are asked).
 */
export async function runView(db: Queryable, scope: Scope, id: string) {
  const run = await findRun(db, scope, id);
  const plan = onlyOwnCommunity(scope, run.plan as PlanEntry[]);
  let unmatched = run.unmatched as { needId: string; reason: string }[];
  const own = ownCommunityOf(scope);
  if (own && unmatched.length > 0) {
    const mine = await db
      .select({ id: needs.id })
      .from(needs)
      .where(
        and(
          inArray(
            needs.id,
            unmatched.map((u) => u.needId),
          ),
          eq(needs.communityId, own),
        ),
      );
    const ids = new Set(mine.map((row) => row.id));
    unmatched = unmatched.filter((u) => ids.has(u.needId));
  }
  return { ...run, plan, unmatched };
}
