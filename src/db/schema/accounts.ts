import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { communities, socialWorkers } from "./directory";
import { role } from "./enums";
import { regions } from "./regions";

/** A staff account: a role plus the scope it acts in. */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    role: role().notNull(),
    regionCode: varchar({ length: 12 }).references(() => regions.code),
    communityId: uuid().references(() => communities.id),
    socialWorkerId: uuid().references(() => socialWorkers.id),
    /** For the staff web pages: a login name and a PBKDF2 password hash (src/auth/passwords.ts). */
    loginName: varchar({ length: 64 }),
    passwordHash: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accounts_login_name_key").on(t.loginName),
    // A scoped role without its scope would silently see nothing or, worse, everything.
    check(
      "accounts_scope_matches_role",
      sql`CASE ${t.role}
        WHEN 'admin' THEN ${t.regionCode} IS NULL AND ${t.communityId} IS NULL AND ${t.socialWorkerId} IS NULL
        WHEN 'department' THEN ${t.regionCode} IS NOT NULL AND ${t.communityId} IS NULL AND ${t.socialWorkerId} IS NULL
        WHEN 'coordinator' THEN ${t.communityId} IS NOT NULL AND ${t.regionCode} IS NULL AND ${t.socialWorkerId} IS NULL
        WHEN 'social_worker' THEN ${t.socialWorkerId} IS NOT NULL AND ${t.regionCode} IS NULL AND ${t.communityId} IS NULL
      END`,
    ),
  ],
);

/**
 * A staff web session. The cookie holds only this id, signed with SESSION_SECRET; the row says
 * whether it still counts, so signing out ends it on the server too (a copied cookie is dead).
 */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("staff_sessions_account_idx").on(t.accountId)],
);

/** API bearer tokens. Only the SHA-256 of a token is stored; the token is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id),
    tokenHash: varchar({ length: 64 }).notNull(),
    label: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash),
    index("api_tokens_account_id_idx").on(t.accountId),
  ],
);

/** Append-only record of every staff write: who, what, before and after (personal data masked). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    accountId: uuid().references(() => accounts.id),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId)],
);
