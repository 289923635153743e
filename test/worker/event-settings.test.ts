import { describe, expect, it } from "vitest";
import {
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call, errorOf } from "./helpers";

const mobile = () => `171${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

async function setup(capacity: number) {
  const community = await makeCommunity(places.shenhe);
  const worker = await makeSocialWorker(places.shenhe);
  const day = futureDay();
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
    capacity,
  });
  const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  return { event, coordinator };
}

function signUp(eventId: string) {
  return call("POST", `/api/v1/events/${eventId}/signups`, {
    json: { name: "志愿者", mobile: mobile(), consent: true },
  });
}

describe("PATCH /api/v1/events/:id", () => {
  it("closes sign-ups at the time the coordinator sets", async () => {
    const { event, coordinator } = await setup(10);
    expect((await signUp(event.id)).status).toBe(201);
    const closed = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { signupClosesAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(closed.status).toBe(200);
    const late = await signUp(event.id);
    expect(late.status).toBe(409);
  });

  it("refuses to lower the capacity below the confirmed sign-ups, and changes nothing", async () => {
    const { event, coordinator } = await setup(3);
    for (let i = 0; i < 3; i++) expect((await signUp(event.id)).status).toBe(201);
    const response = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { capacity: 2 },
    });
    expect(response.status).toBe(409);
    const after = (await (
      await call("GET", `/api/v1/events/${event.id}`, { token: coordinator.token })
    ).json()) as { capacity: number };
    expect(after.capacity).toBe(3);
  });

  it("raises the capacity so the next volunteer is confirmed, not waitlisted", async () => {
    const { event, coordinator } = await setup(1);
    expect((await signUp(event.id)).status).toBe(201);
    const raised = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { capacity: 2 },
    });
    expect(raised.status).toBe(200);
    const next = (await (await signUp(event.id)).json()) as { signup: { status: string } };
    expect(next.signup.status).toBe("confirmed");
  });

  it("refuses unknown fields and empty changes", async () => {
    const { event, coordinator } = await setup(5);
    const unknown = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { leadSocialWorkerId: crypto.randomUUID() },
    });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).issues.map((i) => i.path)).toContain("leadSocialWorkerId");
    const empty = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: {},
    });
    expect(empty.status).toBe(400);
  });
});
