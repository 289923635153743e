import { and, eq, like, notInArray, sql } from "drizzle-orm";
import { mintToken } from "../../src/auth/tokens";
import {
  accounts,
  communities,
  events,
  eventTeams,
  needs,
  organisations,
  regions,
  socialWorkers,
  volunteerTeams,
} from "../../src/db/schema";
import type { CertificateLevel, ServiceType } from "../../src/domain/vocabulary";
import { withDb } from "./helpers";

/** A unique suffix so parallel test files never collide on names. */
export function unique(prefix = ""): string {
  return `${prefix}${crypto.randomUUID().slice(0, 8)}`;
}

export type Actor = { accountId: string; token: string; tokenId: string };

/** A staff account with a fresh token. */
export async function makeActor(
  scope:
    | { role: "admin" }
    | { role: "department"; regionCode: string }
    | { role: "coordinator"; communityId: string }
    | { role: "social_worker"; socialWorkerId: string },
): Promise<Actor> {
  return withDb(async (db) => {
    const [account] = await db
      .insert(accounts)
      .values({ name: unique(`${scope.role}-`), ...scope })
      .returning({ id: accounts.id });
    if (!account) throw new Error("no account");
    const { id, token } = await mintToken(db, account.id, { label: "test" });
    return { accountId: account.id, token, tokenId: id };
  });
}

/** A directory community on a real community code in `countyCode` not yet used by another test. */
export async function makeCommunity(countyCode: string, values: { isPilot?: boolean } = {}) {
  return withDb(async (db) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const used = db.select({ code: communities.regionCode }).from(communities);
      const [region] = await db
        .select({ code: regions.code, name: regions.name })
        .from(regions)
        .where(
          and(
            eq(regions.level, "community"),
            like(regions.code, `${countyCode}%`),
            notInArray(regions.code, used),
          ),
        )
        .orderBy(sql`random()`)
        .limit(1);
      if (!region) throw new Error(`no free community left in ${countyCode}`);
      const rows = await db
        .insert(communities)
        .values({
          regionCode: region.code,
          countyCode,
          name: region.name,
          isPilot: values.isPilot ?? false,
        })
        .onConflictDoNothing()
        .returning();
      if (rows[0]) return rows[0];
    }
    throw new Error("could not claim a community");
  });
}

export async function makeOrganisation(kind: "university" | "agency" | "volunteer_org" = "agency") {
  return withDb(async (db) => {
    const [row] = await db
      .insert(organisations)
      .values({ name: unique("机构-"), kind })
      .returning();
    if (!row) throw new Error("no organisation");
    return row;
  });
}

export async function makeSocialWorker(
  homeCountyCode: string,
  values: {
    name?: string;
    certificateLevel?: CertificateLevel;
    skills?: ServiceType[];
    weeklyCapacity?: number;
  } = {},
) {
  return withDb(async (db) => {
    const [row] = await db
      .insert(socialWorkers)
      .values({
        name: values.name ?? unique("社工-"),
        certificateLevel: values.certificateLevel ?? "intermediate",
        skills: values.skills ?? ["counselling"],
        homeCountyCode,
        weeklyCapacity: values.weeklyCapacity ?? 3,
      })
      .returning();
    if (!row) throw new Error("no social worker");
    return row;
  });
}

export async function makeTeam(
  countyCode: string,
  values: { name?: string; skills?: ServiceType[]; size?: number } = {},
) {
  return withDb(async (db) => {
    const [row] = await db
      .insert(volunteerTeams)
      .values({
        name: values.name ?? unique("志愿服务队-"),
        countyCode,
        skills: values.skills ?? ["first_aid"],
        size: values.size ?? 10,
      })
      .returning();
    if (!row) throw new Error("no team");
    return row;
  });
}

/** Real codes used across tests: two counties in 沈阳, one in 大连. */
export const places = {
  shenyang: "210100",
  shenhe: "210103",
  dadong: "210104",
  dalian: "210200",
  zhongshan: "210202",
} as const;

/** Shanghai local time to a Date: `at("2027-03-05 10:00")`. */
export function at(local: string): Date {
  return new Date(`${local.replace(" ", "T")}:00+08:00`);
}

/** A date far enough in the future, and unique enough per call, that tests never share slots. */
export function futureDay(): string {
  const offsetDays = 400 + Math.floor(Math.random() * 20_000);
  const day = new Date(Date.UTC(2027, 0, 1) + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

export async function makeNeed(
  communityId: string,
  values: Omit<Partial<typeof needs.$inferInsert>, "windows"> & {
    windows?: { start: Date; end: Date }[];
  } = {},
) {
  const day = futureDay();
  const { windows: given, ...rest } = values;
  const windows = given ?? [{ start: at(`${day} 09:00`), end: at(`${day} 17:00`) }];
  return withDb(async (db) => {
    const [row] = await db
      .insert(needs)
      .values({
        communityId,
        serviceType: "counselling",
        targetGroups: ["elderly"],
        expectedPeople: 30,
        durationMinutes: 120,
        volunteersNeeded: 4,
        ...rest,
        windows: windows.map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
        windowStart: windows[0]?.start ?? new Date(),
        windowEnd: windows.at(-1)?.end ?? new Date(),
      })
      .returning();
    if (!row) throw new Error("no need");
    return row;
  });
}

/** An event inserted directly (the database constraints still apply). */
export async function makeEvent(input: {
  communityId: string;
  socialWorkerId: string;
  teamIds?: string[];
  start: Date;
  end: Date;
  status?: "scheduled" | "completed" | "cancelled";
  capacity?: number;
}) {
  return withDb(async (db) => {
    const [row] = await db
      .insert(events)
      .values({
        communityId: input.communityId,
        serviceType: "counselling",
        title: unique("活动-"),
        leadSocialWorkerId: input.socialWorkerId,
        startsAt: input.start,
        endsAt: input.end,
        capacity: input.capacity ?? 10,
        status: input.status ?? "scheduled",
      })
      .returning();
    if (!row) throw new Error("no event");
    const teamIds = input.teamIds ?? [];
    if (teamIds.length > 0) {
      await db.insert(eventTeams).values(
        teamIds.map((teamId) => ({
          eventId: row.id,
          teamId,
          startsAt: input.start,
          endsAt: input.end,
        })),
      );
    }
    return row;
  });
}
