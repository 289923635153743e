import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { RunStats } from "../../matching/types";
import { accounts } from "./accounts";
import { communities, socialWorkers, volunteerTeams } from "./directory";
import {
  assignmentResponse,
  certificateLevel,
  eventStatus,
  needStatus,
  serviceType,
  targetGroup,
} from "./enums";

/** One acceptable window for a need's start time. */
export interface TimeWindow {
  start: string;
  end: string;
}

/** 服务需求: what a community asks for, posted by its coordinator. */
export const needs = pgTable(
  "needs",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    serviceType: serviceType().notNull(),
    targetGroups: targetGroup().array().notNull().default(sql`'{}'`),
    expectedPeople: integer().notNull(),
    /** Acceptable start-time windows; windowStart/windowEnd bound them all, for period filters. */
    windows: jsonb().$type<TimeWindow[]>().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    durationMinutes: smallint().notNull(),
    volunteersNeeded: smallint().notNull(),
    requiredSkills: serviceType().array().notNull().default(sql`'{}'`),
    minCertificateLevel: certificateLevel().notNull().default("junior"),
    notes: text(),
    status: needStatus().notNull().default("open"),
    createdBy: uuid().references(() => accounts.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("needs_community_id_idx").on(t.communityId),
    index("needs_status_window_idx").on(t.status, t.windowStart),
    check("needs_window_ordered", sql`${t.windowStart} < ${t.windowEnd}`),
    check("needs_duration_range", sql`${t.durationMinutes} BETWEEN 15 AND 720`),
    check("needs_volunteers_range", sql`${t.volunteersNeeded} BETWEEN 0 AND 500`),
    check("needs_expected_people_range", sql`${t.expectedPeople} BETWEEN 1 AND 100000`),
  ],
);

/**
 * 服务活动: a scheduled service. `during` (tstzrange, generated from startsAt/endsAt) and the
 * EXCLUDE constraints that use it are added by the hand-written migration 0002: a social worker
 * is never in two overlapping non-cancelled events, whatever the application does.
 */
export const events = pgTable(
  "events",
  {
    id: uuid().primaryKey().defaultRandom(),
    needId: uuid().references(() => needs.id),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    serviceType: serviceType().notNull(),
    title: text().notNull(),
    leadSocialWorkerId: uuid()
      .notNull()
      .references(() => socialWorkers.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    capacity: integer().notNull(),
    status: eventStatus().notNull().default("scheduled"),
    leadResponse: assignmentResponse().notNull().default("pending"),
    matchScore: real(),
    signupClosesAt: timestamp({ withTimezone: true }),
    cancelReason: text(),
    /** Grows with every change, so calendars (iCalendar SEQUENCE) replace their copy. */
    revision: integer().notNull().default(0),
    createdBy: uuid().references(() => accounts.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("events_community_id_idx").on(t.communityId),
    index("events_lead_social_worker_id_idx").on(t.leadSocialWorkerId),
    index("events_starts_at_idx").on(t.startsAt),
    check("events_ends_after_start", sql`${t.endsAt} > ${t.startsAt}`),
    check("events_capacity_range", sql`${t.capacity} BETWEEN 1 AND 10000`),
  ],
);

/**
 * The volunteer teams of an event. startsAt/endsAt/active are copies of the event's, kept in
 * step by triggers (migration 0002), because the team EXCLUDE constraint needs them in this row.
 */
export const eventTeams = pgTable(
  "event_teams",
  {
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    teamId: uuid()
      .notNull()
      .references(() => volunteerTeams.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    active: boolean().notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.teamId] }),
    index("event_teams_team_id_idx").on(t.teamId),
  ],
);

/** A social worker's private iCalendar feed: only the token's hash is stored; revocable. */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    id: uuid().primaryKey().defaultRandom(),
    socialWorkerId: uuid()
      .notNull()
      .references(() => socialWorkers.id),
    tokenHash: varchar({ length: 64 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("calendar_feeds_token_hash_key").on(t.tokenHash)],
);

/** A batch matching run: a proposed plan for a region and period, accepted in whole or part. */
export const matchingRuns = pgTable(
  "matching_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    regionCode: varchar({ length: 12 }).notNull(),
    periodStart: timestamp({ withTimezone: true }).notNull(),
    periodEnd: timestamp({ withTimezone: true }).notNull(),
    totalScore: real().notNull(),
    plan: jsonb().notNull(),
    unmatched: jsonb().notNull(),
    /** How good the plan is: needs served and score against the upper bound (plan-bound.ts). */
    stats: jsonb().$type<RunStats>(),
    createdBy: uuid().references(() => accounts.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("matching_runs_period_ordered", sql`${t.periodStart} < ${t.periodEnd}`)],
);
