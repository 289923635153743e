import * as v from "valibot";
import { serviceTypes } from "../../domain/vocabulary";
import { paginationQuery } from "../../lib/pagination";
import { Timestamp } from "../../lib/responses";
import {
  BooleanQuery,
  CountyCode,
  Name,
  RegionCode,
  ServiceType,
  Skills,
  Uuid,
} from "../../lib/schemas";

const TeamSize = v.pipe(
  v.number(),
  v.integer("must be a whole number"),
  v.minValue(1),
  v.maxValue(10_000),
);

export const CreateVolunteerTeam = v.strictObject({
  name: Name,
  organisationId: v.optional(v.nullable(Uuid)),
  skills: v.optional(Skills, []),
  countyCode: CountyCode,
  size: TeamSize,
  leaderName: v.optional(v.nullable(Name)),
});
export type CreateVolunteerTeamInput = v.InferOutput<typeof CreateVolunteerTeam>;

export const UpdateVolunteerTeam = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    organisationId: v.optional(v.nullable(Uuid)),
    skills: v.optional(Skills),
    countyCode: v.optional(CountyCode),
    size: v.optional(TeamSize),
    leaderName: v.optional(v.nullable(Name)),
    active: v.optional(v.boolean()),
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export const ListVolunteerTeamsQuery = v.strictObject({
  region: v.optional(RegionCode),
  organisationId: v.optional(Uuid),
  skill: v.optional(ServiceType),
  active: BooleanQuery,
  ...paginationQuery,
});

/** A volunteer team as the API shows it. */
export const VolunteerTeamOut = v.object({
  id: v.string(),
  name: v.string(),
  organisationId: v.nullable(v.string()),
  skills: v.array(v.picklist(serviceTypes)),
  countyCode: v.string(),
  size: v.number(),
  leaderName: v.nullable(v.string()),
  active: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
