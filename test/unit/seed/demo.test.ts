import { count, countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDatabase, startPglite } from "../../../scripts/lib/database";
import {
  assertLocalDatabase,
  type DemoSummary,
  demoAccountIds,
  seedDemo,
} from "../../../scripts/seed/demo";
import { readLiaoningRegions, seedRegions } from "../../../scripts/seed/regions";
import {
  accounts,
  communities,
  events,
  organisations,
  regions,
  requests,
  socialWorkers,
  volunteers,
  volunteerTeams,
} from "../../../src/db/schema";
import {
  decryptPersonal,
  importPersonalDataKeys,
  lookupHash,
  type PersonalDataKeys,
} from "../../../src/lib/personal-data";

const NEON_URL = "postgres://u:p@ep-cool-name.neon.tech/db";

let local: LocalDatabase;
let keys: PersonalDataKeys;
let firstRun: DemoSummary;
let secondRun: DemoSummary;
let regionsUpserted: number;
const countsAfterFirstRun: Record<string, number> = {};

const tables = {
  communities,
  organisations,
  socialWorkers,
  volunteerTeams,
  volunteers,
  accounts,
  events,
  requests,
};

async function tableCounts(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => [name, await local.db.$count(table)]),
  );
  return Object.fromEntries(entries);
}

beforeAll(async () => {
  const dataKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  keys = await importPersonalDataKeys(dataKey);
  local = await startPglite();
  await seedRegions(local.db);
  firstRun = await seedDemo(local.db, keys, { databaseUrl: local.databaseUrl });
  Object.assign(countsAfterFirstRun, await tableCounts());
  regionsUpserted = await seedRegions(local.db);
  secondRun = await seedDemo(local.db, keys, { databaseUrl: local.databaseUrl });
});

afterAll(async () => {
  await local?.close();
});

describe("seedRegions", () => {
  it("upserts every row of liaoning-regions.csv, and a re-run adds none", async () => {
    const csvRows = readLiaoningRegions().length;
    expect(regionsUpserted).toBe(csvRows);
    expect(await local.db.$count(regions)).toBe(csvRows);
  });
});

describe("seedDemo", () => {
  it("seeds one pilot community in each of the 100 counties", async () => {
    const [row] = await local.db
      .select({ pilots: count(), counties: countDistinct(communities.countyCode) })
      .from(communities)
      .where(eq(communities.isPilot, true));
    expect(row).toEqual({ pilots: 100, counties: 100 });
  });

  it("uses the pilot communities named in the 2025 report", async () => {
    const rows = await local.db
      .select({ code: communities.regionCode, name: communities.name })
      .from(communities)
      .where(sql`${communities.regionCode} IN ('210103005024', '210104002014', '210202001002')`)
      .orderBy(communities.regionCode);
    expect(rows.map((row) => row.name)).toEqual(["多福社区", "北苑社区", "春海社区"]);
  });

  it("seeds 8 universities, 14 agencies and 20 volunteer organisations", async () => {
    const rows = await local.db
      .select({ kind: organisations.kind, n: count() })
      .from(organisations)
      .groupBy(organisations.kind);
    expect(Object.fromEntries(rows.map((row) => [row.kind, row.n]))).toEqual({
      university: 8,
      agency: 14,
      volunteer_org: 20,
    });
  });

  it("seeds at least 200 social workers with every county covered at least twice", async () => {
    const perCounty = await local.db
      .select({ county: socialWorkers.homeCountyCode, n: count() })
      .from(socialWorkers)
      .groupBy(socialWorkers.homeCountyCode);
    expect(perCounty).toHaveLength(100);
    expect(Math.min(...perCounty.map((row) => row.n))).toBeGreaterThanOrEqual(2);
    expect(perCounty.reduce((sum, row) => sum + row.n, 0)).toBeGreaterThanOrEqual(200);
  });

  it("mixes certificate levels with juniors the majority and seniors the fewest", async () => {
    const rows = await local.db
      .select({ level: socialWorkers.certificateLevel, n: count() })
      .from(socialWorkers)
      .groupBy(socialWorkers.certificateLevel);
    const levels = Object.fromEntries(rows.map((row) => [row.level, row.n]));
    expect(levels.junior).toBeGreaterThan(levels.intermediate ?? 0);
    expect(levels.intermediate).toBeGreaterThan(levels.senior ?? 0);
    expect(levels.senior).toBeGreaterThan(0);
  });

  it("seeds a volunteer team in every county, each sized by its members", async () => {
    const [teams] = await local.db
      .select({ n: count(), counties: countDistinct(volunteerTeams.countyCode) })
      .from(volunteerTeams);
    expect(teams?.counties).toBe(100);
    const mismatched = await local.db
      .select({ id: volunteerTeams.id })
      .from(volunteerTeams)
      .leftJoin(volunteers, eq(volunteers.teamId, volunteerTeams.id))
      .groupBy(volunteerTeams.id, volunteerTeams.size)
      .having(sql`count(${volunteers.id}) <> ${volunteerTeams.size}`);
    expect(mismatched).toEqual([]);
  });

  it("seeds at least 1,100 volunteers", async () => {
    expect(await local.db.$count(volunteers)).toBeGreaterThanOrEqual(1_100);
  });

  it("stores no plaintext mobile number, only ciphertext, keyed hash and mask", async () => {
    const rows = await local.db.select().from(volunteers);
    for (const row of rows) {
      const mobile = await decryptPersonal(keys, row.mobileCiphertext);
      expect(mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(JSON.stringify(row)).not.toContain(mobile);
      expect(row.mobileHash).toBe(await lookupHash(keys, mobile));
      expect(row.mobileMasked).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    }
  });

  it("creates the demo staff accounts under their exported ids", async () => {
    const rows = await local.db.select({ id: accounts.id, role: accounts.role }).from(accounts);
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(Object.values(demoAccountIds)));
    const roleOf = (id: string) => rows.find((row) => row.id === id)?.role;
    expect(roleOf(demoAccountIds.admin)).toBe("admin");
    expect(roleOf(demoAccountIds.shenheDepartment)).toBe("department");
    expect(roleOf(demoAccountIds.duofuCoordinator)).toBe("coordinator");
    expect(roleOf(demoAccountIds.socialWorker)).toBe("social_worker");
  });

  it("reports what the first run inserted", () => {
    expect(firstRun).toEqual(countsAfterFirstRun);
  });

  it("inserts nothing on a second run", async () => {
    expect(Object.values(secondRun).every((n) => n === 0)).toBe(true);
    expect(await tableCounts()).toEqual(countsAfterFirstRun);
  });

  it("refuses to run against a non-local database", async () => {
    await expect(seedDemo(local.db, keys, { databaseUrl: NEON_URL })).rejects.toThrow(/non-local/);
  });
});

describe("assertLocalDatabase", () => {
  it("refuses a Neon URL", () => {
    expect(() => assertLocalDatabase(NEON_URL)).toThrow(/non-local/);
  });

  it("refuses a URL it cannot parse", () => {
    expect(() => assertLocalDatabase("not a url")).toThrow();
  });

  it("accepts embedded PGlite and loopback hosts", () => {
    for (const url of [
      undefined,
      "postgres://postgres:postgres@localhost:5432/postgres",
      "postgres://postgres:postgres@127.0.0.1:5432/postgres",
      "postgres://postgres:postgres@[::1]:5432/postgres",
    ]) {
      expect(() => assertLocalDatabase(url)).not.toThrow();
    }
  });
});

describe("seedDemo: a year of requests (问需)", () => {
  it("holds requests from riders and older residents' families, most answered in time, many rated", async () => {
    const rows = await local.db
      .select({
        askerKind: requests.askerKind,
        status: requests.status,
        onTime: sql<boolean>`${requests.firstAnsweredAt} <= ${requests.answerDueAt}`,
        rating: requests.rating,
        needId: requests.needId,
        mobile: requests.mobileCiphertext,
      })
      .from(requests);
    expect(rows.length).toBeGreaterThan(3000);
    const share = (test: (row: (typeof rows)[number]) => boolean) =>
      rows.filter(test).length / rows.length;
    expect(share((row) => row.askerKind === "delivery_rider")).toBeGreaterThan(0.15);
    expect(share((row) => row.askerKind === "family_elderly")).toBeGreaterThan(0.12);
    expect(share((row) => row.needId !== null)).toBeGreaterThan(0.3);
    expect(share((row) => row.onTime === true)).toBeGreaterThan(0.7);
    expect(share((row) => row.rating !== null)).toBeGreaterThan(0.3);
    expect(rows.every((row) => row.mobile === null)).toBe(true);
  });
});
