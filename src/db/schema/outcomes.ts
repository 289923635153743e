import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
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
 * event itself (migration 0009), so that the rollups (tallies.ts) need no joins. Outcomes are
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
    // The same for the whole country (no region prefix): led by the month, so that a year's
    // tally reads that year's entries rather than every unsigned outcome's.
    index("outcomes_awaiting_sign_off_month_idx").on(t.month).where(sql`${t.status} = 'recorded'`),
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
 * The volunteers known to have attended an outcome's event (a checked-in sign-up, or a directory
 * volunteer the recorder ticked), by their surrogate key in volunteer_keys: nothing computable
 * from the mobile. Distinct-volunteer tallies count these keys.
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

/**
 * Unsigned outcomes a department chose to leave out when it closed their month (`force`): they
 * stay recorded, count in no figure, and are listed with the closed month. Gone with the lock
 * when an admin reopens the month.
 */
export const periodLockExclusions = pgTable(
  "period_lock_exclusions",
  {
    regionCode: varchar({ length: 12 }).notNull(),
    month: date({ mode: "string" }).notNull(),
    eventId: uuid()
      .notNull()
      .references(() => outcomes.eventId),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.month, t.eventId] }),
    // An exclusion belongs to its closed month, and goes when the month is reopened.
    foreignKey({
      name: "period_lock_exclusions_lock_fk",
      columns: [t.regionCode, t.month],
      foreignColumns: [periodLocks.regionCode, periodLocks.month],
    }).onDelete("cascade"),
    index("period_lock_exclusions_event_id_idx").on(t.eventId),
  ],
);
