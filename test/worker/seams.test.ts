import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, events, notifications, signups } from "../../src/db/schema";
import { findPgError } from "../../src/lib/database-errors";
import { deliverPending } from "../../src/notifications/deliver";
import { enqueueReminders } from "../../src/notifications/outbox";
import { listEventSignups } from "../../src/signups/queries";
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
import { asCaller, call, errorOf, testKeys, withDb } from "./helpers";
import { freshMobile, signUpByApi } from "./public-helpers";

/*
 * The seams between paths: a change made through one entry point keeps what another promises.
 * Each test names a defect the service layer fixed (issue "One owner for every state change").
 */

let communityId: string;
let coordinator: Actor;
let admin: Actor;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe)).id;
  [coordinator, admin] = await Promise.all([
    makeActor({ role: "coordinator", communityId }),
    makeActor({ role: "admin" }),
  ]);
});

async function scheduledEvent(values: { capacity?: number; start?: Date; end?: Date } = {}) {
  const worker = await makeSocialWorker(places.shenhe);
  const day = futureDay();
  const event = await makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start: values.start ?? at(`${day} 09:00`),
    end: values.end ?? at(`${day} 11:00`),
    capacity: values.capacity,
  });
  return { event, worker, day };
}

type Roster = { items: { id: string; status: string; waitlistPosition: number | null }[] };

async function roster(eventId: string): Promise<Roster["items"]> {
  const response = await call("GET", `/api/v1/events/${eventId}/signups`, {
    token: coordinator.token,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as Roster).items;
}

function messagesOf(eventId: string) {
  return withDb((db) => db.select().from(notifications).where(eq(notifications.eventId, eventId)));
}

async function signUpId(eventId: string): Promise<string> {
  const response = await call("POST", `/api/v1/events/${eventId}/signups`, {
    json: { name: "排队者", mobile: freshMobile(), consent: true },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { signup: { id: string } }).signup.id;
}

describe("raising an event's capacity", () => {
  it("gives the new places to the waitlisted in arrival order and tells them, so a newcomer cannot jump the queue", async () => {
    const { event } = await scheduledEvent({ capacity: 1 });
    const first = await signUpId(event.id);
    const second = await signUpId(event.id);
    const third = await signUpId(event.id);
    const patched = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { capacity: 2 },
    });
    expect(patched.status).toBe(200);
    const newcomer = await signUpId(event.id);
    const byId = new Map((await roster(event.id)).map((row) => [row.id, row]));
    expect(byId.get(first)?.status).toBe("confirmed");
    expect(byId.get(second)?.status).toBe("confirmed");
    expect(byId.get(third)).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    expect(byId.get(newcomer)).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
    const promoted = (await messagesOf(event.id)).filter((m) => m.kind === "promoted");
    expect(promoted.map((m) => m.signupId)).toEqual([second]);
  });

  it("is refused by the database if a place would stay free while someone waits", async () => {
    const { event } = await scheduledEvent({ capacity: 1 });
    await signUpId(event.id);
    await signUpId(event.id);
    const attempt = withDb((db) =>
      db.transaction(async (tx) => {
        await tx
          .update(events)
          .set({ capacity: sql`${events.capacity} + 1` })
          .where(eq(events.id, event.id));
      }),
    );
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(findPgError(error)).toMatchObject({
      code: "23514",
      constraint: "signups_no_idle_place",
    });
    const [row] = await withDb((db) =>
      db.select({ capacity: events.capacity }).from(events).where(eq(events.id, event.id)),
    );
    expect(row?.capacity).toBe(1);
  });
});

describe("withdrawing a need", () => {
  it("cancels its scheduled event exactly as cancelling does: volunteers told, calendar revised, audited", async () => {
    const day = futureDay();
    const need = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: {
        serviceType: "counselling",
        targetGroups: ["elderly"],
        expectedPeople: 20,
        windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T17:00:00+08:00` }],
        durationMinutes: 60,
        volunteersNeeded: 2,
      },
    });
    expect(need.status).toBe(201);
    const needId = ((await need.json()) as { id: string }).id;
    const { event } = await scheduledEvent();
    await withDb((db) => db.update(events).set({ needId }).where(eq(events.id, event.id)));
    const a = await signUpId(event.id);
    const b = await signUpId(event.id);

    const withdrawn = await call("POST", `/api/v1/needs/${needId}/withdraw`, {
      token: coordinator.token,
    });
    expect(withdrawn.status).toBe(200);
    expect(((await withdrawn.json()) as { status: string }).status).toBe("withdrawn");

    const [after] = await withDb((db) => db.select().from(events).where(eq(events.id, event.id)));
    expect(after).toMatchObject({ status: "cancelled", cancelReason: "the need was withdrawn" });
    expect(after?.revision).toBeGreaterThan(event.revision);
    const cancelled = (await messagesOf(event.id)).filter((m) => m.kind === "event_cancelled");
    expect(cancelled.map((m) => m.signupId).sort()).toEqual([a, b].sort());
    const audit = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entity, "event"), eq(auditLog.entityId, event.id))),
    );
    expect(audit.map((entry) => entry.action)).toEqual(["cancel"]);
  });
});

describe("moving an event", () => {
  it("refuses a start in the past (409), so an outcome cannot be recorded for an event not held", async () => {
    const { event } = await scheduledEvent();
    const response = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
      token: coordinator.token,
      json: { start: new Date(Date.now() - 3_600_000).toISOString(), reason: "补录" },
    });
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error.message).toMatch(/past/);
    expect(error).toMatchObject({ reason: "start_in_past" });
  });

  it("keeps a staff-set sign-up closing time the same distance before the new start", async () => {
    const { event, day } = await scheduledEvent();
    const closes = new Date(event.startsAt.getTime() - 15 * 3_600_000);
    const patched = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { signupClosesAt: closes.toISOString() },
    });
    expect(patched.status).toBe(200);
    const moved = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
      token: coordinator.token,
      json: { start: `${day}T14:00:00+08:00`, reason: "场地调整" },
    });
    expect(moved.status).toBe(200);
    const body = (await moved.json()) as { startsAt: string; signupClosesAt: string };
    expect(new Date(body.signupClosesAt).getTime()).toBe(
      new Date(body.startsAt).getTime() - 15 * 3_600_000,
    );
  });

  it("gets its volunteers a reminder for the new time even when the old one was already sent", async () => {
    const { event, day } = await scheduledEvent();
    const { manageToken } = await signUpByApi(event.id);
    expect(manageToken).toBeTruthy();
    const keys = await testKeys();
    await withDb((db) => enqueueReminders(db, new Date(event.startsAt.getTime() - 20 * 3_600_000)));
    const sink = { async send() {} };
    for (let run = 0; run < 10; run++) {
      await withDb((db) => deliverPending(db, keys, sink, { limit: 500 }));
      const mine = (await messagesOf(event.id)).filter((m) => m.kind === "reminder");
      if (mine.every((m) => m.status !== "pending")) break;
    }
    const newStart = at(`${day} 15:00`);
    const moved = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
      token: coordinator.token,
      json: { start: newStart.toISOString(), reason: "改到下午" },
    });
    expect(moved.status).toBe(200);
    await withDb((db) => enqueueReminders(db, new Date(newStart.getTime() - 20 * 3_600_000)));
    const reminders = (await messagesOf(event.id)).filter((m) => m.kind === "reminder");
    const byTime = reminders
      .map((m) => [m.payload.startsAt, m.status])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(byTime).toEqual([
      [event.startsAt.toISOString(), "sent"],
      [newStart.toISOString(), "pending"],
    ]);
  });
});

describe("once an event is over", () => {
  it("refuses to cancel a sign-up, check anyone in or change its places (409)", async () => {
    const start = new Date(Date.now() - 3 * 3_600_000);
    const { event } = await scheduledEvent({
      capacity: 1,
      start,
      end: new Date(start.getTime() + 2 * 3_600_000),
    });
    const before = new Date(start.getTime() - 86_400_000);
    const taken = await asCaller(async (caller) => {
      const first = await signUp(caller, {
        eventId: event.id,
        name: "按时到",
        mobile: freshMobile(),
        skills: [],
        consent: true,
      });
      await signUp(caller, {
        eventId: event.id,
        name: "候补者",
        mobile: freshMobile(),
        skills: [],
        consent: true,
      });
      return first;
    }, before);
    if (taken.existing) throw new Error("unexpected existing sign-up");

    const cancel = await call("POST", `/api/v1/signups/manage/${taken.manageToken}/cancel`);
    expect(cancel.status).toBe(409);
    const checkin = await call("POST", `/api/v1/events/${event.id}/checkin`, {
      token: coordinator.token,
      json: { code: taken.signup.confirmationCode },
    });
    expect(checkin.status).toBe(409);
    const capacity = await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: { capacity: 5 },
    });
    expect(capacity.status).toBe(409);
    const statuses = (await roster(event.id)).map((row) => row.status);
    expect(statuses).toEqual(["confirmed", "waitlisted"]);
  });
});

describe("the staff roster", () => {
  it("lists sign-ups in the order the queue took them, not the clock their requests read", async () => {
    const { event } = await scheduledEvent({ capacity: 1 });
    const later = new Date(Date.now() + 60_000);
    const earlier = new Date(Date.now() - 60_000);
    const sign = (now: Date, name: string) =>
      asCaller(
        (caller) =>
          signUp(caller, {
            eventId: event.id,
            name,
            mobile: freshMobile(),
            skills: [],
            consent: true,
          }),
        now,
      );
    // The first through the queue read a later clock than the second (a slow request).
    const first = await sign(later, "先到者");
    const second = await sign(earlier, "后到者");
    if (first.existing || second.existing) throw new Error("unexpected existing sign-up");
    expect(first.signup.status).toBe("confirmed");
    expect(second.signup.status).toBe("waitlisted");
    const rows = await withDb((db) => listEventSignups(db, { kind: "all" }, event.id));
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      [first.signup.id, "confirmed"],
      [second.signup.id, "waitlisted"],
    ]);
    const stamped = await withDb((db) =>
      db
        .select({ createdAt: signups.createdAt })
        .from(signups)
        .where(eq(signups.id, second.signup.id)),
    );
    expect(stamped[0]?.createdAt.getTime()).toBe(earlier.getTime());
  });
});

describe("an admin signs off", () => {
  it("only with a reason", async () => {
    const start = new Date(Date.now() - 4 * 3_600_000);
    const { event } = await scheduledEvent({ start, end: new Date(start.getTime() + 3_600_000) });
    const put = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: coordinator.token,
      json: { personTimes: { elderly: 6 }, volunteersAttended: 1 },
    });
    expect(put.status).toBe(201);
    const bare = await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, {
      token: admin.token,
    });
    expect(bare.status).toBe(400);
    const reasoned = await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, {
      token: admin.token,
      json: { reason: "负责社工调离，由管理员确认" },
    });
    expect(reasoned.status).toBe(200);
  });
});
