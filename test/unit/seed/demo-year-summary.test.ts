/**
 * The demo year seeded into PGlite gives the 2025 report's figures through pilotSummary (from the
 * outcome records), and the trigger-kept rollups and the tally query agree with it.
 */
import { and, eq, gte, lte, sql, sum } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDatabase, startPglite } from "../../../scripts/lib/database";
import { seedDemo } from "../../../scripts/seed/demo";
import { seedRegions } from "../../../scripts/seed/regions";
import {
  events,
  outcomes,
  tallyGroupRollup,
  tallyRollup,
  tallySocialWorkers,
  tallyVolunteers,
} from "../../../src/db/schema";
import { importPersonalDataKeys, type PersonalDataKeys } from "../../../src/lib/personal-data";
import { type OutcomeRecord, outcomeRecordWalk } from "../../../src/outcomes/records";
import { tally } from "../../../src/tallies/query";
import { type PilotSummary, pilotSummary } from "../../../src/tallies/summary";

let local: LocalDatabase;
let keys: PersonalDataKeys;
let summary: PilotSummary;
let seededEvents: number;
let reseededEvents: number;

const in2025 = (month: AnyPgColumn) => and(gte(month, "2025-01-01"), lte(month, "2025-12-01"));

beforeAll(async () => {
  keys = await importPersonalDataKeys(Buffer.alloc(32, 7).toString("base64"));
  local = await startPglite();
  await seedRegions(local.db);
  const now = new Date("2026-11-22T12:00:00+08:00");
  seededEvents = (await seedDemo(local.db, keys, { databaseUrl: local.databaseUrl, now })).events;
  reseededEvents = (await seedDemo(local.db, keys, { databaseUrl: local.databaseUrl, now })).events;
  summary = await pilotSummary(local.db, "210000", 2025);
});

afterAll(async () => {
  await local?.close();
});

describe("the demo year's pilot summary for Liaoning, 2025", () => {
  it("lands in the 2025 report's ranges", () => {
    expect(summary.pilotCommunities).toBe(100);
    expect(summary.pilotCommunitiesWithEvents).toBe(100);
    expect(summary.socialWorkers).toBeGreaterThanOrEqual(200);
    expect(summary.socialWorkers).toBeLessThanOrEqual(230);
    expect(summary.volunteers).toBeGreaterThanOrEqual(1_100);
    expect(summary.volunteers).toBeLessThanOrEqual(1_220);
    expect(summary.events).toBeGreaterThanOrEqual(1_500);
    expect(summary.events).toBeLessThan(3_000);
    expect(summary.personTimes).toBeGreaterThanOrEqual(50_000);
    expect(summary.personTimes).toBeLessThan(150_000);
    expect(summary.adjustedPersonTimes).toBe(0);
    expect(summary.volunteerHours).toBeGreaterThan(0);
  });

  it("involves universities, agencies and volunteer organisations", () => {
    expect(summary.organisations.university).toBeGreaterThan(0);
    expect(summary.organisations.agency).toBeGreaterThan(0);
    expect(summary.organisations.volunteer_org).toBeGreaterThan(0);
    expect(summary.organisations.university).toBeLessThanOrEqual(8);
    expect(summary.organisations.agency).toBeLessThanOrEqual(14);
    expect(summary.organisations.volunteer_org).toBeLessThanOrEqual(20);
  });

  it("counts every seeded past event, each completed with a signed-off outcome", async () => {
    const [row] = await local.db
      .select({
        completed: sql<number>`count(*) filter (where ${events.status} = 'completed')::int`,
        signedOff: sql<number>`count(${outcomes.eventId}) filter (where ${outcomes.status} = 'signed_off' and ${outcomes.signedOffAt} is not null)::int`,
      })
      .from(events)
      .leftJoin(outcomes, eq(outcomes.eventId, events.id));
    expect(row?.completed).toBe(summary.events);
    expect(row?.signedOff).toBe(summary.events);
    // The upcoming dozen are the rest.
    expect(seededEvents - summary.events).toBe(12);
  });

  it("adds nothing when seeded again", async () => {
    expect(reseededEvents).toBe(0);
    expect(await pilotSummary(local.db, "210000", 2025)).toEqual(summary);
  });
});

describe("the tally rollups over the demo year", () => {
  it("sum to the summary's events, person-times and volunteer hours", async () => {
    const [row] = await local.db
      .select({
        events: sum(tallyRollup.events).mapWith(Number),
        personTimes: sum(tallyRollup.personTimes).mapWith(Number),
        volunteerHours: sum(tallyRollup.volunteerHours).mapWith(Number),
      })
      .from(tallyRollup)
      .where(in2025(tallyRollup.month));
    expect(row).toEqual({
      events: summary.events,
      personTimes: summary.personTimes,
      volunteerHours: summary.volunteerHours,
    });
    const [groups] = await local.db
      .select({ personTimes: sum(tallyGroupRollup.personTimes).mapWith(Number) })
      .from(tallyGroupRollup)
      .where(in2025(tallyGroupRollup.month));
    expect(groups?.personTimes).toBe(summary.personTimes);
  });

  it("hold the summary's distinct social workers and volunteers", async () => {
    const [workers] = await local.db
      .select({ n: sql<number>`count(distinct ${tallySocialWorkers.socialWorkerId})::int` })
      .from(tallySocialWorkers)
      .where(in2025(tallySocialWorkers.month));
    const [volunteers] = await local.db
      .select({ n: sql<number>`count(distinct ${tallyVolunteers.volunteerKey})::int` })
      .from(tallyVolunteers)
      .where(in2025(tallyVolunteers.month));
    expect(workers?.n).toBe(summary.socialWorkers);
    expect(volunteers?.n).toBe(summary.volunteers);
  });

  it("give the tally query the same totals, month by month", async () => {
    const result = await tally(
      local.db,
      { region: "210000", from: "2025-01", to: "2025-12", groupBy: ["month"] },
      { code: "210000", name: "辽宁省", level: "province" },
    );
    expect(result.totals).toMatchObject({
      events: summary.events,
      personTimes: summary.personTimes,
      uniqueVolunteers: summary.volunteers,
      volunteerHours: summary.volunteerHours,
      activeSocialWorkers: summary.socialWorkers,
      communitiesReached: 100,
    });
    expect(result.rows).toHaveLength(12);
    expect(result.rows.every((row) => (row.events ?? 0) > 0)).toBe(true);
    expect(result.rows.reduce((n, row) => n + (row.events ?? 0), 0)).toBe(summary.events);
    expect(result.awaitingSignOff).toBe(0);
  });

  it("equal a fresh tally_rebuild() from the outcome records", async () => {
    const snapshot = async () => ({
      rollup: await local.db.select().from(tallyRollup).orderBy(sql`1, 3, 4, 5`),
      groups: await local.db.select().from(tallyGroupRollup).orderBy(sql`1, 3, 4, 5, 6`),
      workers: await local.db.select().from(tallySocialWorkers).orderBy(sql`1, 3, 4, 5`),
      volunteers: await local.db.select().from(tallyVolunteers).orderBy(sql`1, 3, 4, 5`),
    });
    const kept = await snapshot();
    await local.db.execute(sql`SELECT tally_rebuild()`);
    expect(await snapshot()).toEqual(kept);
  });
  it("can be recomputed from the bulk records alone: the summary and the tally, to the unit", async () => {
    const admin = {
      accountId: "admin",
      name: "admin",
      role: "admin" as const,
      scope: { kind: "all" as const },
      tokenId: "t",
    };
    const records: OutcomeRecord[] = [];
    let pages = 0;
    for await (const page of outcomeRecordWalk(
      { db: local.db, keys, principal: admin },
      { region: "210000", from: "2025-01", to: "2025-12" },
    )) {
      records.push(...page);
      pages++;
    }
    expect(pages).toBe(Math.ceil(records.length / 500));
    const held = records.filter((r) => r.status === "signed_off" && r.month.startsWith("2025-"));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const recomputed = {
      events: held.length,
      personTimes: sum(held.map((r) => sum(Object.values(r.personTimes).map((n) => n ?? 0)))),
      volunteers: new Set(held.flatMap((r) => r.volunteers)).size,
      volunteerHours: sum(held.map((r) => r.volunteerHours)),
      socialWorkers: new Set(held.map((r) => r.leadSocialWorkerId)).size,
      pilotCommunitiesWithEvents: new Set(held.map((r) => r.communityId)).size,
    };
    expect(recomputed).toEqual({
      events: summary.events,
      personTimes: summary.personTimes,
      volunteers: summary.volunteers,
      volunteerHours: summary.volunteerHours,
      socialWorkers: summary.socialWorkers,
      pilotCommunitiesWithEvents: summary.pilotCommunitiesWithEvents,
    });
    const result = await tally(
      local.db,
      { region: "210000", from: "2025-01", to: "2025-12", groupBy: [] },
      { code: "210000", name: "辽宁省", level: "province" },
    );
    expect(result.totals).toMatchObject({
      events: recomputed.events,
      personTimes: recomputed.personTimes,
      uniqueVolunteers: recomputed.volunteers,
      volunteerHours: recomputed.volunteerHours,
      activeSocialWorkers: recomputed.socialWorkers,
      communitiesReached: recomputed.pilotCommunitiesWithEvents,
      volunteersAttended: sum(held.map((r) => r.volunteersAttended)),
    });
  });
});
