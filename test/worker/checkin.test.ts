import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signups } from "../../src/db/schema";
import { signUp } from "../../src/signups/service";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { asCaller, call, clockAt, errorOf, onItsDay, withDb } from "./helpers";

type SignupView = { id: string; mobile: string; status: string; waitlistPosition: number | null };

let communityId: string;
let coordinator: Actor;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe)).id;
  coordinator = await makeActor({ role: "coordinator", communityId });
});

async function makeOpenEvent(capacity = 10) {
  const worker = await makeSocialWorker(places.shenhe);
  const day = futureDay();
  const event = await makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
    capacity,
  });
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  return { event, lead };
}

async function signUpDirect(eventId: string) {
  const mobile = `136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const result = await asCaller((caller) =>
    signUp(caller, { eventId, name: "赵志愿", mobile, skills: [], consent: true }),
  );
  if (result.existing) throw new Error("unexpected existing sign-up");
  return { ...result.signup, mobile };
}

/** Checks in on the event's day (check-in opens at midnight, Beijing time, of that day). */
function checkIn(event: { id: string; startsAt: Date }, token: string, code: string) {
  return call("POST", `/api/v1/events/${event.id}/checkin`, {
    token,
    json: { code },
    headers: onItsDay(event),
  });
}

async function statusOf(id: string) {
  const [row] = await withDb((db) => db.select().from(signups).where(eq(signups.id, id)));
  return row?.status;
}

describe("check-in by confirmation code", () => {
  it("refuses a check-in before the event's day (409): it would hold the place for good", async () => {
    const { event, lead } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    const dayBefore = new Date(event.startsAt.getTime() - 24 * 3_600_000);
    const early = await call("POST", `/api/v1/events/${event.id}/checkin`, {
      token: lead.token,
      json: { code: signup.confirmationCode },
      headers: clockAt(dayBefore),
    });
    expect(early.status).toBe(409);
    expect(await errorOf(early)).toMatchObject({ reason: "checkin_not_open" });
    expect(await statusOf(signup.id)).toBe("confirmed");
    expect((await checkIn(event, lead.token, signup.confirmationCode)).status).toBe(200);
  });

  it("lets the lead social worker check a confirmed volunteer in", async () => {
    const { event, lead } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    const response = await checkIn(event, lead.token, signup.confirmationCode);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { signup: SignupView; changed: boolean };
    expect(body).toMatchObject({ changed: true, signup: { id: signup.id, status: "attended" } });
    expect(body.signup.mobile).not.toBe(signup.mobile);
    expect(await statusOf(signup.id)).toBe("attended");
  });

  it("lets the community's coordinator check in, forgiving lower case and spaces", async () => {
    const { event } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    const typed = ` ${signup.confirmationCode.slice(0, 3).toLowerCase()} ${signup.confirmationCode.slice(3)}`;
    const response = await checkIn(event, coordinator.token, typed);
    expect(response.status).toBe(200);
    expect(await statusOf(signup.id)).toBe("attended");
  });

  it("answers 200 unchanged when the same code checks in twice", async () => {
    const { event, lead } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    await checkIn(event, lead.token, signup.confirmationCode);
    const again = await checkIn(event, lead.token, signup.confirmationCode);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ changed: false, signup: { status: "attended" } });
  });

  it("answers 403 to a department, even for an event in its region", async () => {
    const { event } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const response = await checkIn(event, department.token, signup.confirmationCode);
    expect(response.status).toBe(403);
    expect(await statusOf(signup.id)).toBe("confirmed");
  });

  it("answers 404 to another community's coordinator and to another social worker", async () => {
    const { event } = await makeOpenEvent();
    const signup = await signUpDirect(event.id);
    const other = await makeCommunity(places.dadong);
    const outsider = await makeActor({ role: "coordinator", communityId: other.id });
    expect((await checkIn(event, outsider.token, signup.confirmationCode)).status).toBe(404);
    const otherWorker = await makeSocialWorker(places.shenhe);
    const notLead = await makeActor({ role: "social_worker", socialWorkerId: otherWorker.id });
    expect((await checkIn(event, notLead.token, signup.confirmationCode)).status).toBe(404);
    expect(await statusOf(signup.id)).toBe("confirmed");
  });

  it("answers 404 with a clear message for a code no sign-up of the event has", async () => {
    const { event, lead } = await makeOpenEvent();
    await signUpDirect(event.id);
    const response = await checkIn(event, lead.token, "AAAAAA");
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toContain("confirmation code");
  });

  it("answers 409 for a waitlisted code and leaves it waitlisted", async () => {
    const { event, lead } = await makeOpenEvent(1);
    await signUpDirect(event.id);
    const waiting = await signUpDirect(event.id);
    expect(waiting.status).toBe("waitlisted");
    const response = await checkIn(event, lead.token, waiting.confirmationCode);
    expect(response.status).toBe(409);
    expect(await statusOf(waiting.id)).toBe("waitlisted");
  });

  it("answers 400 for a code that cannot be a confirmation code", async () => {
    const { event, lead } = await makeOpenEvent();
    expect((await checkIn(event, lead.token, "12")).status).toBe(400);
  });

  it("answers 401 without a token", async () => {
    const { event } = await makeOpenEvent();
    const response = await call("POST", `/api/v1/events/${event.id}/checkin`, {
      headers: onItsDay(event),
      json: { code: "AAAAAA" },
    });
    expect(response.status).toBe(401);
  });
});

describe("the staff list of an event's sign-ups", () => {
  it("shows statuses, waitlist positions and masked mobiles to the lead", async () => {
    const { event, lead } = await makeOpenEvent(1);
    const first = await signUpDirect(event.id);
    const second = await signUpDirect(event.id);
    const response = await call("GET", `/api/v1/events/${event.id}/signups`, {
      token: lead.token,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: SignupView[] };
    expect(body.items.map((s) => [s.id, s.status, s.waitlistPosition])).toEqual([
      [first.id, "confirmed", null],
      [second.id, "waitlisted", 1],
    ]);
    expect(body.items[0]?.mobile).toBe(`${first.mobile.slice(0, 3)}****${first.mobile.slice(7)}`);
    expect(JSON.stringify(body)).not.toContain(first.mobile);
    expect(JSON.stringify(body)).not.toContain("mobileHash");
  });

  it("answers 403 to a department and 404 to another community's coordinator", async () => {
    const { event } = await makeOpenEvent();
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const other = await makeCommunity(places.dadong);
    const outsider = await makeActor({ role: "coordinator", communityId: other.id });
    const path = `/api/v1/events/${event.id}/signups`;
    expect((await call("GET", path, { token: department.token })).status).toBe(403);
    expect((await call("GET", path, { token: outsider.token })).status).toBe(404);
  });
});
