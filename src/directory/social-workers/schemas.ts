import * as v from "valibot";
import { paginationQuery } from "../../lib/pagination";
import {
  BooleanQuery,
  CertificateLevel,
  CountyCode,
  Name,
  RegionCode,
  ServiceType,
  Skills,
  Uuid,
} from "../../lib/schemas";

const WeeklyCapacity = v.pipe(
  v.number(),
  v.integer("must be a whole number"),
  v.minValue(1),
  v.maxValue(20),
);

export const CreateSocialWorker = v.strictObject({
  name: Name,
  certificateLevel: CertificateLevel,
  skills: v.optional(Skills, []),
  homeCountyCode: CountyCode,
  organisationId: v.optional(v.nullable(Uuid)),
  weeklyCapacity: v.optional(WeeklyCapacity, 3),
});
export type CreateSocialWorkerInput = v.InferOutput<typeof CreateSocialWorker>;

export const UpdateSocialWorker = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    certificateLevel: v.optional(CertificateLevel),
    skills: v.optional(Skills),
    homeCountyCode: v.optional(CountyCode),
    organisationId: v.optional(v.nullable(Uuid)),
    weeklyCapacity: v.optional(WeeklyCapacity),
    active: v.optional(v.boolean()),
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export const ListSocialWorkersQuery = v.strictObject({
  region: v.optional(RegionCode),
  certificateLevel: v.optional(CertificateLevel),
  skill: v.optional(ServiceType),
  organisationId: v.optional(Uuid),
  active: BooleanQuery,
  ...paginationQuery,
});
