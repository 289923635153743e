import { inArray } from "drizzle-orm";
import * as v from "valibot";
import type { Queryable } from "../../db/client";
import { organisations } from "../../db/schema";
import { serviceTypeLabels, serviceTypes } from "../../domain/vocabulary";
import { CountyCode, Name } from "../../lib/schemas";
import { labelledList, parseImport } from "../csv-import";
import { existingCounties } from "../references";
import { importFailed } from "../social-workers/import";
import type { CreateVolunteerTeamInput } from "./schemas";

/** Accepted headers: the English key or the Chinese column name a department's sheet uses. */
export const volunteerTeamImportColumns = {
  name: ["队伍名称", "team_name"],
  organisation: ["所属组织", "organisation_name"],
  skills: ["技能", "服务领域"],
  county_code: ["所在县区代码", "countyCode"],
  size: ["人数", "队伍人数"],
  leader_name: ["队长", "leaderName"],
} as const;

const Row = v.object({
  name: Name,
  organisation: v.optional(v.pipe(v.string(), v.maxLength(100))),
  skills: v.optional(labelledList(serviceTypes, serviceTypeLabels, "service type"), ""),
  county_code: CountyCode,
  size: v.pipe(
    v.string(),
    v.regex(/^\d+$/, "must be a whole number"),
    v.toNumber(),
    v.minValue(1),
    v.maxValue(10_000),
  ),
  leader_name: v.optional(Name),
});

/**
 * Validates a volunteer-team CSV completely (cells, then counties and organisations by name) and
 * returns rows ready to insert, or throws a 400 listing every problem by row and column.
 */
export async function prepareVolunteerTeamImport(
  db: Queryable,
  csv: string,
): Promise<CreateVolunteerTeamInput[]> {
  const { rows, issues } = parseImport(csv, volunteerTeamImportColumns, Row);
  if (issues.length === 0) {
    const counties = await existingCounties(
      db,
      rows.map((row) => row.county_code),
    );
    const names = [
      ...new Set(rows.map((row) => row.organisation).filter((name): name is string => !!name)),
    ];
    const orgs = names.length
      ? await db
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.name, names))
      : [];
    const orgByName = new Map(orgs.map((org) => [org.name, org.id]));
    rows.forEach((row, index) => {
      const rowNumber = index + 2;
      if (!counties.has(row.county_code)) {
        issues.push({
          row: rowNumber,
          path: "county_code",
          message: "no county-level region has this code",
        });
      }
      if (row.organisation && !orgByName.has(row.organisation)) {
        issues.push({ row: rowNumber, path: "organisation", message: "no organisation has this name" });
      }
    });
    if (issues.length === 0) {
      return rows.map((row) => ({
        name: row.name,
        organisationId: row.organisation ? orgByName.get(row.organisation) : null,
        skills: row.skills,
        countyCode: row.county_code,
        size: row.size,
        leaderName: row.leader_name ?? null,
      }));
    }
  }
  throw importFailed(issues);
}
