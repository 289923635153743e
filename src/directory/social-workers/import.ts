import * as v from "valibot";
import {
  certificateLevelLabels,
  certificateLevels,
  serviceTypeLabels,
  serviceTypes,
} from "../../domain/vocabulary";
import { CountyCode, Name } from "../../lib/schemas";
import { labelledList, labelledPicklist } from "../csv-import";
import type { ImportSpec } from "../import";
import type { CreateSocialWorkerInput } from "./schemas";

const Row = v.object({
  name: Name,
  certificate_level: labelledPicklist(
    certificateLevels,
    certificateLevelLabels,
    "certificate level",
  ),
  skills: v.optional(labelledList(serviceTypes, serviceTypeLabels, "service type"), ""),
  home_county_code: CountyCode,
  organisation: v.optional(v.pipe(v.string(), v.maxLength(100))),
  weekly_capacity: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be a whole number"),
      v.toNumber(),
      v.minValue(1),
      v.maxValue(20),
    ),
    "3",
  ),
});

/** Social-worker CSV: English keys or the Chinese column names a department's sheet uses. */
export const socialWorkerImport: ImportSpec<v.InferOutput<typeof Row>, CreateSocialWorkerInput> = {
  columns: {
    name: ["姓名"],
    certificate_level: ["证书等级", "certificateLevel"],
    skills: ["技能", "服务领域"],
    home_county_code: ["所在县区代码", "homeCountyCode", "county_code"],
    organisation: ["所属机构", "organisation_name"],
    weekly_capacity: ["每周可服务场次", "weeklyCapacity"],
  },
  schema: Row,
  countyField: "home_county_code",
  toInsert: (row, organisationId) => ({
    name: row.name,
    certificateLevel: row.certificate_level,
    skills: row.skills,
    homeCountyCode: row.home_county_code,
    organisationId,
    weeklyCapacity: row.weekly_capacity,
  }),
};
