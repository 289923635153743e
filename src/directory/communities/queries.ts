import { and, asc, eq, ilike, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../../auth/principal";
import { communityRowScope } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { communities, regions } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { equalsIfGiven, regionFilter } from "../../lib/filters";
import type { ListCommunitiesQuery } from "./schemas";

/**
 * Where a caller may see communities (the scope policy's communityRowScope). The scope is checked
 * on the 12-digit `regionCode`, so a department scoped to a street or a community still matches.
 */
const visibleTo = communityRowScope;

export async function listCommunities(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListCommunitiesQuery>,
) {
  return db
    .select({ ...communityColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(communities)
    .where(
      and(
        visibleTo(scope),
        regionFilter(query.region, communities.regionCode),
        equalsIfGiven(communities.isPilot, query.pilot),
        equalsIfGiven(communities.active, query.active),
        query.q ? ilike(communities.name, `%${escapeLike(query.q)}%`) : undefined,
      ),
    )
    .orderBy(asc(communities.regionCode), asc(communities.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One community, or undefined if it does not exist or lies outside the scope. */
export async function findCommunity(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select(communityColumns)
    .from(communities)
    .where(and(eq(communities.id, id), visibleTo(scope)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** The community-level region with this code, or undefined (a street or county code does not count). */
export async function findCommunityRegion(db: Queryable, code: string) {
  const [region] = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.code, code), eq(regions.level, "community")));
  return region;
}

/** Makes user text literal inside a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

export const communityColumns = {
  id: communities.id,
  regionCode: communities.regionCode,
  countyCode: communities.countyCode,
  name: communities.name,
  address: communities.address,
  isPilot: communities.isPilot,
  coordinatorName: communities.coordinatorName,
  coordinatorPhone: communities.coordinatorPhone,
  active: communities.active,
  createdAt: communities.createdAt,
  updatedAt: communities.updatedAt,
};

/** The pilot communities an admin may post needs for, with their county's name, in code order. */
export function pilotCommunityOptions(db: Queryable) {
  return db
    .select({ id: communities.id, name: communities.name, countyName: regions.name })
    .from(communities)
    .innerJoin(regions, eq(regions.code, communities.countyCode))
    .where(and(eq(communities.isPilot, true), eq(communities.active, true)))
    .orderBy(asc(communities.regionCode));
}

/** A community's name, or undefined. */
export async function communityName(db: Queryable, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ name: communities.name })
    .from(communities)
    .where(eq(communities.id, id));
  return row?.name;
}

/** Refuses, as a 404, a community that does not exist: what is posted for it would be orphaned. */
export async function assertCommunityExists(db: Queryable, id: string): Promise<void> {
  const [row] = await db
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.id, id));
  if (!row) throw notFound("community");
}
