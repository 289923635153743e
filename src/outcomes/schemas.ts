import * as v from "valibot";
import { MONTH_PATTERN } from "../domain/months";
import {
  outcomeNoteKinds,
  outcomeStatuses,
  serviceTypes,
  targetGroups,
} from "../domain/vocabulary";
import { Timestamp } from "../lib/responses";
import { Reason, RegionCode, Uuid } from "../lib/schemas";

const count = (max: number) =>
  v.pipe(
    v.number("must be a number"),
    v.integer("must be a whole number"),
    v.minValue(0),
    v.maxValue(max),
  );

/** Hours to the half hour: 2.5 is fine, 2.25 is not. */
const Hours = v.pipe(
  v.number("must be a number"),
  v.minValue(0),
  v.maxValue(240_000),
  v.check((hours) => Number.isInteger(hours * 2), "must be in half hours, e.g. 2 or 2.5"),
);

/** `{ "elderly": 40, "children": 12 }`: person-times (服务人次) per target group. */
const PersonTimes = v.pipe(
  v.record(
    v.picklist(targetGroups, `target groups are: ${targetGroups.join(", ")}`),
    count(1_000_000),
  ),
  v.check(
    (groups) => Object.values(groups).some((n) => (n ?? 0) > 0),
    "give the person-times served for at least one target group",
  ),
);

const Note = v.strictObject({
  kind: v.picklist(outcomeNoteKinds, `must be one of: ${outcomeNoteKinds.join(", ")}`),
  count: count(100_000),
  text: v.optional(
    v.pipe(v.string(), v.trim(), v.maxLength(500, "must be at most 500 characters")),
  ),
});

export const RecordOutcome = v.strictObject({
  personTimes: PersonTimes,
  /** Unique people served, when the community knows it. */
  peopleServed: v.optional(v.nullable(count(1_000_000))),
  /** Directory volunteers who attended (checked-in sign-ups are added by themselves). */
  volunteerIds: v.optional(
    v.pipe(
      v.array(Uuid),
      v.maxLength(500),
      v.check((ids) => new Set(ids).size === ids.length, "must not repeat a volunteer"),
    ),
    [],
  ),
  /** Head count, from check-in and the ticked volunteers unless given (walk-ins). */
  volunteersAttended: v.optional(count(10_000)),
  /** Defaults to attendance × the event's length. */
  volunteerHours: v.optional(Hours),
  notes: v.optional(v.pipe(v.array(Note), v.maxLength(20)), []),
  remarks: v.optional(
    v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(2000, "must be at most 2000 characters"))),
  ),
  /** Required when an admin changes a signed-off outcome. */
  reason: v.optional(Reason),
  /**
   * Yes, people were served with no volunteer attending, or with no volunteer hours: required
   * then (409 without it), so that "served by no one" is a statement, not a slip.
   */
  confirmNoVolunteers: v.optional(v.boolean("must be true or false"), false),
});
export type RecordOutcomeInput = v.InferOutput<typeof RecordOutcome>;

export const RecordAdjustment = v.pipe(
  v.strictObject({
    personTimes: v.optional(
      v.record(
        v.picklist(targetGroups, `target groups are: ${targetGroups.join(", ")}`),
        v.pipe(
          v.number(),
          v.integer("must be a whole number"),
          v.minValue(-1_000_000),
          v.maxValue(1_000_000),
        ),
      ),
      {},
    ),
    volunteersAttendedDelta: v.optional(
      v.pipe(
        v.number(),
        v.integer("must be a whole number"),
        v.minValue(-10_000),
        v.maxValue(10_000),
      ),
      0,
    ),
    volunteerHoursDelta: v.optional(
      v.pipe(
        v.number(),
        v.minValue(-240_000),
        v.maxValue(240_000),
        v.check((hours) => Number.isInteger(hours * 2), "must be in half hours"),
      ),
      0,
    ),
    reason: Reason,
  }),
  v.check(
    (a) =>
      a.volunteersAttendedDelta !== 0 ||
      a.volunteerHoursDelta !== 0 ||
      Object.values(a.personTimes).some((n) => n !== 0),
    "an adjustment must change at least one figure",
  ),
);
export type RecordAdjustmentInput = v.InferOutput<typeof RecordAdjustment>;

export const Month = v.pipe(
  v.string(),
  v.regex(MONTH_PATTERN, "must be a month written YYYY-MM, e.g. 2025-03"),
);

export const LockPeriod = v.strictObject({
  region: RegionCode,
  month: Month,
  /** Close although some outcomes still wait for sign-off: they are left out, and listed. */
  excludeUnsigned: v.optional(v.boolean("must be true or false"), false),
});

export const ListPeriodLocksQuery = v.strictObject({
  region: v.optional(RegionCode),
  from: v.optional(Month),
  to: v.optional(Month),
});

export const PeriodLockParam = v.object({ region: RegionCode, month: Month });

const PersonTimesOut = v.partial(
  v.object(
    Object.fromEntries(targetGroups.map((g) => [g, v.number()])) as Record<
      (typeof targetGroups)[number],
      v.NumberSchema<undefined>
    >,
  ),
);

/** An event's outcome as the API shows it: attending volunteers counted, never listed. */
export const OutcomeOut = v.object({
  eventId: v.string(),
  communityId: v.string(),
  regionCode: v.string(),
  serviceType: v.picklist(serviceTypes),
  month: v.string(),
  status: v.picklist(outcomeStatuses),
  personTimes: PersonTimesOut,
  personTimesTotal: v.number(),
  peopleServed: v.nullable(v.number()),
  volunteersAttended: v.number(),
  volunteersIdentified: v.number(),
  /** Attending volunteers nobody identified: counted in attendance and hours, in no distinct count. */
  volunteersNotIdentified: v.number(),
  volunteerHours: v.number(),
  notes: v.array(v.object({ kind: v.picklist(outcomeNoteKinds), count: v.number() })),
  remarks: v.nullable(v.string()),
  signedOffAt: v.nullable(Timestamp),
  revision: v.number(),
  periodClosed: v.boolean(),
  adjustments: v.array(
    v.object({
      id: v.string(),
      month: v.string(),
      personTimes: PersonTimesOut,
      volunteersAttendedDelta: v.number(),
      volunteerHoursDelta: v.number(),
      reason: v.string(),
      createdAt: Timestamp,
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** An outcome named by its event. */
const OutcomeRefOut = v.object({ eventId: v.string(), title: v.string() });

/** A closed month of a region, with the unsigned outcomes it left out of its figures. */
export const PeriodLockOut = v.object({
  region: v.string(),
  month: v.string(),
  lockedAt: Timestamp,
  excluded: v.number(),
  excludedOutcomes: v.array(OutcomeRefOut),
});

const Limit = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, "limit must be a whole number"),
    v.toNumber(),
    v.minValue(1),
    v.maxValue(500),
  ),
  "100",
);

const Year = v.pipe(
  v.string(),
  v.regex(/^\d{4}$/, "must be a year, e.g. 2025"),
  v.transform(Number),
  v.minValue(2020),
  v.maxValue(2100),
);

/** `GET /outcomes`: a region in scope, months, a status, and the cursor of the page before. */
export const ListOutcomeRecordsQuery = v.strictObject({
  region: v.optional(RegionCode),
  from: v.optional(Month),
  to: v.optional(Month),
  status: v.optional(v.picklist(outcomeStatuses, `must be one of: ${outcomeStatuses.join(", ")}`)),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  limit: Limit,
});

/** `GET /outcomes/export`: one region-year in one response. */
export const OutcomeExportQuery = v.strictObject({
  region: v.optional(RegionCode),
  year: Year,
  status: v.optional(v.picklist(outcomeStatuses, `must be one of: ${outcomeStatuses.join(", ")}`)),
  format: v.optional(
    v.picklist(["ndjson", "csv", "xlsx"], "must be ndjson, csv or xlsx"),
    "ndjson",
  ),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});

/** One outcome in bulk: everything a published figure is computed from, volunteers as pseudonyms. */
export const OutcomeRecordOut = v.object({
  eventId: v.string(),
  communityId: v.string(),
  regionCode: v.string(),
  serviceType: v.picklist(serviceTypes),
  leadSocialWorkerId: v.string(),
  month: v.string(),
  status: v.picklist(outcomeStatuses),
  signedOffAt: v.nullable(Timestamp),
  personTimes: PersonTimesOut,
  peopleServed: v.nullable(v.number()),
  volunteersAttended: v.number(),
  volunteerHours: v.number(),
  /** Fields withheld by small-count suppression, e.g. `personTimes.elderly`, `peopleServed`. */
  suppressed: v.optional(v.array(v.string())),
  volunteers: v.array(v.string()),
  adjustments: v.array(
    v.object({
      id: v.string(),
      month: v.string(),
      personTimes: PersonTimesOut,
      volunteersAttendedDelta: v.number(),
      volunteerHoursDelta: v.number(),
      reason: v.string(),
      createdAt: Timestamp,
      suppressed: v.optional(v.array(v.string())),
    }),
  ),
  revision: v.number(),
});

export const OutcomeRecordPage = v.object({
  data: v.array(OutcomeRecordOut),
  page: v.object({ limit: v.number(), nextCursor: v.nullable(v.string()) }),
});
