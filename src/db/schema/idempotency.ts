import { sql } from "drizzle-orm";
import {
  check,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

/**
 * `Idempotency-Key` of retried writes (Stripe's rules): per account, the request's fingerprint
 * and, once it succeeded, the response to replay. Kept 24 hours (the Cron Trigger deletes older).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    accountId: uuid()
      .notNull()
      .references(() => accounts.id),
    key: varchar({ length: 255 }).notNull(),
    /** SHA-256 of method, path and body: a retry must send the same request. */
    requestHash: varchar({ length: 64 }).notNull(),
    /** Null while the first request is still running. */
    responseStatus: integer(),
    responseBody: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.key] }),
    check(
      "idempotency_keys_completed_has_response",
      sql`(${t.completedAt} IS NULL) = (${t.responseStatus} IS NULL)`,
    ),
  ],
);
