import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  pgView,
  primaryKey,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { serviceType, targetGroup } from "./enums";

/** Hours are kept to the half hour; numeric, so that sums are exact. */
const hours = () => numeric({ precision: 12, scale: 1, mode: "number" });

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
// Coarse rollups, so that tallies over whole counties, cities or provinces do not read the fine
// rows: one row per county and period with its sums and distinct counts, and distinct counts per
// city, province and the country. Kept in the same statement-level triggers as the fine rollups
// (migration 0028); tallies split by service type or target group, or below the county, still
// read the fine rows.
// ---------------------------------------------------------------------------------------------

/**
 * One county in one period (`YYYY-MM` or `YYYY`): the additive measures of tally_rollup (with
 * the adjustments booked in it apart), how many distinct volunteers, social workers and
 * communities took part, and how many outcomes wait for sign-off. A tally of all counties for a
 * year reads one row per county.
 */
export const tallyCounty = pgTable(
  "tally_county",
  {
    period: varchar({ length: 7 }).notNull(),
    countyCode: varchar({ length: 6 }).notNull(),
    events: integer().notNull().default(0),
    personTimes: bigint({ mode: "number" }).notNull().default(0),
    volunteersAttended: bigint({ mode: "number" }).notNull().default(0),
    volunteerHours: numeric({ precision: 14, scale: 1, mode: "number" }).notNull().default(0),
    adjustedPersonTimes: bigint({ mode: "number" }).notNull().default(0),
    adjustedVolunteersAttended: bigint({ mode: "number" }).notNull().default(0),
    adjustedVolunteerHours: numeric({ precision: 14, scale: 1, mode: "number" })
      .notNull()
      .default(0),
    volunteers: integer().notNull().default(0),
    socialWorkers: integer().notNull().default(0),
    communities: integer().notNull().default(0),
    /** Outcomes recorded and not yet signed off (not counted in the figures above). */
    awaiting: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.period, t.countyCode] }),
    // Region filters are code prefixes (LIKE '2101%'), which a default-collation key cannot use.
    index("tally_county_period_prefix_idx").on(t.period, t.countyCode.op("varchar_pattern_ops")),
  ],
);

/**
 * Who (a volunteer key, a social worker id, a community id) appears in which county in which
 * period (`YYYY-MM` or `YYYY`), with how many fine rollup rows refer to it. Its first and last
 * reference move the distinct counts (tally_county's, and tally_distinct's above the county). A
 * row whose references all went stays at 0 (a rebuild leaves it out).
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
    // The key first: sorting (rebuilds, index builds) compares it before the few kinds and periods.
    primaryKey({ columns: [t.key, t.kind, t.period, t.countyCode] }),
    check("tally_presence_refs_not_negative", sql`${t.refs} >= 0`),
  ],
);

/**
 * Changes of who appears where, not yet applied, appended by the triggers in the outcome's own
 * statement: a social worker's or volunteer's events in a fine cell (community, month, service
 * type) going up or down, and a community's presence in its cell starting (+1) or ending (-1).
 * `tally_fold_keys()` (migration 0037) writes them into tally_social_workers and
 * tally_volunteers, then the references of tally_presence and the distinct counts (tally_county's,
 * tally_distinct_changes above the county). Every tally runs it before it reads, and the Cron job
 * between requests. Appended, not applied: signing off an outcome writes its sums and no row of a
 * key, and a fold writes a batch of changes set-based.
 */
export const tallyKeyChanges = pgTable("tally_key_changes", {
  kind: varchar({ length: 16 }).notNull(),
  key: varchar({ length: 64 }).notNull(),
  communityId: uuid().notNull(),
  regionCode: varchar({ length: 12 }).notNull(),
  month: date().notNull(),
  serviceType: serviceType().notNull(),
  delta: integer().notNull(),
});

/**
 * Distinct counts per kind, region (country, province, city) and period, as of the last fold of
 * {@link tallyDistinctChanges}; {@link tallyDistinctNow} adds the changes since. Counties keep
 * theirs in {@link tallyCounty} (migration 0028).
 */
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

/**
 * Changes to tally_distinct's counts, appended by the triggers and folded into it by the Cron job
 * (`tally_fold_distinct()`). Appended rather than applied: a city's, province's or the country's
 * count row would otherwise be locked by every transaction that brings a new key into it, from its
 * write to its commit. Readers use {@link tallyDistinctNow}.
 */
export const tallyDistinctChanges = pgTable(
  "tally_distinct_changes",
  {
    kind: varchar({ length: 16 }).notNull(),
    scopeLevel: varchar({ length: 8 }).notNull(),
    scopeCode: varchar({ length: 6 }).notNull(),
    period: varchar({ length: 7 }).notNull(),
    delta: integer().notNull(),
  },
  (t) => [index("tally_distinct_changes_key_idx").on(t.scopeLevel, t.period, t.scopeCode, t.kind)],
);

/**
 * Distinct counts as of now at every level: tally_distinct plus the changes not yet folded in, and
 * the counties' from tally_county (migration 0028).
 */
export const tallyDistinctNow = pgView("tally_distinct_now", {
  kind: varchar({ length: 16 }).notNull(),
  scopeLevel: varchar({ length: 8 }).notNull(),
  scopeCode: varchar({ length: 6 }).notNull(),
  period: varchar({ length: 7 }).notNull(),
  n: integer().notNull(),
}).existing();
