import { inArray } from "drizzle-orm";
import * as v from "valibot";
import type { Queryable } from "../../db/client";
import { organisations } from "../../db/schema";
import {
  certificateLevelLabels,
  certificateLevels,
  serviceTypeLabels,
  serviceTypes,
} from "../../domain/vocabulary";
import { AppError, type ErrorIssue } from "../../lib/errors";
import { CountyCode, Name } from "../../lib/schemas";
import { labelledList, labelledPicklist, parseImport } from "../csv-import";
import { existingCounties } from "../references";
import type { CreateSocialWorkerInput } from "./schemas";

/** Accepted headers: the English key or the Chinese column name a department's sheet uses. */
export const socialWorkerColumns = {
  name: ["姓名"],
  certificate_level: ["证书等级", "certificateLevel"],
  skills: ["技能", "服务领域"],
  home_county_code: ["所在县区代码", "homeCountyCode", "county_code"],
  organisation: ["所属机构", "organisation_name"],
  weekly_capacity: ["每周可服务场次", "weeklyCapacity"],
} as const;

const Row = v.object({
  name: Name,
  certificate_level: labelledPicklist(certificateLevels, certificateLevelLabels, "certificate level"),
  skills: v.optional(labelledList(serviceTypes, serviceTypeLabels, "service type"), ""),
  home_county_code: CountyCode,
  organisation: v.optional(v.pipe(v.string(), v.maxLength(100))),
  weekly_capacity: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, "must be a whole number"), v.toNumber(), v.minValue(1), v.maxValue(20)),
    "3",
  ),
});

/**
 * Validates a social-worker CSV completely (cells, then counties and organisations by name) and
 * returns rows ready to insert, or throws a 400 listing every problem by row and column.
 */
export async function prepareSocialWorkerImport(db: Queryable, csv: string): Promise<CreateSocialWorkerInput[]> {
  const { rows, issues } = parseImport(csv, socialWorkerColumns, Row);
  if (issues.length === 0) {
    const counties = await existingCounties(db, rows.map((row) => row.home_county_code));
    const names = [...new Set(rows.map((row) => row.organisation).filter((name): name is string => !!name))];
    const orgs = names.length
      ? await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.name, names))
      : [];
    const orgByName = new Map(orgs.map((org) => [org.name, org.id]));
    rows.forEach((row, index) => {
      const rowNumber = index + 2;
      if (!counties.has(row.home_county_code)) {
        issues.push({ row: rowNumber, path: "home_county_code", message: "no county-level region has this code" });
      }
      if (row.organisation && !orgByName.has(row.organisation)) {
        issues.push({ row: rowNumber, path: "organisation", message: "no organisation has this name" });
      }
    });
    if (issues.length === 0) {
      return rows.map((row) => ({
        name: row.name,
        certificateLevel: row.certificate_level,
        skills: row.skills,
        homeCountyCode: row.home_county_code,
        organisationId: row.organisation ? orgByName.get(row.organisation) : null,
        weeklyCapacity: row.weekly_capacity,
      }));
    }
  }
  throw importFailed(issues);
}

/** The 400 for a rejected import: nothing was stored, here is every problem. */
export function importFailed(issues: ErrorIssue[]): AppError {
  return new AppError("VALIDATION_FAILED", `the import has ${issues.length} problem(s); nothing was stored`, {
    issues,
  });
}
