import { beforeAll, describe, expect, it } from "vitest";
import { volunteers } from "../../src/db/schema";
import { encryptPersonal, lookupHash } from "../../src/lib/personal-data";
import {
  type Actor,
  at,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";
import { call, errorOf, testKeys, withDb } from "./helpers";

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

describe("counts that look beyond one table", () => {
  it("counts only this event's identified volunteers", async () => {
    const { event, lead } = await pastEvent("2024-05-31");
    const other = await pastEvent("2024-05-30");
    const keys = await testKeys();
    const team = await makeTeam(places.shenhe);
    const ids = await withDb(async (db) => {
      const rows = await db
        .insert(volunteers)
        .values(
          await Promise.all(
            ["甲", "乙", "丙"].map(async (name, i) => {
              const mobile = `135${String(Date.now() % 1e7).padStart(7, "0")}${i}`;
              return {
                teamId: team.id,
                name,
                mobileCiphertext: await encryptPersonal(keys, mobile),
                mobileHash: await lookupHash(keys, mobile),
                mobileMasked: "135****0000",
              };
            }),
          ),
        )
        .returning({ id: volunteers.id });
      return rows.map((row) => row.id);
    });
    const record = (eventId: string, volunteerIds: string[]) =>
      call("PUT", `/api/v1/events/${eventId}/outcome`, {
        token: admin.token,
        json: { personTimes: { residents: 5 }, volunteerIds },
      });
    expect((await record(other.event.id, ids)).status).toBe(201);
    const mine = await record(event.id, ids.slice(0, 1));
    expect(await mine.json()).toMatchObject({ volunteersIdentified: 1, volunteersAttended: 1 });
    const view = await call("GET", `/api/v1/events/${event.id}/outcome`, { token: lead.token });
    expect(((await view.json()) as { volunteersIdentified: number }).volunteersIdentified).toBe(1);
  });

  it("flags a pilot community without an event held in coverage, and not one with", async () => {
    const pilotWith = await makeCommunity(places.dadong, { isPilot: true });
    const pilotWithout = await makeCommunity(places.dadong, { isPilot: true });
    const worker = await makeSocialWorker(places.dadong);
    const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const held = await makeEvent({
      communityId: pilotWith.id,
      socialWorkerId: worker.id,
      start: at("2024-06-05 09:00"),
      end: at("2024-06-05 10:00"),
    });
    await call("PUT", `/api/v1/events/${held.id}/outcome`, {
      token: lead.token,
      json: { personTimes: { residents: 5 }, volunteersAttended: 1 },
    });
    await call("POST", `/api/v1/events/${held.id}/outcome/sign-off`, { token: lead.token });
    // Scheduled but never held: shown apart, not as an event.
    await makeEvent({
      communityId: pilotWithout.id,
      socialWorkerId: worker.id,
      start: at("2024-06-06 09:00"),
      end: at("2024-06-06 10:00"),
    });
    const response = await call(
      "GET",
      `/api/v1/tallies/coverage?region=${places.dadong}&from=2024-06&to=2024-06`,
      { token: admin.token },
    );
    const body = (await response.json()) as {
      counties: {
        code: string;
        pilotCommunities: { id: string; events: number; eventsNotYetHeld: number }[];
      }[];
    };
    const pilots = body.counties.find((county) => county.code === places.dadong)?.pilotCommunities;
    expect(pilots?.find((p) => p.id === pilotWith.id)).toMatchObject({
      events: 1,
      eventsNotYetHeld: 0,
    });
    expect(pilots?.find((p) => p.id === pilotWithout.id)).toMatchObject({
      events: 0,
      eventsNotYetHeld: 1,
    });
  });
});

describe("closed months", () => {
  it("lists for a county the wider locks that cover it, and not its neighbours'", async () => {
    const city = await makeActor({ role: "department", regionCode: places.shenyang });
    const county = await makeActor({ role: "department", regionCode: places.shenhe });
    for (const region of [places.shenyang, places.dadong])
      expect(
        (
          await call("POST", "/api/v1/period-locks", {
            token: city.token,
            json: { region, month: "2019-02" },
          })
        ).status,
      ).toBe(201);
    const response = await call("GET", "/api/v1/period-locks?from=2019-02&to=2019-02", {
      token: county.token,
    });
    const { items } = (await response.json()) as { items: { region: string }[] };
    expect(items.map((item) => item.region)).toEqual([places.shenyang]);
  });
});

describe("people served by no one", () => {
  const put = (eventId: string, token: string, json: Record<string, unknown>) =>
    call("PUT", `/api/v1/events/${eventId}/outcome`, { token, json });

  it("returns 409 for people served with 0 volunteers, unless confirmed", async () => {
    const { event, lead } = await pastEvent("2024-07-30");
    const refused = await put(event.id, lead.token, { personTimes: { residents: 30 } });
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.message).toMatch(/no volunteer attending.*confirmNoVolunteers/);
    expect((error as unknown as { reason: string }).reason).toBe("no_volunteers");
    const nothing = await call("GET", `/api/v1/events/${event.id}/outcome`, { token: lead.token });
    expect(nothing.status).toBe(404);

    const confirmed = await put(event.id, lead.token, {
      personTimes: { residents: 30 },
      confirmNoVolunteers: true,
    });
    expect(confirmed.status).toBe(201);
    expect(await confirmed.json()).toMatchObject({ volunteersAttended: 0, volunteerHours: 0 });
  });

  it("returns 409 for volunteers with 0 hours, unless confirmed", async () => {
    const { event, lead } = await pastEvent("2024-07-29");
    const refused = await put(event.id, lead.token, {
      personTimes: { residents: 30 },
      volunteersAttended: 3,
      volunteerHours: 0,
    });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toMatch(/no volunteer hours/);
    const confirmed = await put(event.id, lead.token, {
      personTimes: { residents: 30 },
      volunteersAttended: 3,
      volunteerHours: 0,
      confirmNoVolunteers: true,
    });
    expect(confirmed.status).toBe(201);
  });

  it("shows volunteers who attended but were not identified as such, not as 0", async () => {
    const { event, lead } = await pastEvent("2024-07-28");
    const recorded = await put(event.id, lead.token, {
      personTimes: { residents: 30 },
      volunteersAttended: 4,
    });
    expect(recorded.status).toBe(201);
    expect(await recorded.json()).toMatchObject({
      volunteersAttended: 4,
      volunteersIdentified: 0,
      volunteersNotIdentified: 4,
      volunteerHours: 8,
    });
  });
});
