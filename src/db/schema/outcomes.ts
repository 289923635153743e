import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { OutcomeNoteKind } from "../../domain/vocabulary";
import { accounts } from "./accounts";
import { communities, socialWorkers } from "./directory";
import { outcomeStatus, serviceType, targetGroup } from "./enums";
import { events } from "./scheduling";

/** A typed, countable note on an outcome (e.g. 3 disputes mediated). */
export interface OutcomeNote {
  kind: OutcomeNoteKind;
  count: number;
  text?: string;
}

/** Hours are kept to the half hour; numeric, so that sums are exact. */
const hours = () => numeric({ precision: 12, scale: 1, mode: "number" });

/**
 * 服务记录: what one event achieved. Recorded by the coordinator or the lead social worker, signed
 * off by the lead. communityId, regionCode, serviceType, leadSocialWorkerId and month are copies of
 * the event's (month = its start's calendar month in Asia/Shanghai), set by a trigger from the
 * event itself (migration 0009), so that the rollups below can be kept without joins. Outcomes are
 * never deleted; in a closed month (period_locks) they cannot change at all, by trigger.
 */
export const outcomes = pgTable(
  "outcomes",
  {
    eventId: uuid()
      .primaryKey()
      .references(() => events.id),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    regionCode: varchar({ length: 12 }).notNull(),
    serviceType: serviceType().notNull(),
    leadSocialWorkerId: uuid()
      .notNull()
      .references(() => socialWorkers.id),
    month: date({ mode: "string" }).notNull(),
    /** Unique people served, where the community knows it; person-times are per target group. */
    peopleServed: integer(),
    volunteersAttended: integer().notNull(),
    volunteerHours: hours().notNull(),
    notes: jsonb().$type<OutcomeNote[]>().notNull().default(sql`'[]'::jsonb`),
    remarks: text(),
    status: outcomeStatus().notNull().default("recorded"),
    recordedBy: uuid().references(() => accounts.id),
    signedOffBy: uuid().references(() => accounts.id),
    signedOffAt: timestamp({ withTimezone: true }),
    /** Grows with every change, so a client can tell it is looking at the latest version. */
    revision: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outcomes_region_month_idx").on(t.regionCode.op("varchar_pattern_ops"), t.month),
    index("outcomes_month_idx").on(t.month),
    // Tallies say how many outcomes of a region still wait for sign-off; few do, so it is small.
    index("outcomes_awaiting_sign_off_idx")
      .on(t.regionCode.op("varchar_pattern_ops"), t.month)
      .where(sql`${t.status} = 'recorded'`),
    check("outcomes_people_served_range", sql`${t.peopleServed} BETWEEN 0 AND 1000000`),
    check("outcomes_volunteers_range", sql`${t.volunteersAttended} BETWEEN 0 AND 10000`),
    // Nobody volunteers more than a day per event; finer rules are checked by the API.
    check(
      "outcomes_hours_range",
      sql`${t.volunteerHours} >= 0 AND ${t.volunteerHours} <= ${t.volunteersAttended} * 24`,
    ),
    check(
      "outcomes_signed_off_at_matches_status",
      sql`(${t.status} = 'signed_off') = (${t.signedOffAt} IS NOT NULL)`,
    ),
    check("outcomes_month_is_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

/** Person-times served (服务人次) per target group of one outcome. */
export const outcomeGroups = pgTable(
  "outcome_groups",
  {
    eventId: uuid()
      .notNull()
      .references(() => outcomes.eventId),
    targetGroup: targetGroup().notNull(),
    personTimes: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.targetGroup] }),
    check("outcome_groups_person_times_range", sql`${t.personTimes} BETWEEN 0 AND 1000000`),
  ],
);

/**
 * The volunteers known to have attended an outcome's event, by the keyed hash of their mobile
 * (a checked-in sign-up, or a directory volunteer the recorder ticked), never the number itself.
 * Distinct-volunteer tallies count these keys.
 */
export const outcomeVolunteers = pgTable(
  "outcome_volunteers",
  {
    eventId: uuid()
      .notNull()
      .references(() => outcomes.eventId),
    volunteerKey: varchar({ length: 64 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.volunteerKey] })],
);

/**
 * A correction to a signed-off outcome whose month is closed: booked in the (open) month it is
 * made, so closed figures never change, and shown as an adjustment. Append-only, by trigger.
 */
export const outcomeAdjustments = pgTable(
  "outcome_adjustments",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => outcomes.eventId),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    regionCode: varchar({ length: 12 }).notNull(),
    serviceType: serviceType().notNull(),
    /** The month the adjustment is booked in (Asia/Shanghai), not the event's month. */
    month: date({ mode: "string" }).notNull(),
    volunteersAttendedDelta: integer().notNull().default(0),
    volunteerHoursDelta: hours().notNull().default(0),
    reason: text().notNull(),
    createdBy: uuid().references(() => accounts.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outcome_adjustments_event_id_idx").on(t.eventId),
    check("outcome_adjustments_month_is_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

/** Person-times corrections per target group of one adjustment. */
export const outcomeAdjustmentGroups = pgTable(
  "outcome_adjustment_groups",
  {
    adjustmentId: uuid()
      .notNull()
      .references(() => outcomeAdjustments.id),
    targetGroup: targetGroup().notNull(),
    personTimesDelta: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.adjustmentId, t.targetGroup] })],
);

/**
 * 月度关账: a department closes a month for its region; outcomes of events in that month in that
 * region can then not be recorded, changed or signed off (trigger, migration 0009).
 */
export const periodLocks = pgTable(
  "period_locks",
  {
    regionCode: varchar({ length: 12 }).notNull(),
    /** The region code without its trailing zero pairs: what the covered codes start with. */
    regionPrefix: varchar({ length: 12 }).notNull(),
    month: date({ mode: "string" }).notNull(),
    lockedBy: uuid().references(() => accounts.id),
    lockedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.month] }),
    index("period_locks_month_idx").on(t.month),
    check("period_locks_month_is_first_day", sql`extract(day from ${t.month}) = 1`),
    check("period_locks_prefix_of_code", sql`starts_with(${t.regionCode}, ${t.regionPrefix})`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Rollups: kept by triggers in the same transaction as every outcome write (migration 0009), so
// a tally reads a few thousand pre-summed rows instead of scanning every outcome. Only signed-off
// outcomes count. Community-month-service type grain: every grouping the API offers (month,
// service type, target group, child region) is a sum over these rows.
// ---------------------------------------------------------------------------------------------

const rollupKey = () => ({
  communityId: uuid().notNull(),
  regionCode: varchar({ length: 12 }).notNull(),
  month: date({ mode: "string" }).notNull(),
  serviceType: serviceType().notNull(),
});

/** Additive measures; `adjustment` rows hold corrections booked in their month. */
export const tallyRollup = pgTable(
  "tally_rollup",
  {
    ...rollupKey(),
    adjustment: boolean().notNull(),
    events: integer().notNull().default(0),
    personTimes: bigint({ mode: "number" }).notNull().default(0),
    volunteersAttended: bigint({ mode: "number" }).notNull().default(0),
    volunteerHours: hours().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.month, t.serviceType, t.adjustment] }),
    index("tally_rollup_region_month_idx").on(t.regionCode.op("varchar_pattern_ops"), t.month),
    index("tally_rollup_month_idx").on(t.month),
  ],
);

/** Person-times (and events serving the group) per target group. */
export const tallyGroupRollup = pgTable(
  "tally_group_rollup",
  {
    ...rollupKey(),
    targetGroup: targetGroup().notNull(),
    adjustment: boolean().notNull(),
    events: integer().notNull().default(0),
    personTimes: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.communityId, t.month, t.serviceType, t.targetGroup, t.adjustment],
    }),
    index("tally_group_rollup_region_month_idx").on(
      t.regionCode.op("varchar_pattern_ops"),
      t.month,
    ),
    index("tally_group_rollup_month_idx").on(t.month),
  ],
);

/** Which social workers led signed-off events, per community, month and service type. */
export const tallySocialWorkers = pgTable(
  "tally_social_workers",
  {
    ...rollupKey(),
    socialWorkerId: uuid().notNull(),
    events: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.month, t.serviceType, t.socialWorkerId] }),
    index("tally_social_workers_region_month_idx").on(
      t.regionCode.op("varchar_pattern_ops"),
      t.month,
    ),
    index("tally_social_workers_month_idx").on(t.month),
  ],
);

/** Which volunteers (by key) attended signed-off events, per community, month and service type. */
export const tallyVolunteers = pgTable(
  "tally_volunteers",
  {
    ...rollupKey(),
    volunteerKey: varchar({ length: 64 }).notNull(),
    events: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.month, t.serviceType, t.volunteerKey] }),
    index("tally_volunteers_region_month_idx").on(t.regionCode.op("varchar_pattern_ops"), t.month),
    index("tally_volunteers_month_idx").on(t.month),
  ],
);

// ---------------------------------------------------------------------------------------------
// Coarse rollups (migration 0013), so that tallies over whole counties, cities or provinces do
// not read the fine rows: additive measures per county and month, and exact distinct counts
// (volunteers, social workers, communities) per region and period. Both are kept by triggers on
// the fine rollups above; tallies split by service type or target group, or below the county,
// still read the fine rows.
// ---------------------------------------------------------------------------------------------

/** The additive measures of tally_rollup summed per county and month. */
export const tallyArea = pgTable(
  "tally_area",
  {
    countyCode: varchar({ length: 6 }).notNull(),
    month: date({ mode: "string" }).notNull(),
    adjustment: boolean().notNull(),
    events: integer().notNull().default(0),
    personTimes: bigint({ mode: "number" }).notNull().default(0),
    volunteersAttended: bigint({ mode: "number" }).notNull().default(0),
    volunteerHours: numeric({ precision: 14, scale: 1, mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.month, t.adjustment] }),
    // Region filters are code prefixes (LIKE '2101%'), which a default-collation key cannot use.
    index("tally_area_prefix_month_idx").on(t.countyCode.op("varchar_pattern_ops"), t.month),
    index("tally_area_month_idx").on(t.month),
  ],
);

/**
 * Who (a volunteer key, a social worker id, a community id) appears in which county in which
 * period (`YYYY-MM` or `YYYY`), with how many fine rollup rows refer to it. Its first and last
 * reference move the distinct counts below.
 */
export const tallyPresence = pgTable(
  "tally_presence",
  {
    kind: varchar({ length: 16 }).notNull(),
    period: varchar({ length: 7 }).notNull(),
    key: varchar({ length: 64 }).notNull(),
    countyCode: varchar({ length: 6 }).notNull(),
    refs: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.period, t.key, t.countyCode] }),
    check("tally_presence_refs_positive", sql`${t.refs} > 0`),
  ],
);

/** Exact distinct counts per kind, region (country, province, city, county) and period. */
export const tallyDistinct = pgTable(
  "tally_distinct",
  {
    kind: varchar({ length: 16 }).notNull(),
    scopeLevel: varchar({ length: 8 }).notNull(),
    scopeCode: varchar({ length: 6 }).notNull(),
    period: varchar({ length: 7 }).notNull(),
    n: integer().notNull(),
  },
  (t) => [
    // Tallies ask for a level and period first (all counties in 2025), then the regions.
    primaryKey({ columns: [t.scopeLevel, t.period, t.scopeCode, t.kind] }),
    check(
      "tally_distinct_scope_level",
      sql`${t.scopeLevel} IN ('country', 'province', 'city', 'county')`,
    ),
    check("tally_distinct_n_not_negative", sql`${t.n} >= 0`),
  ],
);
