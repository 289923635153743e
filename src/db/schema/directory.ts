import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { certificateLevel, organisationKind, serviceType } from "./enums";
import { regions } from "./regions";

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

/** County codes are 6 digits not ending in 00 (that would be a city or province). */
const isCountyCode = (column: unknown) => sql`${column} ~ '^[0-9]{4}(0[1-9]|[1-9][0-9])$'`;

/** A community (社区/村) that takes part in Shuangyi; `isPilot` marks the county's 试点社区. */
export const communities = pgTable(
  "communities",
  {
    id: uuid().primaryKey().defaultRandom(),
    regionCode: varchar({ length: 12 })
      .notNull()
      .references(() => regions.code),
    countyCode: varchar({ length: 6 })
      .notNull()
      .references(() => regions.code),
    name: text().notNull(),
    address: text(),
    isPilot: boolean().notNull().default(false),
    coordinatorName: text(),
    coordinatorPhone: varchar({ length: 20 }),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    // One directory entry per real community.
    uniqueIndex("communities_region_code_key").on(t.regionCode),
    index("communities_county_code_idx").on(t.countyCode),
    // The county is derived from the community code; keep them from disagreeing.
    check("communities_county_matches_region", sql`left(${t.regionCode}, 6) = ${t.countyCode}`),
  ],
);

/** 高校 / 社会工作服务机构 / 专业志愿服务组织 that send social workers and volunteers. */
export const organisations = pgTable(
  "organisations",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    kind: organisationKind().notNull(),
    regionCode: varchar({ length: 12 }).references(() => regions.code),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex("organisations_name_key").on(t.name)],
);

/** 专业社工: the professionals who lead volunteers. */
export const socialWorkers = pgTable(
  "social_workers",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** 证书编号 on the social work certificate: how a re-sent list finds the same person. */
    certificateNumber: varchar({ length: 40 }),
    certificateLevel: certificateLevel().notNull(),
    skills: serviceType().array().notNull().default(sql`'{}'`),
    homeCountyCode: varchar({ length: 6 })
      .notNull()
      .references(() => regions.code),
    organisationId: uuid().references(() => organisations.id),
    weeklyCapacity: smallint().notNull().default(3),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    index("social_workers_home_county_code_idx").on(t.homeCountyCode),
    // One record per certificate, so re-importing a department's list never duplicates anyone.
    uniqueIndex("social_workers_certificate_number_key").on(t.certificateNumber),
    check("social_workers_home_county_is_county", isCountyCode(t.homeCountyCode)),
    // Capacity is events per week; 0 would make a worker silently unassignable.
    check("social_workers_weekly_capacity_range", sql`${t.weeklyCapacity} BETWEEN 1 AND 20`),
  ],
);

/** 志愿服务队: a team of volunteers from an organisation, based in a county. */
export const volunteerTeams = pgTable(
  "volunteer_teams",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    organisationId: uuid().references(() => organisations.id),
    skills: serviceType().array().notNull().default(sql`'{}'`),
    countyCode: varchar({ length: 6 })
      .notNull()
      .references(() => regions.code),
    size: integer().notNull(),
    leaderName: text(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    index("volunteer_teams_county_code_idx").on(t.countyCode),
    check("volunteer_teams_county_is_county", isCountyCode(t.countyCode)),
    check("volunteer_teams_size_positive", sql`${t.size} BETWEEN 1 AND 10000`),
  ],
);

/**
 * A registered volunteer. The mobile number is personal data (PIPL): stored only encrypted,
 * with a keyed hash for look-up and de-duplication and a masked copy for display.
 */
export const volunteers = pgTable(
  "volunteers",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid().references(() => volunteerTeams.id),
    name: text().notNull(),
    mobileCiphertext: text().notNull(),
    mobileHash: varchar({ length: 64 }).notNull(),
    mobileMasked: varchar({ length: 11 }).notNull(),
    skills: serviceType().array().notNull().default(sql`'{}'`),
    active: boolean().notNull().default(true),
    anonymisedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // One directory entry per mobile number.
    uniqueIndex("volunteers_mobile_hash_key").on(t.mobileHash),
    index("volunteers_team_id_idx").on(t.teamId),
  ],
);
