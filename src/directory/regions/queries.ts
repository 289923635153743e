import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { regions } from "../../db/schema";
import { ancestorCodes, regionPrefix } from "../../domain/regions";
import type { RegionLevel } from "../../domain/vocabulary";

export interface ListRegionsQuery {
  parent?: string;
  within?: string;
  level?: RegionLevel;
  q?: string;
  limit: number;
  offset: number;
}

/** Regions by parent, or by level within a region, optionally by a piece of the name; in code order. */
export function listRegions(db: Queryable, query: ListRegionsQuery) {
  const { parent, within, level, q, limit, offset } = query;
  const withinPrefix = within ? regionPrefix(within) : undefined;
  return db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      parentCode: regions.parentCode,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(regions)
    .where(
      and(
        parent ? eq(regions.parentCode, parent) : undefined,
        withinPrefix ? like(regions.code, `${withinPrefix}%`) : undefined,
        level ? eq(regions.level, level) : undefined,
        q ? like(regions.name, `%${q.replace(/[\\%_]/g, "\\$&")}%`) : undefined,
      ),
    )
    .orderBy(asc(regions.code))
    .limit(limit)
    .offset(offset);
}

/** A region with its ancestors (province first), or undefined. */
export async function findRegion(db: Queryable, code: string) {
  const [region] = await db.select().from(regions).where(eq(regions.code, code));
  if (!region) return undefined;
  const codes = ancestorCodes(code);
  const ancestors = codes.length
    ? await db.select().from(regions).where(inArray(regions.code, codes)).orderBy(asc(regions.code))
    : [];
  return { ...region, ancestors };
}
