import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  type NotificationPayload,
  notificationKinds,
  notificationStatuses,
} from "../../notifications/kinds";
import { events } from "./scheduling";
import { signups } from "./signups";

export const notificationKind = pgEnum("notification_kind", notificationKinds);
export const notificationStatus = pgEnum("notification_status", notificationStatuses);

/**
 * The notification outbox: written in the same transaction as the change it reports, delivered
 * later by the scheduled job. The payload never holds the mobile number (see NotificationPayload).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: notificationKind().notNull(),
    signupId: uuid()
      .notNull()
      .references(() => signups.id),
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    payload: jsonb().$type<NotificationPayload>().notNull(),
    /** The event's start when the message was written: a reminder is about this time. */
    aboutStartsAt: timestamp({ withTimezone: true }),
    status: notificationStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    /**
     * A request sending this message itself holds it until then (its two statements: claim, then
     * mark sent); the Cron job leaves it alone till then, and sends it after, should that request
     * have died between the two.
     */
    claimedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One day-before reminder per sign-up and start time, however often the cron runs: an event
    // moved after its reminder went out gets one for the new time. The values are listed rather
    // than `<> 'withdrawn'`, which the migration adding that value could not use in its transaction.
    uniqueIndex("notifications_reminder_once_key")
      .on(t.signupId, t.aboutStartsAt)
      .where(sql`${t.kind} = 'reminder' AND ${t.status} IN ('pending', 'sent', 'failed')`),
    // The sender's queue: pending rows, oldest first.
    index("notifications_pending_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index("notifications_signup_id_idx").on(t.signupId),
  ],
);
