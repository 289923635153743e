import { sql } from "drizzle-orm";
import { check, pgTable, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";

/**
 * The surrogate that stands for a volunteer wherever a record outlives their personal data
 * (outcome_volunteers, the tally rollups, a checked-in sign-up): a random value that carries
 * nothing of the person. `mobileHash` (the keyed hash of the mobile) links it to a number while a
 * sign-up or the directory still holds that number; retention clears it, after which the key still
 * counts once in every distinct count but can never again be tied to a mobile (migration 0032).
 */
export const volunteerKeys = pgTable(
  "volunteer_keys",
  {
    key: varchar({ length: 64 }).primaryKey().default(sql`gen_random_uuid()::text`),
    mobileHash: varchar({ length: 64 }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When retention removed the link to the mobile hash; null while linked. */
    forgottenAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One key per person: recording maps a mobile hash to its key by this (ON CONFLICT).
    uniqueIndex("volunteer_keys_mobile_hash_key").on(t.mobileHash),
    // A key is either linked to a mobile hash or forgotten, never both nor neither.
    check(
      "volunteer_keys_linked_or_forgotten",
      sql`(${t.mobileHash} IS NULL) = (${t.forgottenAt} IS NOT NULL)`,
    ),
  ],
);
