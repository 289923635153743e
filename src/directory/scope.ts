import { type Column, eq, like, type SQL, sql } from "drizzle-orm";
import type { Scope } from "../auth/principal";
import { regionPrefix } from "../domain/regions";
import { AppError } from "../lib/errors";

/**
 * The condition that keeps a query inside the caller's region: `column` holds a region code
 * (county or below). Undefined means no restriction (admin). A community-scoped caller is held
 * to its community's code, which no county-level row matches.
 */
export function regionScope(scope: Scope, column: Column): SQL | undefined {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "region":
      return like(column, `${scope.prefix}%`);
    case "community":
      return like(column, `${scope.regionCode}%`);
    case "social_worker":
      return sql`false`;
  }
}

/** `?region=` filter at any level: the region itself and everything below it. */
export function regionFilter(code: string | undefined, column: Column): SQL | undefined {
  if (!code) return undefined;
  const prefix = regionPrefix(code);
  if (!prefix)
    throw new AppError("VALIDATION_FAILED", "region must be a GB/T 2260 code", {
      issues: [{ path: "region", message: "not a 6-, 9- or 12-digit region code" }],
    });
  return like(column, `${prefix}%`);
}

/** Equality on an optional filter value. */
export function equalsIfGiven<T>(column: Column, value: T | undefined): SQL | undefined {
  return value === undefined ? undefined : eq(column, value);
}

/**
 * The condition that keeps community-owned rows (needs, events) inside the caller's scope:
 * a region by the community's code, or exactly the coordinator's community.
 */
export function communityScope(
  scope: Scope,
  columns: { communityId: Column; communityRegionCode: Column },
): SQL | undefined {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "region":
      return like(columns.communityRegionCode, `${scope.prefix}%`);
    case "community":
      return eq(columns.communityId, scope.communityId);
    case "social_worker":
      return sql`false`;
  }
}
