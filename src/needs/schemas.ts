import * as v from "valibot";
import { certificateLevels, needStatuses, serviceTypes, targetGroups } from "../domain/vocabulary";
import { eventDetailFields } from "../events/schemas";
import { paginationQuery } from "../lib/pagination";
import { Page, Timestamp } from "../lib/responses";
import {
  CertificateLevel,
  Instant,
  OptionalText,
  PeriodQuery,
  RegionCode,
  ServiceType,
  Skills,
  Uuid,
} from "../lib/schemas";

const TimeWindow = v.pipe(
  v.strictObject({ start: Instant, end: Instant }),
  v.check((w) => w.start < w.end, "a window must end after it starts"),
);

export const TargetGroups = v.pipe(
  v.array(v.picklist(targetGroups, `must be one of: ${targetGroups.join(", ")}`)),
  v.minLength(1, "name at least one target group"),
  v.check((groups) => new Set(groups).size === groups.length, "must not repeat a group"),
);

export const needFields = {
  serviceType: ServiceType,
  targetGroups: TargetGroups,
  expectedPeople: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
  windows: v.pipe(
    v.array(TimeWindow),
    v.minLength(1, "give at least one window of acceptable start times"),
    v.maxLength(20),
  ),
  durationMinutes: v.pipe(v.number(), v.integer(), v.minValue(15), v.maxValue(720)),
  volunteersNeeded: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(500)),
  requiredSkills: v.optional(Skills, []),
  minCertificateLevel: v.optional(CertificateLevel, "junior"),
  notes: OptionalText(2000),
};

/** A coordinator posts for their own community; an admin names the community. */
export const CreateNeed = v.strictObject({ communityId: v.optional(Uuid), ...needFields });
export type CreateNeedInput = v.InferOutput<typeof CreateNeed>;

export const UpdateNeed = v.pipe(
  v.strictObject({
    serviceType: v.optional(needFields.serviceType),
    targetGroups: v.optional(needFields.targetGroups),
    expectedPeople: v.optional(needFields.expectedPeople),
    windows: v.optional(needFields.windows),
    durationMinutes: v.optional(needFields.durationMinutes),
    volunteersNeeded: v.optional(needFields.volunteersNeeded),
    requiredSkills: v.optional(Skills),
    minCertificateLevel: v.optional(CertificateLevel),
    notes: needFields.notes,
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export type UpdateNeedInput = v.InferOutput<typeof UpdateNeed>;

export const ListNeedsQuery = v.strictObject({
  region: v.optional(RegionCode),
  communityId: v.optional(Uuid),
  status: v.optional(v.picklist(needStatuses)),
  serviceType: v.optional(ServiceType),
  ...PeriodQuery,
  ...paginationQuery,
});

export const AcceptCandidate = v.strictObject({
  socialWorkerId: Uuid,
  teamId: Uuid,
  start: Instant,
  capacity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  ...eventDetailFields,
});

/** A need as the API shows it. */
export const NeedOut = v.object({
  id: v.string(),
  communityId: v.string(),
  communityName: v.string(),
  communityCode: v.string(),
  serviceType: v.picklist(serviceTypes),
  targetGroups: v.array(v.picklist(targetGroups)),
  expectedPeople: v.number(),
  windows: v.array(v.object({ start: Timestamp, end: Timestamp })),
  durationMinutes: v.number(),
  volunteersNeeded: v.number(),
  requiredSkills: v.array(v.picklist(serviceTypes)),
  minCertificateLevel: v.picklist(certificateLevels),
  notes: v.nullable(v.string()),
  status: v.picklist(needStatuses),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const NeedPage = Page(NeedOut);

const scoreParts = [
  "skillFit",
  "certificate",
  "distance",
  "availability",
  "load",
  "pastWork",
] as const;
const exclusionReasons = [
  "worker_inactive",
  "declined_this_need",
  "team_inactive",
  "certificate_below_minimum",
  "no_matching_skill",
  "team_too_small",
  "worker_at_capacity",
  "no_common_free_slot",
] as const;

/** A candidate (social worker, team, start) with its score broken into named parts. */
export const CandidateOut = v.object({
  rank: v.number(),
  needId: v.string(),
  socialWorkerId: v.string(),
  socialWorkerName: v.string(),
  socialWorkerLevel: v.picklist(certificateLevels),
  teamId: v.string(),
  teamName: v.string(),
  start: Timestamp,
  end: Timestamp,
  score: v.number(),
  parts: v.object(
    Object.fromEntries(scoreParts.map((part) => [part, v.number()])) as Record<
      (typeof scoreParts)[number],
      v.NumberSchema<undefined>
    >,
  ),
});

/** The ranked candidates of a need, and how many pairs each hard filter excluded. */
export const CandidatesOut = v.object({
  needId: v.string(),
  considered: v.number(),
  excluded: v.partial(
    v.object(
      Object.fromEntries(exclusionReasons.map((r) => [r, v.number()])) as Record<
        (typeof exclusionReasons)[number],
        v.NumberSchema<undefined>
      >,
    ),
  ),
  candidates: v.array(CandidateOut),
});
