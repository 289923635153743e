/**
 * Deterministic demo data for local development: the pilot's 100 communities, 42 organisations,
 * 230 social workers, 120 volunteer teams with their volunteers, a few staff accounts, a dozen
 * upcoming events, and a year (2025) of completed events with signed-off outcomes (demo-year.ts).
 * Every id is derived from a stable key and every insert skips existing rows, so a re-run is a no-op.
 */
import { and, asc, eq, isNull, like } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import { hashPassword } from "../../src/auth/passwords";
import {
  accounts,
  communities,
  events,
  eventTeams,
  organisations,
  regions,
  socialWorkers,
  volunteers,
  volunteerTeams,
} from "../../src/db/schema";
import { maskMobile } from "../../src/domain/mobile";
import { encryptPersonal, lookupHash, type PersonalDataKeys } from "../../src/lib/personal-data";
import type { ScriptDatabase } from "../lib/database";
import { bulkInsert } from "./bulk-insert";
import { planUpcomingEvents } from "./demo-events";
import { indexRegions, planDemo, type RegionIndex, type VolunteerPlan } from "./demo-plan";
import { seedDemoRequests } from "./demo-requests";
import { seedDemoYear } from "./demo-year";
import { stableUuid } from "./random";

/** Rows inserted by one run, per table; all zero when the demo data is already there. */
export interface DemoSummary {
  communities: number;
  organisations: number;
  socialWorkers: number;
  volunteerTeams: number;
  volunteers: number;
  accounts: number;
  /** Upcoming events plus the demo year's completed ones (each with its outcome). */
  events: number;
  /** 问需: a year of requests from the pilot communities and their stations. */
  requests: number;
}

/** Ids of the demo staff accounts, for the dev script to mint tokens for. */
export const demoAccountIds = {
  admin: stableUuid("account:admin"),
  shenyangDepartment: stableUuid("account:department:210100"),
  shenheDepartment: stableUuid("account:department:210103"),
  zhongshanDepartment: stableUuid("account:department:210202"),
  duofuCoordinator: stableUuid("account:coordinator:210103005024"),
  chunhaiCoordinator: stableUuid("account:coordinator:210202001002"),
  socialWorker: stableUuid("account:social-worker:210103"),
} as const;

/** Login names of the demo accounts for the staff pages; all share {@link DEMO_PASSWORD}. */
export const demoLogins: Record<keyof typeof demoAccountIds, string> = {
  admin: "admin",
  shenyangDepartment: "shenyang",
  shenheDepartment: "shenhe",
  zhongshanDepartment: "zhongshan",
  duofuCoordinator: "duofu",
  chunhaiCoordinator: "chunhai",
  socialWorker: "shegong",
};

/** The demo accounts' password: local development only (the seed refuses remote databases). */
export const DEMO_PASSWORD = "shuangyi-demo";

/** Gives each demo account its login name and password, once. */
async function setDemoLogins(db: ScriptDatabase): Promise<void> {
  for (const [key, id] of Object.entries(demoAccountIds)) {
    await db
      .update(accounts)
      .set({
        loginName: demoLogins[key as keyof typeof demoAccountIds],
        passwordHash: await hashPassword(DEMO_PASSWORD),
      })
      .where(and(eq(accounts.id, id), isNull(accounts.passwordHash)));
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Throws unless the URL is undefined (embedded PGlite) or points at this machine. */
export function assertLocalDatabase(url: string | undefined): void {
  if (url === undefined) return;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error("Refusing to seed demo data: the database URL cannot be parsed");
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to seed demo data into a non-local database (host ${host})`);
  }
}

async function loadRegions(db: ScriptDatabase): Promise<RegionIndex> {
  const rows = await db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      parentCode: regions.parentCode,
    })
    .from(regions)
    .where(like(regions.code, "21%"))
    .orderBy(asc(regions.code));
  if (rows.length === 0) throw new Error("No Liaoning regions found: run seedRegions first");
  return indexRegions(rows);
}

const ENCRYPT_BATCH = 200;

/** Encrypts and hashes each mobile number; the plaintext goes no further than this function. */
async function sealVolunteers(keys: PersonalDataKeys, plans: VolunteerPlan[]) {
  const rows = [];
  for (let start = 0; start < plans.length; start += ENCRYPT_BATCH) {
    const batch = plans.slice(start, start + ENCRYPT_BATCH).map(async ({ mobile, ...rest }) => ({
      ...rest,
      mobileCiphertext: await encryptPersonal(keys, mobile),
      mobileHash: await lookupHash(keys, mobile),
      mobileMasked: maskMobile(mobile),
    }));
    rows.push(...(await Promise.all(batch)));
  }
  return rows;
}

type Pilot = ReturnType<typeof planDemo>["communities"][number];

function planAccounts(pilots: Pilot[], worker: { id: string; name: string }) {
  const coordinator = (regionCode: string) => {
    const community = pilots.find((pilot) => pilot.regionCode === regionCode);
    if (!community) throw new Error(`Pilot community ${regionCode} not planned`);
    return { name: `${community.coordinatorName}（${community.name}）`, communityId: community.id };
  };
  const department = (id: string, name: string, regionCode: string) =>
    ({ id, name, role: "department", regionCode }) as const;
  return [
    { id: demoAccountIds.admin, name: "省委社会工作部（演示）", role: "admin" as const },
    department(demoAccountIds.shenyangDepartment, "沈阳市委社会工作部（演示）", "210100"),
    department(demoAccountIds.shenheDepartment, "沈河区委社会工作部（演示）", "210103"),
    department(demoAccountIds.zhongshanDepartment, "大连市中山区委社会工作部（演示）", "210202"),
    {
      id: demoAccountIds.duofuCoordinator,
      role: "coordinator" as const,
      ...coordinator("210103005024"),
    },
    {
      id: demoAccountIds.chunhaiCoordinator,
      role: "coordinator" as const,
      ...coordinator("210202001002"),
    },
    {
      id: demoAccountIds.socialWorker,
      name: `${worker.name}（专业社工）`,
      role: "social_worker" as const,
      socialWorkerId: worker.id,
    },
  ];
}

function insertNew<T extends PgTable>(
  db: ScriptDatabase,
  table: T,
  rows: PgInsertValue<T>[],
): Promise<number> {
  return bulkInsert(db, table, rows, { onConflict: "skip" });
}

/**
 * Inserts the demo directory into a local database whose regions are already seeded. Refuses any
 * database that is not on this machine.
 */
export async function seedDemo(
  db: ScriptDatabase,
  keys: PersonalDataKeys,
  options: { databaseUrl?: string; now?: Date } = {},
): Promise<DemoSummary> {
  assertLocalDatabase(options.databaseUrl);
  const index = await loadRegions(db);
  const plan = planDemo(index);
  const shenheWorker = plan.socialWorkers.find((worker) => worker.homeCountyCode === "210103");
  if (!shenheWorker) throw new Error("No social worker planned in 沈河区");
  const summary = {
    organisations: await insertNew(db, organisations, plan.organisations),
    communities: await insertNew(db, communities, plan.communities),
    socialWorkers: await insertNew(db, socialWorkers, plan.socialWorkers),
    volunteerTeams: await insertNew(db, volunteerTeams, plan.volunteerTeams),
    volunteers: await insertNew(db, volunteers, await sealVolunteers(keys, plan.volunteers)),
    accounts: await insertNew(db, accounts, planAccounts(plan.communities, shenheWorker)),
    events: 0,
    requests: 0,
  };
  const now = options.now ?? new Date();
  const upcoming = planUpcomingEvents(plan, now);
  summary.events = await insertNew(db, events, upcoming.events);
  if (summary.events > 0) await insertNew(db, eventTeams, upcoming.eventTeams);
  const recorders = new Map(
    planAccounts(plan.communities, shenheWorker).flatMap((account) =>
      account.role === "coordinator" ? [[account.communityId, account.id] as const] : [],
    ),
  );
  summary.events += await seedDemoYear(db, plan, index.counties, {
    now,
    recorders,
    signers: new Map([[shenheWorker.id, demoAccountIds.socialWorker]]),
  });
  summary.requests = await seedDemoRequests(db, plan.communities, now);
  await setDemoLogins(db);
  return summary;
}
