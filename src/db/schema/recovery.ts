import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

/**
 * 找回报名: a volunteer proves a mobile number with a one-time code sent by SMS, then sees that
 * number's sign-ups with fresh private links. Nothing here can be read back without DATA_KEY:
 * the code only as a keyed hash (HMAC, with the request's id), the mobile as its keyed look-up
 * hash and its mask, the re-issued links sealed with AES-GCM. The Cron job forgets rows a day old.
 */
export const recoveryRequests = pgTable(
  "recovery_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** SHA-256 of the random token in the request's address (/find/<token>). */
    flowTokenHash: varchar({ length: 64 }).notNull(),
    /** The same keyed hash as signups.mobile_hash: finds the number's sign-ups. */
    mobileHash: varchar({ length: 64 }).notNull(),
    mobileMasked: varchar({ length: 11 }).notNull(),
    /** HMAC of "<id>:<code>"; a number without sign-ups gets a random one (no SMS is sent). */
    codeHash: varchar({ length: 64 }).notNull(),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    verifiedAt: timestamp({ withTimezone: true }),
    /** After verification: the re-issued private links, AES-GCM sealed, shown until it expires. */
    linksSealed: text(),
  },
  (t) => [
    // The address finds exactly one request.
    uniqueIndex("recovery_requests_flow_token_hash_key").on(t.flowTokenHash),
    // Codes sent to one number in the last hour (the per-number limit counts these).
    index("recovery_requests_mobile_created_idx").on(t.mobileHash, t.createdAt),
    // A code can be tried a few times only: guessing 6 digits is then hopeless.
    check("recovery_requests_attempts_range", sql`${t.attempts} BETWEEN 0 AND 5`),
    check("recovery_requests_expires_after_created", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);
