import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import {
  askerKinds,
  requestAudiences,
  requestKinds,
  requestMessageKinds,
  requestStatuses,
  requestStepKinds,
  stationKinds,
} from "../../requests/vocabulary";
import { communities } from "./directory";
import { notificationStatus } from "./notifications";
import { needs } from "./scheduling";

export const askerKind = pgEnum("asker_kind", askerKinds);
export const requestKind = pgEnum("request_kind", requestKinds);
export const stationKind = pgEnum("station_kind", stationKinds);
export const requestStatus = pgEnum("request_status", requestStatuses);
export const requestStepKind = pgEnum("request_step_kind", requestStepKinds);
export const requestAudience = pgEnum("request_audience", requestAudiences);
export const requestMessageKind = pgEnum("request_message_kind", requestMessageKinds);

/** 爱心驿站 / 司机之家: a place of a community with its own QR poster. */
export const stations = pgTable(
  "stations",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    kind: stationKind().notNull(),
    name: text().notNull(),
    address: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stations_community_idx").on(t.communityId)],
);

/**
 * 问需: a need or suggestion raised by a resident or new-employment worker. It sits at one desk
 * (a community's coordinator, or the county department when `deskCommunityId` is null); the
 * optional mobile is stored as for sign-ups (encrypted, keyed hash, masked copy).
 */
export const requests = pgTable(
  "requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    trackingCode: varchar({ length: 10 }).notNull(),
    tokenHash: varchar({ length: 64 }).notNull(),
    /** The private link's token sealed (DATA_KEY), so messages can carry it; null after retention. */
    tokenSealed: text(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id),
    stationId: uuid().references(() => stations.id),
    deskCommunityId: uuid().references(() => communities.id),
    /** The desk's region: the community's 12-digit code, or the county's for the department. */
    deskRegionCode: varchar({ length: 12 }).notNull(),
    /** The county of the community asked at (the department's figures and escalation). */
    countyCode: varchar({ length: 6 }).notNull(),
    askerKind: askerKind().notNull(),
    kind: requestKind().notNull(),
    description: text().notNull(),
    mobileCiphertext: text(),
    mobileHash: varchar({ length: 64 }),
    mobileMasked: varchar({ length: 11 }),
    consentAt: timestamp({ withTimezone: true }),
    status: requestStatus().notNull().default("received"),
    needId: uuid().references(() => needs.id),
    reply: text(),
    answerDueAt: timestamp({ withTimezone: true }).notNull(),
    resolveDueAt: timestamp({ withTimezone: true }).notNull(),
    firstAnsweredAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
    rating: smallint(),
    ratingComment: text(),
    ratedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    anonymisedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The tracking code and the private link each find exactly one request.
    uniqueIndex("requests_tracking_code_key").on(t.trackingCode),
    uniqueIndex("requests_token_hash_key").on(t.tokenHash),
    index("requests_desk_idx").on(t.deskCommunityId, t.status),
    index("requests_desk_region_idx").on(t.deskRegionCode),
    index("requests_county_created_idx").on(t.countyCode, t.createdAt),
    index("requests_need_idx").on(t.needId),
    // A rating is 1 to 5, given once (with its time).
    check(
      "requests_rating_range",
      sql`${t.rating} IS NULL OR (${t.rating} BETWEEN 1 AND 5 AND ${t.ratedAt} IS NOT NULL)`,
    ),
    // A mobile is only kept with consent.
    check(
      "requests_mobile_with_consent",
      sql`${t.mobileCiphertext} IS NULL OR ${t.consentAt} IS NOT NULL`,
    ),
    // An accepted request always names its need.
    check("requests_accepted_has_need", sql`${t.status} <> 'accepted' OR ${t.needId} IS NOT NULL`),
    // A request at the department's desk has no community desk, and the other way round.
    check(
      "requests_desk_shape",
      sql`(${t.deskCommunityId} IS NULL) = (length(${t.deskRegionCode}) = 6)`,
    ),
  ],
);

/** What the requester sees on the progress page, one row per step, never changed. */
export const requestSteps = pgTable(
  "request_steps",
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    kind: requestStepKind().notNull(),
    /** The desk's name after the step (where the request now is). */
    deskName: text(),
    /** A reason or reply the requester may read. */
    note: text(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("request_steps_request_idx").on(t.requestId, t.at)],
);

/**
 * The requests' outbox: messages to the requester (SMS, when a mobile was given) and to staff
 * desks (reminders, escalations; shown on their pages), written in the change's transaction.
 */
export const requestMessages = pgTable(
  "request_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid()
      .notNull()
      .references(() => requests.id),
    audience: requestAudience().notNull(),
    kind: requestMessageKind().notNull(),
    /** Staff messages: the desk's region (community code, or the county for the department). */
    regionCode: varchar({ length: 12 }),
    text: text().notNull(),
    status: notificationStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("request_messages_pending_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index("request_messages_request_idx").on(t.requestId),
    // One reminder and one escalation per request, however often the Cron job runs.
    uniqueIndex("request_messages_once_key")
      .on(t.requestId, t.kind, t.audience)
      .where(sql`${t.kind} IN ('reminder', 'escalated', 'overdue')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// 研判's rollups (migration 0033): kept by a trigger on `requests` in the same transaction as
// every change of a request, as the tallies' rollups are, and recomputed by
// `request_rollup_rebuild()`. A request counts in the month (Asia/Shanghai) it was received.
// ---------------------------------------------------------------------------------------------

const requestRollupKey = () => ({
  communityId: uuid().notNull(),
  /** The community's region code when the request came: a region's figures are a prefix match. */
  regionCode: varchar({ length: 12 }).notNull(),
  countyCode: varchar({ length: 6 }).notNull(),
  month: date({ mode: "string" }).notNull(),
  kind: requestKind().notNull(),
  askerKind: askerKind().notNull(),
});

/** Requests per community, month, kind and asker: every count the figures add up. */
export const requestRollup = pgTable(
  "request_rollup",
  {
    ...requestRollupKey(),
    received: integer().notNull().default(0),
    /** Given a first answer (accepted, answered or resolved). */
    accepted: integer().notNull().default(0),
    turnedIntoNeeds: integer().notNull().default(0),
    resolved: integer().notNull().default(0),
    resolvedWithinLimit: integer().notNull().default(0),
    ratings: integer().notNull().default(0),
    ratingSum: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.month, t.kind, t.askerKind] }),
    index("request_rollup_region_month_idx").on(t.regionCode.op("varchar_pattern_ops"), t.month),
  ],
);

/**
 * How many requests of a rollup cell took how long, in tenths of an hour (rounded), to their
 * first answer (`first_answer`) or to resolution (`resolution`): medians do not add up, but these
 * counts do, and a median of any set of cells is read off their sum.
 */
export const requestDurationRollup = pgTable(
  "request_duration_rollup",
  {
    ...requestRollupKey(),
    measure: varchar({ length: 12 }).notNull(),
    tenths: integer().notNull(),
    requests: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.communityId, t.month, t.kind, t.askerKind, t.measure, t.tenths],
    }),
    index("request_duration_rollup_region_month_idx").on(
      t.regionCode.op("varchar_pattern_ops"),
      t.month,
    ),
    check("request_duration_rollup_measure", sql`${t.measure} IN ('first_answer', 'resolution')`),
  ],
);
