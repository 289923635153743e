import { and, asc, eq, ilike, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Queryable } from "../../db/client";
import { organisations, regions } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { equalsIfGiven, regionFilter } from "../../lib/filters";
import type { ListOrganisationsQuery } from "./schemas";

/** Organisations serve every county and hold no personal data, so no caller is scoped out. */
export async function listOrganisations(
  db: Queryable,
  query: v.InferOutput<typeof ListOrganisationsQuery>,
) {
  return db
    .select({ ...organisationColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(organisations)
    .where(
      and(
        equalsIfGiven(organisations.kind, query.kind),
        regionFilter(query.region, organisations.regionCode),
        equalsIfGiven(organisations.active, query.active),
        query.q ? ilike(organisations.name, `%${escapeLike(query.q)}%`) : undefined,
      ),
    )
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One organisation, or undefined if it does not exist. */
export async function findOrganisation(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db.select(organisationColumns).from(organisations).where(eq(organisations.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** 400 naming `regionCode` when the code is not in the region table (a typo, not a 409 or 500). */
export async function assertRegionExists(db: Queryable, code: string | null | undefined) {
  if (!code) return;
  const [region] = await db
    .select({ code: regions.code })
    .from(regions)
    .where(eq(regions.code, code));
  if (region) return;
  throw new AppError("VALIDATION_FAILED", "the request refers to unknown records", {
    issues: [{ path: "regionCode", message: "no region has this code" }],
  });
}

/** Makes user text literal inside a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

export const organisationColumns = {
  id: organisations.id,
  name: organisations.name,
  kind: organisations.kind,
  regionCode: organisations.regionCode,
  active: organisations.active,
  createdAt: organisations.createdAt,
  updatedAt: organisations.updatedAt,
};
