import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { organisations, regions } from "../db/schema";
import type { ErrorIssue } from "../lib/errors";
import { AppError } from "../lib/errors";

/** Which of the given county codes exist in the region table. */
export async function existingCounties(db: Queryable, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .select({ code: regions.code })
    .from(regions)
    .where(and(inArray(regions.code, [...new Set(codes)]), eq(regions.level, "county")));
  return new Set(rows.map((row) => row.code));
}

/** Which of the given organisation ids exist (active or not). */
export async function existingOrganisations(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(inArray(organisations.id, [...new Set(ids)]));
  return new Set(rows.map((row) => row.id));
}

/**
 * Checks that a write refers to a real county and organisation, so a typo is a 400 naming the
 * field rather than a foreign-key error.
 */
export async function assertReferences(
  db: Queryable,
  refs: { countyField?: string; countyCode?: string; organisationId?: string | null },
): Promise<void> {
  const issues: ErrorIssue[] = [];
  if (refs.countyCode !== undefined) {
    const found = await existingCounties(db, [refs.countyCode]);
    if (!found.has(refs.countyCode)) {
      issues.push({
        path: refs.countyField ?? "countyCode",
        message: "no county-level region has this code",
      });
    }
  }
  if (refs.organisationId) {
    const found = await existingOrganisations(db, [refs.organisationId]);
    if (!found.has(refs.organisationId)) {
      issues.push({ path: "organisationId", message: "no organisation has this id" });
    }
  }
  if (issues.length > 0)
    throw new AppError("VALIDATION_FAILED", "the request refers to unknown records", { issues });
}
