import * as v from "valibot";
import { certificateLevels, serviceTypes } from "../../domain/vocabulary";
import { paginationQuery } from "../../lib/pagination";
import { Timestamp } from "../../lib/responses";
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

/** 证书编号: letters, digits and dashes as printed on the certificate (the import's key). */
const CertificateNumber = v.pipe(
  v.string(),
  v.regex(/^[0-9A-Z][0-9A-Z-]{3,39}$/, "4 to 40 capital letters, digits or dashes"),
);

export const CreateSocialWorker = v.strictObject({
  name: Name,
  certificateNumber: v.optional(v.nullable(CertificateNumber)),
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
    certificateNumber: v.optional(v.nullable(CertificateNumber)),
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

/** A social worker as the API shows it. */
export const SocialWorkerOut = v.object({
  id: v.string(),
  name: v.string(),
  certificateNumber: v.nullable(v.string()),
  certificateLevel: v.picklist(certificateLevels),
  skills: v.array(v.picklist(serviceTypes)),
  homeCountyCode: v.string(),
  organisationId: v.nullable(v.string()),
  weeklyCapacity: v.number(),
  active: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
