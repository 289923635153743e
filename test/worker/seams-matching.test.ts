import { and, eq, gt, lt, ne, or } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events, eventTeams, matchingRuns } from "../../src/db/schema";
import {
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeSocialWorker,
  makeTeam,
} from "./factories";
import { call, errorOf, withDb } from "./helpers";

/*
 * Picking a candidate and accepting a stored plan check the same things, as things stand now
 * (issue "One owner for every state change"). A county no other test file touches keeps these
 * needs, workers and teams apart from everyone else's.
 */
const county = "210505"; // 南芬区

const DAY = 86_400_000;

type RunBody = {
  id: string;
  plan: { needId: string; socialWorkerId: string; teamId: string; start: string; end: string }[];
  unmatched: { needId: string; reason: string }[];
};
type AcceptBody = {
  booked: number;
  results: { needId: string; eventId?: string; error?: { code: string; reasons?: string[] } }[];
};

async function setting() {
  const admin = await makeActor({ role: "admin" });
  const community = await makeCommunity(county);
  const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  return { admin, community, coordinator };
}

describe("picking one candidate", () => {
  it("is refused (409 worker_at_capacity) when the social worker's week is already full", async () => {
    const { community, coordinator } = await setting();
    const worker = await makeSocialWorker(county, { skills: ["counselling"], weeklyCapacity: 1 });
    const team = await makeTeam(county, { skills: ["counselling"], size: 10 });
    const day = futureDay();
    // The worker's one event of that week, on the same day.
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 08:00`),
      end: at(`${day} 09:00`),
    });
    const need = await makeNeed(community.id, {
      windows: [{ start: at(`${day} 13:00`), end: at(`${day} 17:00`) }],
    });
    const response = await call("POST", `/api/v1/needs/${need.id}/accept`, {
      token: coordinator.token,
      json: { socialWorkerId: worker.id, teamId: team.id, start: `${day}T14:00:00+08:00` },
    });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ reasons: ["worker_at_capacity"] });
  });
});

describe("accepting a stored plan", () => {
  /** A run over one day with one need that only our worker and team can serve. */
  async function plannedRun() {
    const { admin, community, coordinator } = await setting();
    const worker = await makeSocialWorker(county, {
      certificateLevel: "senior",
      skills: ["mediation", "legal_aid"],
      weeklyCapacity: 5,
    });
    const team = await makeTeam(county, { skills: ["mediation", "legal_aid"], size: 437 });
    const day = futureDay();
    const need = await makeNeed(community.id, {
      serviceType: "mediation",
      requiredSkills: ["legal_aid"],
      minCertificateLevel: "senior",
      volunteersNeeded: 437,
      windows: [{ start: at(`${day} 09:00`), end: at(`${day} 12:00`) }],
      durationMinutes: 60,
    });
    const response = await call("POST", "/api/v1/matching/runs", {
      token: admin.token,
      json: { regionCode: county, from: `${day}T00:00:00+08:00`, to: `${day}T23:59:00+08:00` },
    });
    expect(response.status).toBe(201);
    const run = (await response.json()) as RunBody;
    const entry = run.plan.find((e) => e.needId === need.id);
    if (!entry) throw new Error(`the need was not planned: ${JSON.stringify(run.unmatched)}`);
    return { admin, coordinator, worker, team, need, run, entry, day };
  }

  async function accept(token: string, runId: string, needId: string) {
    const response = await call("POST", `/api/v1/matching/runs/${runId}/accept`, {
      token,
      json: { needIds: [needId] },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as AcceptBody).results[0];
  }

  it("refuses an entry whose social worker was deactivated since", async () => {
    const { admin, coordinator, run, entry } = await plannedRun();
    const gone = await call("DELETE", `/api/v1/social-workers/${entry.socialWorkerId}`, {
      token: admin.token,
    });
    expect(gone.status).toBe(200);
    const result = await accept(coordinator.token, run.id, entry.needId);
    expect(result?.eventId).toBeUndefined();
    expect(result?.error).toMatchObject({ code: "CONFLICT", reasons: ["worker_inactive"] });
  });

  it("refuses an entry whose need changed so the planned start is no longer in its windows", async () => {
    const { coordinator, run, entry, day } = await plannedRun();
    const changed = await call("PATCH", `/api/v1/needs/${entry.needId}`, {
      token: coordinator.token,
      json: { windows: [{ start: `${day}T15:00:00+08:00`, end: `${day}T18:00:00+08:00` }] },
    });
    expect(changed.status).toBe(200);
    const result = await accept(coordinator.token, run.id, entry.needId);
    expect(result?.error).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("refuses an entry whose start has passed", async () => {
    const { coordinator, run, entry } = await plannedRun();
    const past = new Date(Date.now() - DAY);
    // The plan as stored, with its start moved into the past; the need's windows allow it.
    const plan = run.plan.map((e) =>
      e.needId === entry.needId
        ? {
            ...e,
            start: past.toISOString(),
            end: new Date(past.getTime() + 3_600_000).toISOString(),
          }
        : e,
    );
    await withDb(async (db) => {
      await db.update(matchingRuns).set({ plan }).where(eq(matchingRuns.id, run.id));
    });
    const widened = await call("PATCH", `/api/v1/needs/${entry.needId}`, {
      token: coordinator.token,
      json: {
        windows: [
          {
            start: new Date(past.getTime() - 3_600_000).toISOString(),
            end: new Date(past.getTime() + 3_600_000).toISOString(),
          },
          { start: entry.start, end: entry.end },
        ],
      },
    });
    expect(widened.status).toBe(200);
    const result = await accept(coordinator.token, run.id, entry.needId);
    expect(result?.error).toMatchObject({ code: "CONFLICT", reason: "start_in_past" });
  });

  it("books an entry that still fits", async () => {
    const { coordinator, run, entry } = await plannedRun();
    const result = await accept(coordinator.token, run.id, entry.needId);
    expect(result?.eventId).toBeDefined();
  });
});

describe("planning a run", () => {
  it("knows a social worker's events in every week the needs' windows touch, not only the period's", async () => {
    const { admin, community } = await setting();
    const worker = await makeSocialWorker(county, {
      certificateLevel: "senior",
      skills: ["emergency", "first_aid", "legal_aid"],
      weeklyCapacity: 5,
    });
    // The only team large enough for the need: whoever leads, this team serves.
    const team = await makeTeam(county, {
      skills: ["emergency", "first_aid", "legal_aid"],
      size: 451,
    });
    const day = futureDay();
    const periodEnd = at(`${day} 23:00`);
    // Busy from the period's last hour for ten days, then once more right after: the earliest
    // free start is after both, which a run that loads only the period ±7 days cannot see.
    const busyUntil = new Date(periodEnd.getTime() + 10 * DAY);
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      teamIds: [team.id],
      start: new Date(periodEnd.getTime() - 3_600_000),
      end: busyUntil,
    });
    const later = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      teamIds: [team.id],
      start: busyUntil,
      end: new Date(busyUntil.getTime() + 2 * 3_600_000),
    });
    const need = await makeNeed(community.id, {
      serviceType: "emergency",
      requiredSkills: ["first_aid", "legal_aid"],
      minCertificateLevel: "senior",
      volunteersNeeded: 451,
      durationMinutes: 60,
      windows: [
        {
          start: new Date(periodEnd.getTime() - 3_600_000),
          end: new Date(busyUntil.getTime() + DAY),
        },
      ],
    });
    const response = await call("POST", "/api/v1/matching/runs", {
      token: admin.token,
      json: { regionCode: county, from: `${day}T00:00:00+08:00`, to: periodEnd.toISOString() },
    });
    expect(response.status).toBe(201);
    const run = (await response.json()) as RunBody;
    const entry = run.plan.find((e) => e.needId === need.id);
    expect(entry).toBeDefined();
    if (!entry) return;
    const clashes = await withDb((db) =>
      db
        .select({ id: events.id })
        .from(events)
        .leftJoin(eventTeams, eq(eventTeams.eventId, events.id))
        .where(
          and(
            or(
              eq(events.leadSocialWorkerId, entry.socialWorkerId),
              eq(eventTeams.teamId, entry.teamId),
            ),
            ne(events.status, "cancelled"),
            lt(events.startsAt, new Date(entry.end)),
            gt(events.endsAt, new Date(entry.start)),
          ),
        ),
    );
    expect(clashes).toEqual([]);
    if (entry.teamId === team.id)
      expect(new Date(entry.start).getTime()).toBeGreaterThanOrEqual(later.endsAt.getTime());
  });
});
