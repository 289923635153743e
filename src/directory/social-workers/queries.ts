import { and, arrayContains, asc, eq, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../../auth/principal";
import { socialWorkerScope } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { socialWorkers } from "../../db/schema";
import { equalsIfGiven, regionFilter } from "../../lib/filters";
import type { ListSocialWorkersQuery } from "./schemas";

/** Where a caller may see social workers: their region, or only themself. */
const visibleTo = socialWorkerScope;

export async function listSocialWorkers(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListSocialWorkersQuery>,
) {
  return db
    .select({ ...socialWorkerColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(socialWorkers)
    .where(
      and(
        visibleTo(scope),
        regionFilter(query.region, socialWorkers.homeCountyCode),
        equalsIfGiven(socialWorkers.certificateLevel, query.certificateLevel),
        equalsIfGiven(socialWorkers.organisationId, query.organisationId),
        equalsIfGiven(socialWorkers.active, query.active),
        query.skill ? arrayContains(socialWorkers.skills, [query.skill]) : undefined,
      ),
    )
    .orderBy(asc(socialWorkers.homeCountyCode), asc(socialWorkers.name), asc(socialWorkers.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One social worker, or undefined if it does not exist or lies outside the scope. */
export async function findSocialWorker(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select(socialWorkerColumns)
    .from(socialWorkers)
    .where(and(eq(socialWorkers.id, id), visibleTo(scope)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export const socialWorkerColumns = {
  id: socialWorkers.id,
  name: socialWorkers.name,
  certificateNumber: socialWorkers.certificateNumber,
  certificateLevel: socialWorkers.certificateLevel,
  skills: socialWorkers.skills,
  homeCountyCode: socialWorkers.homeCountyCode,
  organisationId: socialWorkers.organisationId,
  weeklyCapacity: socialWorkers.weeklyCapacity,
  active: socialWorkers.active,
  createdAt: socialWorkers.createdAt,
  updatedAt: socialWorkers.updatedAt,
};
