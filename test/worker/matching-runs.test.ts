import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events, socialWorkers, volunteerTeams } from "../../src/db/schema";
import {
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeNeed,
  makeSocialWorker,
  makeTeam,
} from "./factories";
import { call, withDb } from "./helpers";

type Run = {
  id: string;
  totalScore: number;
  plan: {
    needId: string;
    socialWorkerId: string;
    teamId: string;
    start: string;
    end: string;
    score: number;
  }[];
  unmatched: { needId: string; reason: string }[];
  stats: { matchedBound: number; scoreBound: number; gap: number };
};

// A county of its own per test run keeps this test's needs apart from every other test's.
// A county no other test file touches: CSV imports add social workers and teams to 兴城市 (211481)
// at the same time, which on real PostgreSQL could make the impossible need possible.
const county = "211281"; // 调兵山市

describe("batch matching runs", () => {
  it("plans every open need of a region and period without double-booking, and says why the rest are unmatched", async () => {
    const admin = await makeActor({ role: "admin" });
    const community = await makeCommunity(county);
    const day = futureDay();
    const window = [{ start: at(`${day} 09:00`), end: at(`${day} 10:00`) }];
    // One worker with capacity 2 and one team: at most 2 of the 3 same-time needs can ever fit.
    await makeSocialWorker(county, { skills: ["mediation"], weeklyCapacity: 2 });
    await makeTeam(county, { skills: ["mediation"], size: 20 });
    const made = await Promise.all(
      [1, 2, 3].map(() =>
        makeNeed(community.id, { serviceType: "mediation", windows: window, durationMinutes: 60 }),
      ),
    );
    const impossible = await makeNeed(community.id, {
      serviceType: "legal_aid",
      minCertificateLevel: "senior",
      windows: window,
      volunteersNeeded: 500,
    });
    const response = await call("POST", "/api/v1/matching/runs", {
      token: admin.token,
      json: { regionCode: county, from: `${day}T00:00:00+08:00`, to: `${day}T23:59:00+08:00` },
    });
    expect(response.status).toBe(201);
    const run = (await response.json()) as Run;
    const ours = new Set([...made.map((n) => n.id), impossible.id]);
    const entries = run.plan.filter((e) => ours.has(e.needId));
    expect(entries.length).toBeGreaterThanOrEqual(1);
    for (const a of entries) {
      for (const b of entries) {
        if (a === b) continue;
        const overlap = a.start < b.end && b.start < a.end;
        if (overlap)
          expect(a.socialWorkerId === b.socialWorkerId || a.teamId === b.teamId).toBe(false);
      }
    }
    // Runs draw on every social worker and team of the province, and other test files (the
    // fuzz among them) add senior legal-aid workers and large teams at random: the "impossible"
    // need is then either unmatched with a reason, or matched to resources that really qualify.
    const unmatchedIds = run.unmatched.map((u) => u.needId);
    const placed = run.plan.find((e) => e.needId === impossible.id);
    if (placed) {
      const [worker] = await withDb((db) =>
        db.select().from(socialWorkers).where(eq(socialWorkers.id, placed.socialWorkerId)),
      );
      const [team] = await withDb((db) =>
        db.select().from(volunteerTeams).where(eq(volunteerTeams.id, placed.teamId)),
      );
      expect(worker?.certificateLevel).toBe("senior");
      expect(team?.size).toBeGreaterThanOrEqual(500);
    } else {
      expect(unmatchedIds).toContain(impossible.id);
    }
    expect(run.unmatched.every((u) => u.reason.length > 0)).toBe(true);
    // The run says how far its plan is at most from the best the rules allow.
    expect(run.stats.matchedBound).toBeGreaterThanOrEqual(run.plan.length);
    expect(run.stats.scoreBound).toBeGreaterThanOrEqual(run.totalScore - 1e-6);
    expect(run.stats.gap).toBeCloseTo(1 - run.totalScore / run.stats.scoreBound, 9);
    const stored = await call("GET", `/api/v1/matching/runs/${run.id}`, { token: admin.token });
    expect(((await stored.json()) as Run).stats).toEqual(run.stats);
    expect(entries.length + run.unmatched.filter((u) => ours.has(u.needId)).length).toBe(4);

    // The community's coordinator sees its own unmatched needs, and no other community's.
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const seen = (await (
      await call("GET", `/api/v1/matching/runs/${run.id}`, { token: coordinator.token })
    ).json()) as Run;
    const unmatchedHere = run.unmatched.filter((u) => ours.has(u.needId)).map((u) => u.needId);
    expect(seen.unmatched.map((u) => u.needId).sort()).toEqual(unmatchedHere.sort());
    expect(seen.unmatched.every((u) => ours.has(u.needId))).toBe(true);
  });

  it("accepts a plan entry by entry, creating one event each", async () => {
    const admin = await makeActor({ role: "admin" });
    const community = await makeCommunity(county);
    const day = futureDay();
    await makeSocialWorker(county, { skills: ["recreation"], weeklyCapacity: 5 });
    await makeTeam(county, { skills: ["recreation"], size: 20 });
    const need = await makeNeed(community.id, {
      serviceType: "recreation",
      windows: [{ start: at(`${day} 14:00`), end: at(`${day} 16:00`) }],
    });
    const run = (await (
      await call("POST", "/api/v1/matching/runs", {
        token: admin.token,
        json: { regionCode: county, from: `${day}T00:00:00+08:00`, to: `${day}T23:59:00+08:00` },
      })
    ).json()) as Run;
    expect(run.plan.map((e) => e.needId)).toContain(need.id);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const accepted = await call("POST", `/api/v1/matching/runs/${run.id}/accept`, {
      token: coordinator.token,
      json: { needIds: [need.id] },
    });
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as {
      booked: number;
      results: { needId: string; eventId?: string }[];
    };
    expect(body.booked).toBe(1);
    const eventId = body.results[0]?.eventId ?? "";
    const [event] = await withDb((db) => db.select().from(events).where(eq(events.id, eventId)));
    expect(event?.needId).toBe(need.id);
    // Accepting again books nothing more: the need is no longer open.
    const again = (await (
      await call("POST", `/api/v1/matching/runs/${run.id}/accept`, {
        token: coordinator.token,
        json: { needIds: [need.id] },
      })
    ).json()) as { booked: number };
    expect(again.booked).toBe(0);
    const count = await withDb((db) =>
      db
        .select()
        .from(events)
        .where(inArray(events.needId, [need.id])),
    );
    expect(count).toHaveLength(1);
  });

  it("answers 404 when a county department plans another county", async () => {
    const department = await makeActor({ role: "department", regionCode: "210103" });
    const response = await call("POST", "/api/v1/matching/runs", {
      token: department.token,
      json: {
        regionCode: county,
        from: "2031-01-01T00:00:00+08:00",
        to: "2031-01-31T00:00:00+08:00",
      },
    });
    expect(response.status).toBe(404);
  });

  it("answers 400 for a period longer than a quarter", async () => {
    const admin = await makeActor({ role: "admin" });
    const response = await call("POST", "/api/v1/matching/runs", {
      token: admin.token,
      json: {
        regionCode: county,
        from: "2031-01-01T00:00:00+08:00",
        to: "2031-12-31T00:00:00+08:00",
      },
    });
    expect(response.status).toBe(400);
  });
});
