import { and, asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Scope } from "../../auth/principal";
import { regionScope } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { organisations, regions } from "../../db/schema";
import type { County } from "./plan";

const city = alias(regions, "city");

/** The counties, with their city's name; only those inside `scope` when one is given. */
export function countiesOf(db: Queryable, scope?: Scope): Promise<County[]> {
  return db
    .select({ code: regions.code, name: regions.name, cityName: city.name })
    .from(regions)
    .innerJoin(city, eq(city.code, regions.parentCode))
    .where(and(eq(regions.level, "county"), scope ? regionScope(scope, regions.code) : undefined))
    .orderBy(asc(regions.code));
}

/** Organisation name → id, for the names a file gives. */
export async function organisationsNamed(
  db: Queryable,
  names: string[],
): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.name, [...new Set(names)]));
  return new Map(rows.map((row) => [row.name, row.id]));
}

/** Active organisations' names, for a template's drop-down list. */
export async function organisationNames(db: Queryable): Promise<string[]> {
  const rows = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.active, true))
    .orderBy(asc(organisations.name));
  return rows.map((row) => row.name);
}

/** Organisation id → name, to show a change of organisation by name. */
export async function organisationNamesById(
  db: Queryable,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.name]));
}
