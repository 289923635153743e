import * as v from "valibot";
import { serviceTypeLabels, serviceTypes } from "../../domain/vocabulary";
import { CountyCode, Name } from "../../lib/schemas";
import { labelledList } from "../csv-import";
import type { ImportSpec } from "../import";
import type { CreateVolunteerTeamInput } from "./schemas";

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

/** Volunteer-team CSV: English keys or the Chinese column names a department's sheet uses. */
export const volunteerTeamImport: ImportSpec<
  v.InferOutput<typeof Row>,
  CreateVolunteerTeamInput
> = {
  columns: {
    name: ["队伍名称", "team_name"],
    organisation: ["所属组织", "organisation_name"],
    skills: ["技能", "服务领域"],
    county_code: ["所在县区代码", "countyCode"],
    size: ["人数", "队伍人数"],
    leader_name: ["队长", "leaderName"],
  },
  schema: Row,
  countyField: "county_code",
  toInsert: (row, organisationId) => ({
    name: row.name,
    organisationId,
    skills: row.skills,
    countyCode: row.county_code,
    size: row.size,
    leaderName: row.leader_name ?? null,
  }),
};
