import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, needs } from "../../src/db/schema";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";
import { call, errorOf, withDb } from "./helpers";

type Candidate = {
  rank: number;
  socialWorkerId: string;
  teamId: string;
  start: string;
  score: number;
  parts: Record<string, number>;
};
type Candidates = { candidates: Candidate[]; excluded: Record<string, number>; considered: number };
type Event = {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  leadResponse: string;
  teamIds: string[];
};

describe("candidates, picking one, and the events that follow", () => {
  let community: { id: string };
  let coordinator: Actor;
  beforeAll(async () => {
    community = await makeCommunity(places.shenhe, { isPilot: true });
    coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  });

  it("ranks candidates with score parts that add up to the total, and counts exclusions", async () => {
    await makeSocialWorker(places.shenhe, { certificateLevel: "senior", skills: ["counselling"] });
    await makeSocialWorker(places.shenhe, {
      certificateLevel: "intermediate",
      skills: ["counselling"],
    });
    await makeSocialWorker(places.shenhe, { certificateLevel: "junior", skills: ["counselling"] });
    await makeTeam(places.shenhe, { skills: ["counselling"], size: 10 });
    await makeTeam(places.shenhe, { skills: ["first_aid"], size: 10 });
    const need = await makeNeed(community.id, { minCertificateLevel: "intermediate" });
    const response = await call("GET", `/api/v1/needs/${need.id}/candidates`, {
      token: coordinator.token,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Candidates;
    expect(body.candidates.length).toBeGreaterThan(1);
    for (const candidate of body.candidates) {
      const sum = Object.values(candidate.parts).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(candidate.score, 5);
      expect(Object.keys(candidate.parts).sort()).toEqual(
        ["availability", "certificate", "distance", "load", "pastWork", "skillFit"].sort(),
      );
    }
    const scores = body.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.excluded.certificate_below_minimum ?? 0).toBeGreaterThan(0);
  });

  it("answers 404 for another community's need", async () => {
    const other = await makeCommunity(places.shenhe);
    const need = await makeNeed(other.id);
    expect(
      (await call("GET", `/api/v1/needs/${need.id}/candidates`, { token: coordinator.token }))
        .status,
    ).toBe(404);
  });

  it("creates an event from a candidate that is not first and marks the need matched", async () => {
    const worker = await makeSocialWorker(places.shenhe, { skills: ["counselling"] });
    const team = await makeTeam(places.shenhe, { skills: ["counselling"] });
    const need = await makeNeed(community.id);
    const [window] = need.windows;
    const response = await call("POST", `/api/v1/needs/${need.id}/accept`, {
      token: coordinator.token,
      json: { socialWorkerId: worker.id, teamId: team.id, start: window?.start },
    });
    expect(response.status).toBe(201);
    const event = (await response.json()) as Event;
    expect(event).toMatchObject({
      status: "scheduled",
      leadResponse: "pending",
      teamIds: [team.id],
    });
    expect(new Date(event.endsAt).getTime() - new Date(event.startsAt).getTime()).toBe(
      120 * 60_000,
    );
    const [stored] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
    expect(stored?.status).toBe("matched");
  });

  it("answers 409 OVERLAP naming the conflicting event when the social worker is already booked", async () => {
    const worker = await makeSocialWorker(places.shenhe);
    const team = await makeTeam(places.shenhe);
    const need = await makeNeed(community.id);
    const start = new Date(need.windows[0]?.start ?? "");
    const existing = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start,
      end: new Date(start.getTime() + 3_600_000),
    });
    const response = await call("POST", `/api/v1/needs/${need.id}/accept`, {
      token: coordinator.token,
      json: { socialWorkerId: worker.id, teamId: team.id, start: start.toISOString() },
    });
    expect(response.status).toBe(409);
    const error = (await response.json()) as {
      error: { code: string; conflictingEventId: string };
    };
    expect(error.error).toMatchObject({ code: "OVERLAP", conflictingEventId: existing.id });
    const [stored] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
    expect(stored?.status).toBe("open");
  });

  it("books exactly one of 20 simultaneous overlapping picks for one social worker", async () => {
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const team = await makeTeam(places.shenhe);
        const need = await makeNeed(community.id, {
          windows: [{ start: at(`${day} 09:00`), end: at(`${day} 12:00`) }],
        });
        const minutes = String(i * 3).padStart(2, "0");
        return { need, team, start: `${day}T10:${minutes}:00+08:00` };
      }),
    );
    const responses = await Promise.all(
      attempts.map(({ need, team, start }) =>
        call("POST", `/api/v1/needs/${need.id}/accept`, {
          token: coordinator.token,
          json: { socialWorkerId: worker.id, teamId: team.id, start },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const booked = await withDb((db) =>
      db.select().from(events).where(eq(events.leadSocialWorkerId, worker.id)),
    );
    expect(booked).toHaveLength(1);
  });

  describe("reschedule and cancel", () => {
    it("refuses a reschedule into a conflict with 409 and changes nothing", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const day = futureDay();
      const blocker = await makeEvent({
        communityId: community.id,
        socialWorkerId: worker.id,
        start: at(`${day} 14:00`),
        end: at(`${day} 16:00`),
      });
      const event = await makeEvent({
        communityId: community.id,
        socialWorkerId: worker.id,
        start: at(`${day} 09:00`),
        end: at(`${day} 11:00`),
      });
      const response = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
        token: coordinator.token,
        json: { start: `${day}T15:00:00+08:00`, reason: "场地冲突" },
      });
      expect(response.status).toBe(409);
      expect(
        ((await response.json()) as { error: { conflictingEventId: string } }).error
          .conflictingEventId,
      ).toBe(blocker.id);
      const [stored] = await withDb((db) =>
        db.select().from(events).where(eq(events.id, event.id)),
      );
      expect(stored?.startsAt.getTime()).toBe(at(`${day} 09:00`).getTime());
      expect(stored?.revision).toBe(0);
    });

    it("moves the event and its teams together, keeping the duration", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const team = await makeTeam(places.shenhe);
      const day = futureDay();
      const event = await makeEvent({
        communityId: community.id,
        socialWorkerId: worker.id,
        teamIds: [team.id],
        start: at(`${day} 09:00`),
        end: at(`${day} 11:00`),
      });
      const response = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
        token: coordinator.token,
        json: { start: `${day}T13:00:00+08:00`, reason: "居民午休后更方便" },
      });
      expect(response.status).toBe(200);
      const moved = (await response.json()) as Event;
      expect(new Date(moved.endsAt).getTime()).toBe(at(`${day} 15:00`).getTime());
      // The team's old slot is free now, its new one is not.
      const other = await makeSocialWorker(places.shenhe);
      await expect(
        makeEvent({
          communityId: community.id,
          socialWorkerId: other.id,
          teamIds: [team.id],
          start: at(`${day} 09:00`),
          end: at(`${day} 11:00`),
        }),
      ).resolves.toBeTruthy();
      const third = await makeSocialWorker(places.shenhe);
      await expect(
        makeEvent({
          communityId: community.id,
          socialWorkerId: third.id,
          teamIds: [team.id],
          start: at(`${day} 14:00`),
          end: at(`${day} 16:00`),
        }),
      ).rejects.toThrow();
    });

    it("cancels with a reason, reopens the need and frees the slot", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const team = await makeTeam(places.shenhe);
      const need = await makeNeed(community.id);
      const start = need.windows[0]?.start ?? "";
      const accepted = (await (
        await call("POST", `/api/v1/needs/${need.id}/accept`, {
          token: coordinator.token,
          json: { socialWorkerId: worker.id, teamId: team.id, start },
        })
      ).json()) as Event;
      const response = await call("POST", `/api/v1/events/${accepted.id}/cancel`, {
        token: coordinator.token,
        json: { reason: "暴雪预警" },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Event).status).toBe("cancelled");
      const [stored] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
      expect(stored?.status).toBe("open");
      const again = await call("POST", `/api/v1/needs/${need.id}/accept`, {
        token: coordinator.token,
        json: { socialWorkerId: worker.id, teamId: team.id, start },
      });
      expect(again.status).toBe(201);
    });

    it("answers 400 when a cancellation gives no reason", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const day = futureDay();
      const event = await makeEvent({
        communityId: community.id,
        socialWorkerId: worker.id,
        start: at(`${day} 09:00`),
        end: at(`${day} 10:00`),
      });
      const response = await call("POST", `/api/v1/events/${event.id}/cancel`, {
        token: coordinator.token,
        json: {},
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues.map((i) => i.path)).toContain("reason");
    });
  });

  describe("the lead social worker's answer", () => {
    it("accepting moves the need to scheduled; another social worker cannot see the event", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const team = await makeTeam(places.shenhe);
      const need = await makeNeed(community.id);
      const event = (await (
        await call("POST", `/api/v1/needs/${need.id}/accept`, {
          token: coordinator.token,
          json: { socialWorkerId: worker.id, teamId: team.id, start: need.windows[0]?.start },
        })
      ).json()) as Event;
      const stranger = await makeActor({
        role: "social_worker",
        socialWorkerId: (await makeSocialWorker(places.shenhe)).id,
      });
      expect(
        (await call("POST", `/api/v1/events/${event.id}/accept`, { token: stranger.token })).status,
      ).toBe(404);
      const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
      const response = await call("POST", `/api/v1/events/${event.id}/accept`, {
        token: lead.token,
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Event).leadResponse).toBe("accepted");
      const [stored] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
      expect(stored?.status).toBe("scheduled");
    });

    it("declining cancels the event and reopens the need", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const team = await makeTeam(places.shenhe);
      const need = await makeNeed(community.id);
      const event = (await (
        await call("POST", `/api/v1/needs/${need.id}/accept`, {
          token: coordinator.token,
          json: { socialWorkerId: worker.id, teamId: team.id, start: need.windows[0]?.start },
        })
      ).json()) as Event;
      const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
      const response = await call("POST", `/api/v1/events/${event.id}/decline`, {
        token: lead.token,
        json: { reason: "当天外出培训" },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "cancelled",
        leadResponse: "declined",
      });
      const [stored] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
      expect(stored?.status).toBe("open");
    });

    it("does not propose again the social worker who declined, and says why they are left out", async () => {
      const worker = await makeSocialWorker(places.shenhe, {
        certificateLevel: "senior",
        skills: ["counselling", "mediation"],
      });
      const team = await makeTeam(places.shenhe, { skills: ["counselling"], size: 12 });
      const need = await makeNeed(community.id);
      const ranked = async () =>
        (await (
          await call("GET", `/api/v1/needs/${need.id}/candidates`, { token: coordinator.token })
        ).json()) as Candidates;
      const event = (await (
        await call("POST", `/api/v1/needs/${need.id}/accept`, {
          token: coordinator.token,
          json: { socialWorkerId: worker.id, teamId: team.id, start: need.windows[0]?.start },
        })
      ).json()) as Event;
      const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
      await call("POST", `/api/v1/events/${event.id}/decline`, {
        token: lead.token,
        json: { reason: "当天另有安排" },
      });
      const after = await ranked();
      expect(after.candidates.map((c) => c.socialWorkerId)).not.toContain(worker.id);
      expect(after.excluded.declined_this_need).toBeGreaterThan(0);
      // A coordinator who has agreed otherwise with them may still book them by hand.
      const again = await call("POST", `/api/v1/needs/${need.id}/accept`, {
        token: coordinator.token,
        json: { socialWorkerId: worker.id, teamId: team.id, start: need.windows[0]?.start },
      });
      expect(again.status).toBe(201);
    });
  });

  describe("scope isolation", () => {
    it("answers 404 for another community's event to a coordinator and another county's to a department", async () => {
      const dalian = await makeCommunity(places.zhongshan);
      const worker = await makeSocialWorker(places.zhongshan);
      const day = futureDay();
      const event = await makeEvent({
        communityId: dalian.id,
        socialWorkerId: worker.id,
        start: at(`${day} 09:00`),
        end: at(`${day} 10:00`),
      });
      expect(
        (await call("GET", `/api/v1/events/${event.id}`, { token: coordinator.token })).status,
      ).toBe(404);
      expect(
        (
          await call("POST", `/api/v1/events/${event.id}/cancel`, {
            token: coordinator.token,
            json: { reason: "x" },
          })
        ).status,
      ).toBe(404);
      const department = await makeActor({ role: "department", regionCode: places.shenhe });
      expect(
        (await call("GET", `/api/v1/events/${event.id}`, { token: department.token })).status,
      ).toBe(404);
      const list = await call("GET", "/api/v1/events?limit=500", { token: department.token });
      expect(await list.text()).not.toContain(event.id);
    });
  });
});
