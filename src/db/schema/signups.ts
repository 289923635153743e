import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { signupStatuses } from "../../signups/status";
import { serviceType } from "./enums";
import { events } from "./scheduling";
import { volunteerKeys } from "./volunteer-keys";

export const signupStatus = pgEnum("signup_status", signupStatuses);

/** Hands out waitlist places: sign-ups of one event take them under its counter's lock, so FIFO. */
export const signupWaitlistSeq = pgSequence("signup_waitlist_seq");

/**
 * 报名: a volunteer's place at an event. The mobile is stored encrypted, with a keyed hash for
 * de-duplication and a masked copy for display; the private link's token only as its SHA-256.
 */
export const signups = pgTable(
  "signups",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    name: text().notNull(),
    mobileCiphertext: text().notNull(),
    mobileHash: varchar({ length: 64 }).notNull(),
    mobileMasked: varchar({ length: 11 }).notNull(),
    skills: serviceType().array().notNull().default(sql`'{}'`),
    status: signupStatus().notNull(),
    /** Set when the sign-up joins the waitlist; the lowest waitlisted one is promoted first. */
    waitlistSeq: bigint({ mode: "number" }),
    /**
     * Order of arrival, taken at insert time under the event's counter lock (so it is the order
     * the queue served them in, unlike createdAt, which is stamped before the lock).
     */
    arrivalSeq: bigint({ mode: "number" }).notNull().default(sql`nextval('signup_waitlist_seq')`),
    confirmationCode: varchar({ length: 6 }).notNull(),
    manageTokenHash: varchar({ length: 64 }).notNull(),
    /**
     * The private link's token sealed with AES-GCM (DATA_KEY), so that the messages a volunteer
     * receives carry their link; null before migration 0023 and after retention.
     */
    manageTokenSealed: text(),
    consentAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
    /**
     * The attendee's surrogate key, given when an outcome counts the checked-in sign-up: kept
     * through retention, so re-recording the outcome later counts the same people.
     */
    volunteerKey: varchar({ length: 64 }).references(() => volunteerKeys.key),
    /** Set when retention replaced the name and mobile (the row stays, so counts stay right). */
    anonymisedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One non-cancelled sign-up per mobile number per event, whatever the application does.
    uniqueIndex("signups_event_mobile_active_key")
      .on(t.eventId, t.mobileHash)
      .where(sql`${t.status} <> 'cancelled'`),
    // A confirmation code names one sign-up of its event (check-in looks it up by code).
    uniqueIndex("signups_event_confirmation_code_key").on(t.eventId, t.confirmationCode),
    // The private link finds exactly one sign-up.
    uniqueIndex("signups_manage_token_hash_key").on(t.manageTokenHash),
    // The event's sign-ups in the order the queue took them (the staff roster).
    index("signups_event_arrival_idx").on(t.eventId, t.arrivalSeq),
    // The FIFO waitlist of an event, in order.
    index("signups_event_waitlist_idx")
      .on(t.eventId, t.waitlistSeq)
      .where(sql`${t.status} = 'waitlisted'`),
    // A waitlisted sign-up always has its place in the queue.
    check(
      "signups_waitlisted_has_seq",
      sql`${t.status} <> 'waitlisted' OR ${t.waitlistSeq} IS NOT NULL`,
    ),
    // Cancelled exactly when cancelledAt is set.
    check(
      "signups_cancelled_at_matches_status",
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`,
    ),
  ],
);

/**
 * Places taken per event. A row per event is made by a trigger when the event is inserted;
 * `capacity` is kept equal to the event's and `confirmed` equal to its confirmed and attended
 * sign-ups, both by triggers (hand-written migration), so the CHECK refuses overbooking in the
 * database itself. Sign-ups of one event lock this row, which also serialises them (FIFO).
 */
export const eventSignupCounters = pgTable(
  "event_signup_counters",
  {
    eventId: uuid()
      .primaryKey()
      .references(() => events.id),
    capacity: integer().notNull(),
    confirmed: integer().notNull().default(0),
  },
  (t) => [
    // Confirmed sign-ups never exceed the capacity, under any concurrency.
    check(
      "event_signup_counters_within_capacity",
      sql`${t.confirmed} >= 0 AND ${t.confirmed} <= ${t.capacity}`,
    ),
  ],
);
