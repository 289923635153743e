import { beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  at,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call, errorOf } from "./helpers";

let community: { id: string; regionCode: string };
let coordinator: Actor;
let admin: Actor;

beforeAll(async () => {
  community = await makeCommunity(places.shenhe);
  coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  admin = await makeActor({ role: "admin" });
});

/** A past event in a month no other test uses, with its lead's token. */
async function pastEvent(day: string) {
  const worker = await makeSocialWorker(places.shenhe);
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
  });
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  return { event, lead };
}

describe("outcomes", () => {
  it("records, signs off and tallies an outcome", async () => {
    const { event, lead } = await pastEvent("2024-03-31");
    const put = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: coordinator.token,
      json: { personTimes: { elderly: 30, children: 12 }, volunteersAttended: 4 },
    });
    expect(put.status).toBe(201);
    const recorded = (await put.json()) as Record<string, unknown>;
    expect(recorded).toMatchObject({
      status: "recorded",
      personTimesTotal: 42,
      volunteersAttended: 4,
      volunteerHours: 8,
      month: "2024-03",
    });

    const region = community.regionCode;
    const before = await call("GET", `/api/v1/tallies?region=${region}&from=2024-03&to=2024-03`, {
      token: admin.token,
    });
    expect(before.status).toBe(200);
    const beforeBody = (await before.json()) as {
      totals: { events: number };
      awaitingSignOff: number;
    };
    expect(beforeBody.totals.events).toBe(0);
    expect(beforeBody.awaitingSignOff).toBe(1);

    const signed = await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, {
      token: lead.token,
    });
    expect(signed.status).toBe(200);

    const after = await call(
      "GET",
      `/api/v1/tallies?region=${region}&from=2024-03&to=2024-03&groupBy=targetGroup`,
      { token: admin.token },
    );
    const body = (await after.json()) as {
      totals: Record<string, unknown>;
      rows: { targetGroup: string; personTimes: number }[];
    };
    expect(body.totals).toMatchObject({
      events: 1,
      personTimes: 42,
      volunteersAttended: 4,
      volunteerHours: 8,
      activeSocialWorkers: 1,
      communitiesReached: 1,
    });
    expect(body.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBe(30);

    const again = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: coordinator.token,
      json: { personTimes: { elderly: 31 } },
    });
    expect(again.status).toBe(403);
    expect((await errorOf(again)).message).toMatch(/admin/);
  });

  it("keeps a closed month's figures and books corrections as adjustments", async () => {
    const { event, lead } = await pastEvent("2024-04-30");
    await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: lead.token,
      json: { personTimes: { residents: 20 }, volunteersAttended: 2 },
    });
    await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, { token: lead.token });
    const lock = await call("POST", "/api/v1/period-locks", {
      token: admin.token,
      json: { region: community.regionCode, month: "2024-04" },
    });
    expect(lock.status).toBe(201);

    const change = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: admin.token,
      json: { personTimes: { residents: 25 }, reason: "miscounted" },
    });
    expect(change.status).toBe(409);
    expect((await errorOf(change)).message).toMatch(/closed/);

    const adjust = await call("POST", `/api/v1/events/${event.id}/outcome/adjustments`, {
      token: admin.token,
      json: { personTimes: { residents: 5 }, reason: "miscounted" },
    });
    expect(adjust.status).toBe(201);

    const april = await call(
      "GET",
      `/api/v1/tallies?region=${community.regionCode}&from=2024-04&to=2024-04`,
      { token: admin.token },
    );
    expect(((await april.json()) as { totals: { personTimes: number } }).totals.personTimes).toBe(
      20,
    );
  });
});
