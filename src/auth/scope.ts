import { type Column, eq, like, type SQL, sql } from "drizzle-orm";
import { communities, events, requests, socialWorkers, stations } from "../db/schema";
import { regionContains } from "../domain/regions";
import { AppError, notFound } from "../lib/errors";
import type { Principal, Scope } from "./principal";

/*
 * The one scope policy: every decision whether a region, community, event or social worker lies
 * within a principal's reach is made here, as an SQL condition for queries or a yes/no for
 * codes a caller names. Anything out of reach is answered exactly like something that does not
 * exist (404), so a scoped caller cannot learn what lies outside its scope.
 */

/**
 * Rows that carry a region code (county or below): everything for an admin, the region for a
 * department, the community's own code for a coordinator (so no county-level row matches), nothing
 * for a social worker. Undefined means no restriction.
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

/** Community-owned rows (needs, events): a region by the community's code, or exactly one community. */
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

/**
 * Events: a coordinator its community's, a department its region's (by the community, which the
 * query must join), a social worker the events they lead, an admin all.
 */
export function eventScope(scope: Scope): SQL | undefined {
  if (scope.kind === "social_worker") return eq(events.leadSocialWorkerId, scope.socialWorkerId);
  return communityScope(scope, {
    communityId: events.communityId,
    communityRegionCode: communities.regionCode,
  });
}

/**
 * Requests (问需) by the desk they sit at: a coordinator its community's desk, a department every
 * desk in its region (the county department's own desk included), an admin all.
 */
export function requestScope(scope: Scope): SQL | undefined {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "region":
      return like(requests.deskRegionCode, `${scope.prefix}%`);
    case "community":
      return eq(requests.deskCommunityId, scope.communityId);
    case "social_worker":
      return sql`false`;
  }
}

/** Stations (爱心驿站, 司机之家): by their community, which the query must join. */
export function stationScope(scope: Scope): SQL | undefined {
  if (scope.kind === "community") return eq(stations.communityId, scope.communityId);
  return regionScope(scope, communities.regionCode);
}

/** Whether the caller may act at a desk of the county department (a department above it, admin). */
export function mayActAtDepartmentDesk(scope: Scope, countyCode: string): boolean {
  return mayActOnRegion(scope, countyCode);
}

/** Directory communities: a coordinator exactly its own, others by the 12-digit code. */
export function communityRowScope(scope: Scope): SQL | undefined {
  if (scope.kind === "community") return eq(communities.id, scope.communityId);
  return regionScope(scope, communities.regionCode);
}

/** Social workers: a social worker only themself, others by home county. */
export function socialWorkerScope(scope: Scope): SQL | undefined {
  if (scope.kind === "social_worker") return eq(socialWorkers.id, scope.socialWorkerId);
  return regionScope(scope, socialWorkers.homeCountyCode);
}

/** The coordinator's own community, or undefined for every other scope. */
export function ownCommunityOf(scope: Scope): string | undefined {
  return scope.kind === "community" ? scope.communityId : undefined;
}

/** The region a department's lists default to (its own); undefined for others. */
export function defaultRegionOf(scope: Scope): string | undefined {
  return scope.kind === "region" ? scope.regionCode : undefined;
}

/**
 * Which counties a caller may write directory records into (imports): an admin any, a department
 * those in its region; 403 for everyone else.
 */
export function directoryWriteTest(principal: Principal): (countyCode: string) => boolean {
  const { role, scope } = principal;
  if (role === "admin" && scope.kind === "all") return () => true;
  if (role === "department" && scope.kind === "region")
    return (code) => regionContains(scope.regionCode, code);
  throw new AppError("FORBIDDEN", "imports are for admins and departments");
}

/** Whether a region code (any level) is one the caller may act on: admins all, departments theirs. */
export function mayActOnRegion(scope: Scope, code: string): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "region" && regionContains(scope.regionCode, code);
}

/** 404 unless the caller may act on the region ({@link mayActOnRegion}). */
export function assertRegionInScope(scope: Scope, code: string): void {
  if (!mayActOnRegion(scope, code)) throw notFound("region");
}

/**
 * Whether a caller may see something that covers a whole region (a matching run): a department
 * inside its region, a coordinator when the region includes its community (it then sees only its
 * community's part, see {@link onlyOwnCommunity}).
 */
export function maySeeRegionWork(scope: Scope, code: string): boolean {
  if (scope.kind === "community") return regionContains(code, scope.regionCode);
  return mayActOnRegion(scope, code);
}

/** Keeps a coordinator to its own community's items of a region-wide result; others see all. */
export function onlyOwnCommunity<T extends { communityId: string }>(scope: Scope, items: T[]): T[] {
  return scope.kind === "community"
    ? items.filter((item) => item.communityId === scope.communityId)
    : items;
}

/**
 * The region a tally, coverage or summary covers: an admin any (the whole country when none is
 * named), a department its region or below (its own by default), a coordinator its community.
 */
export function tallyRegionFor(principal: Principal, requested: string | undefined) {
  const scope = principal.scope;
  switch (scope.kind) {
    case "all":
      return requested;
    case "region": {
      const code = requested ?? scope.regionCode;
      if (!regionContains(scope.regionCode, code)) throw notFound("region");
      return code;
    }
    case "community": {
      const code = requested ?? scope.regionCode;
      if (code !== scope.regionCode) throw notFound("region");
      return code;
    }
    case "social_worker":
      throw new AppError("FORBIDDEN", "tallies are for departments, coordinators and admins");
  }
}

/** The region a caller's pages start from: its own, or the home province for an admin. */
export function homeRegionOf(scope: Scope, homeProvince: string): string {
  if (scope.kind === "region" || scope.kind === "community") return scope.regionCode;
  return homeProvince;
}

/** The community a coordinator writes for (always its own); an admin must name one. */
export function communityForWrite(principal: Principal, requested: string | undefined): string {
  const scope = principal.scope;
  if (scope.kind === "community") {
    if (requested && requested !== scope.communityId) throw notFound("community");
    return scope.communityId;
  }
  if (scope.kind !== "all") throw notFound("community");
  if (!requested) {
    throw new AppError("VALIDATION_FAILED", "name the community", {
      issues: [{ path: "communityId", message: "required for an admin" }],
    });
  }
  return requested;
}

/** The social worker a request is about: a social worker only ever themself, an admin names one. */
export function socialWorkerFor(principal: Principal, requested: string | undefined): string {
  const scope = principal.scope;
  if (scope.kind === "social_worker") {
    if (requested && requested !== scope.socialWorkerId) throw notFound("social worker");
    return scope.socialWorkerId;
  }
  if (scope.kind !== "all") throw notFound("social worker");
  if (!requested) {
    throw new AppError("VALIDATION_FAILED", "name the social worker", {
      issues: [{ path: "socialWorkerId", message: "required for an admin" }],
    });
  }
  return requested;
}
