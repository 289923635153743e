import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { notifications, signups } from "../../src/db/schema";
import { findPgError } from "../../src/lib/database-errors";
import { CLAIM_LEASE_MS, deliverPending } from "../../src/notifications/deliver";
import { enqueueReminders } from "../../src/notifications/outbox";
import { developmentSender, type OutgoingMessage } from "../../src/notifications/sender";
import { cancelSignUp, signUp } from "../../src/signups/service";
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
import { asCaller, call, testKeys, withDb } from "./helpers";
import { makeAddressedCommunity } from "./public-helpers";

let community: { id: string; name: string };
let communityId: string;
let coordinator: Actor;

beforeAll(async () => {
  community = await makeCommunity(places.shenhe);
  communityId = community.id;
  coordinator = await makeActor({ role: "coordinator", communityId });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A scheduled event with its own social worker, so events never overlap. */
async function makeOpenEvent(values: { capacity?: number; start?: Date; end?: Date } = {}) {
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

/** A distinct mobile per call, so parallel tests never share one. */
function freshMobile(): string {
  return `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

async function signUpDirect(eventId: string, mobile = freshMobile()) {
  const result = await asCaller((caller) =>
    signUp(caller, { eventId, name: "王志愿", mobile, skills: [], consent: true }),
  );
  if (result.existing) throw new Error("unexpected existing sign-up");
  return { ...result, mobile };
}

function notificationsOf(eventId: string) {
  return withDb((db) => db.select().from(notifications).where(eq(notifications.eventId, eventId)));
}

describe("the notification outbox", () => {
  it("queues signup_confirmed for a confirmed sign-up and waitlisted with its position", async () => {
    const { event } = await makeOpenEvent({ capacity: 1 });
    const first = await signUpDirect(event.id);
    const second = await signUpDirect(event.id);
    const rows = await notificationsOf(event.id);
    expect(rows.map((row) => [row.signupId, row.kind, row.status]).sort()).toEqual(
      [
        [first.signup.id, "signup_confirmed", "pending"],
        [second.signup.id, "waitlisted", "pending"],
      ].sort(),
    );
    const waitlisted = rows.find((row) => row.kind === "waitlisted");
    expect(waitlisted?.payload).toMatchObject({ waitlistPosition: 1, eventTitle: event.title });
  });

  it("writes the whole payload: instants as toISOString writes them, the place, the code", async () => {
    const day = futureDay();
    // Milliseconds, which the sender compares a reminder's text by (a moved event's no longer holds).
    const start = new Date(at(`${day} 09:00`).getTime() + 123);
    const end = at(`${day} 11:00`);
    const { event } = await makeOpenEvent({ start, end, capacity: 1 });
    const first = await signUpDirect(event.id);
    const addressed = await makeAddressedCommunity(places.shenhe);
    const worker = await makeSocialWorker(places.shenhe);
    const elsewhere = await makeEvent({
      communityId: addressed.id,
      socialWorkerId: worker.id,
      start,
      end,
      capacity: 1,
    });
    await signUpDirect(elsewhere.id);
    const second = await signUpDirect(elsewhere.id);
    const [confirmed] = await notificationsOf(event.id);
    expect(confirmed?.payload).toStrictEqual({
      eventTitle: event.title,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      place: community.name,
      confirmationCode: first.signup.confirmationCode,
    });
    expect(confirmed?.aboutStartsAt).toEqual(start);
    const waitlisted = (await notificationsOf(elsewhere.id)).find(
      (row) => row.kind === "waitlisted",
    );
    expect(waitlisted?.payload).toStrictEqual({
      eventTitle: elsewhere.title,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      place: `${addressed.name}（${addressed.address}）`,
      confirmationCode: second.signup.confirmationCode,
      waitlistPosition: 1,
    });
  });

  it("never puts the mobile number in a payload", async () => {
    const { event } = await makeOpenEvent();
    const { mobile } = await signUpDirect(event.id);
    const rows = await notificationsOf(event.id);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(mobile);
    expect(JSON.stringify(rows)).not.toContain(mobile.slice(7));
  });

  it("writes neither the sign-up nor its message when writing the message fails", async () => {
    const { event } = await makeOpenEvent();
    // The sign-up is one statement: a failure at its last write (the outbox row, refused here
    // for this event alone) must take the sign-up row with it.
    const name = `fail_outbox_${event.id.replaceAll("-", "")}`;
    await withDb(async (db) => {
      await db.execute(
        sql.raw(`create function ${name}() returns trigger language plpgsql as $$
          begin raise exception 'the outbox refused the message'; end $$`),
      );
      await db.execute(
        sql.raw(`create trigger ${name} before insert on notifications for each row
          when (new.event_id = '${event.id}') execute function ${name}()`),
      );
    });
    try {
      const failure = await asCaller((caller) =>
        signUp(caller, {
          eventId: event.id,
          name: "王志愿",
          mobile: freshMobile(),
          skills: [],
          consent: true,
        }),
      ).catch((error: unknown) => error);
      expect(findPgError(failure)).toMatchObject({
        code: "P0001",
        message: "the outbox refused the message",
      });
    } finally {
      await withDb(async (db) => {
        await db.execute(sql.raw(`drop trigger ${name} on notifications`));
        await db.execute(sql.raw(`drop function ${name}()`));
      });
    }
    expect(await notificationsOf(event.id)).toHaveLength(0);
    const stored = await withDb((db) =>
      db.select().from(signups).where(eq(signups.eventId, event.id)),
    );
    expect(stored).toHaveLength(0);
  });

  it("queues promoted for the first waitlisted when a confirmed volunteer cancels", async () => {
    const { event } = await makeOpenEvent({ capacity: 1 });
    const holder = await signUpDirect(event.id);
    const waiting = await signUpDirect(event.id);
    const result = await asCaller((caller) => cancelSignUp(caller, holder.manageToken));
    expect(result.promoted?.id).toBe(waiting.signup.id);
    const promoted = (await notificationsOf(event.id)).filter((row) => row.kind === "promoted");
    expect(promoted.map((row) => row.signupId)).toEqual([waiting.signup.id]);
  });

  it("queues event_changed for each non-cancelled sign-up when the event is rescheduled", async () => {
    const { event, day } = await makeOpenEvent({ capacity: 1 });
    const confirmed = await signUpDirect(event.id);
    const waitlisted = await signUpDirect(event.id);
    const leaver = await signUpDirect(event.id);
    await asCaller((caller) => cancelSignUp(caller, leaver.manageToken));
    const response = await call("POST", `/api/v1/events/${event.id}/reschedule`, {
      token: coordinator.token,
      json: { start: `${day}T14:00:00+08:00`, reason: "场地调整" },
    });
    expect(response.status).toBe(200);
    const changed = (await notificationsOf(event.id)).filter((row) => row.kind === "event_changed");
    expect(changed.map((row) => row.signupId).sort()).toEqual(
      [confirmed.signup.id, waitlisted.signup.id].sort(),
    );
    expect(changed[0]?.payload).toMatchObject({
      startsAt: at(`${day} 14:00`).toISOString(),
      previousStartsAt: at(`${day} 09:00`).toISOString(),
    });
  });

  it("queues event_cancelled for each sign-up when the event is cancelled", async () => {
    const { event } = await makeOpenEvent();
    const a = await signUpDirect(event.id);
    const b = await signUpDirect(event.id);
    const response = await call("POST", `/api/v1/events/${event.id}/cancel`, {
      token: coordinator.token,
      json: { reason: "天气原因" },
    });
    expect(response.status).toBe(200);
    const cancelled = (await notificationsOf(event.id)).filter(
      (row) => row.kind === "event_cancelled",
    );
    expect(cancelled.map((row) => row.signupId).sort()).toEqual([a.signup.id, b.signup.id].sort());
    expect(cancelled[0]?.payload.reason).toBe("天气原因");
  });

  it("queues event_cancelled when the lead social worker declines", async () => {
    const { event, worker } = await makeOpenEvent();
    const one = await signUpDirect(event.id);
    const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const response = await call("POST", `/api/v1/events/${event.id}/decline`, {
      token: lead.token,
      json: { reason: "当天另有安排" },
    });
    expect(response.status).toBe(200);
    const cancelled = (await notificationsOf(event.id)).filter(
      (row) => row.kind === "event_cancelled",
    );
    expect(cancelled.map((row) => row.signupId)).toEqual([one.signup.id]);
    // The volunteers read the reason in Chinese, with the lead's own words in brackets.
    expect(cancelled[0]?.payload.reason).toBe("带队社工无法参加（当天另有安排）");
  });
});

describe("delivery", () => {
  it("sends each pending notification once, in Chinese, and logs no full mobile number", async () => {
    const { event } = await makeOpenEvent({ capacity: 1 });
    const confirmed = await signUpDirect(event.id);
    const waitlisted = await signUpDirect(event.id);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const sent: OutgoingMessage[] = [];
    const capturing = {
      async send(message: OutgoingMessage) {
        sent.push(message);
        await developmentSender.send(message);
      },
    };
    const keys = await testKeys();
    // Other test files queue notifications too: run until this event's are all out, then again.
    for (let run = 0; run < 20; run++) {
      await withDb((db) => deliverPending(db, keys, capturing, { limit: 500 }));
      const rows = await notificationsOf(event.id);
      if (rows.every((row) => row.status === "sent")) break;
    }
    await withDb((db) => deliverPending(db, keys, capturing, { limit: 500 }));

    const mine = sent.filter((m) => m.to === confirmed.mobile || m.to === waitlisted.mobile);
    expect(mine.map((m) => [m.to, m.kind]).sort()).toEqual(
      [
        [confirmed.mobile, "signup_confirmed"],
        [waitlisted.mobile, "waitlisted"],
      ].sort(),
    );
    expect(mine.find((m) => m.kind === "signup_confirmed")?.text).toContain("报名成功");
    expect(mine.find((m) => m.kind === "waitlisted")?.text).toContain("候补名单第 1 位");
    const rows = await notificationsOf(event.id);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(rows.every((row) => row.sentAt instanceof Date)).toBe(true);

    const logged = log.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain(`${confirmed.mobile.slice(0, 3)}****${confirmed.mobile.slice(7)}`);
    expect(logged).not.toContain(confirmed.mobile);
    expect(logged).not.toContain(waitlisted.mobile);
    expect(logged).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });

  it("keeps a notification pending after a failed send and gives up after five attempts", async () => {
    const { event } = await makeOpenEvent();
    const one = await signUpDirect(event.id);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const keys = await testKeys();
    const failing = {
      async send(message: OutgoingMessage) {
        if (message.to === one.mobile) throw new Error(`gateway refused ${message.to}`);
      },
    };
    const statusOf = async () => (await notificationsOf(event.id))[0];
    for (let run = 0; run < 40 && (await statusOf())?.status === "pending"; run++) {
      await withDb((db) => deliverPending(db, keys, failing, { limit: 500 }));
    }
    expect(await statusOf()).toMatchObject({ status: "failed", attempts: 5 });
  });
});

describe("a request's own messages (signupIds: claimed, sent, marked; at least once)", () => {
  const capture = () => {
    const sent: OutgoingMessage[] = [];
    return { sent, sender: { send: async (message: OutgoingMessage) => void sent.push(message) } };
  };

  it("sends each message once, even beside the Cron job, and marks it sent", async () => {
    const { event } = await makeOpenEvent({ capacity: 1 });
    const confirmed = await signUpDirect(event.id);
    const waitlisted = await signUpDirect(event.id);
    const keys = await testKeys();
    const { sent, sender } = capture();
    const signupIds = [confirmed.signup.id, waitlisted.signup.id];
    const origin = "https://volunteer.example.org";
    const [mine, again] = await Promise.all([
      withDb((db) => deliverPending(db, keys, sender, { signupIds, publicOrigin: origin })),
      withDb((db) => deliverPending(db, keys, sender, { signupIds, publicOrigin: origin })),
    ]);
    await withDb((db) => deliverPending(db, keys, sender, { limit: 500 }));
    expect((mine?.sent ?? 0) + (again?.sent ?? 0)).toBe(2);
    const toMine = sent.filter((m) => m.to === confirmed.mobile || m.to === waitlisted.mobile);
    expect(toMine.map((m) => m.kind).sort()).toEqual(["signup_confirmed", "waitlisted"]);
    expect(toMine.find((m) => m.to === confirmed.mobile)?.text).toContain(
      `${origin}/signups/${confirmed.manageToken}`,
    );
    const rows = await notificationsOf(event.id);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(rows.every((row) => row.sentAt instanceof Date)).toBe(true);
  });

  it("leaves a failed send pending for the Cron job, and withdraws what no longer holds", async () => {
    const { event } = await makeOpenEvent();
    const failing = await signUpDirect(event.id);
    const cancelled = await signUpDirect(event.id);
    await asCaller((caller) => cancelSignUp(caller, cancelled.manageToken));
    vi.spyOn(console, "error").mockImplementation(() => {});
    const keys = await testKeys();
    const refusing = {
      async send(message: OutgoingMessage) {
        throw new Error(`gateway refused ${message.to}`);
      },
    };
    const signupIds = [failing.signup.id, cancelled.signup.id];
    const report = await withDb((db) => deliverPending(db, keys, refusing, { signupIds }));
    expect(report).toEqual({ sent: 0, retrying: 1, failed: 0, withdrawn: 1 });
    const rows = await notificationsOf(event.id);
    const of = (id: string) => rows.find((row) => row.signupId === id);
    expect(of(failing.signup.id)).toMatchObject({
      status: "pending",
      attempts: 1,
      sentAt: null,
      claimedUntil: null,
    });
    expect(of(cancelled.signup.id)).toMatchObject({
      status: "withdrawn",
      attempts: 0,
      sentAt: null,
    });
    // The Cron job sends it later, once.
    const { sent, sender } = capture();
    await withDb((db) => deliverPending(db, keys, sender, { limit: 500 }));
    await withDb((db) => deliverPending(db, keys, sender, { limit: 500 }));
    expect(sent.filter((m) => m.to === failing.mobile)).toHaveLength(1);
    expect(await notificationsOf(event.id)).toContainEqual(
      expect.objectContaining({ signupId: failing.signup.id, status: "sent", attempts: 2 }),
    );
  });
  it("keeps the Cron job off a message while its request sends it, and hands it over if that request dies", async () => {
    const { event } = await makeOpenEvent();
    const volunteer = await signUpDirect(event.id);
    const keys = await testKeys();
    const now = new Date();
    // The request's send never finishes until released: as good as a request that died mid-send.
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stuck: OutgoingMessage[] = [];
    const stalled = withDb((db) =>
      deliverPending(
        db,
        keys,
        {
          async send(message) {
            stuck.push(message);
            await hung;
          },
        },
        { signupIds: [volunteer.signup.id], now },
      ),
    );
    // Polled until the claim has been made and the send begun: no deadline a busy machine could miss.
    await vi.waitFor(() => expect(stuck).toHaveLength(1), { timeout: 60_000, interval: 20 });
    const [claimed] = await notificationsOf(event.id);
    expect(claimed).toMatchObject({ status: "pending", attempts: 1, sentAt: null });
    expect(claimed?.claimedUntil?.getTime()).toBe(now.getTime() + CLAIM_LEASE_MS);

    // Neither the Cron job nor another request takes it while the claim holds...
    const { sent, sender } = capture();
    const during = new Date(now.getTime() + CLAIM_LEASE_MS - 1_000);
    await withDb((db) => deliverPending(db, keys, sender, { limit: 500, now: during }));
    await withDb((db) =>
      deliverPending(db, keys, sender, { signupIds: [volunteer.signup.id], now: during }),
    );
    expect(sent.filter((m) => m.to === volunteer.mobile)).toHaveLength(0);
    // ...and the Cron job sends it once the claim has run out, the request presumed dead.
    const after = new Date(now.getTime() + CLAIM_LEASE_MS + 1_000);
    await withDb((db) => deliverPending(db, keys, sender, { limit: 500, now: after }));
    expect(sent.filter((m) => m.to === volunteer.mobile)).toHaveLength(1);
    expect((await notificationsOf(event.id))[0]).toMatchObject({ status: "sent", attempts: 2 });

    // Had it lived after all, its late mark changes nothing.
    release();
    expect(await stalled).toMatchObject({ sent: 1 });
    expect((await notificationsOf(event.id))[0]).toMatchObject({
      status: "sent",
      attempts: 2,
      sentAt: after,
    });
  });
});

describe("what no longer holds at send time", () => {
  it("withdraws, unsent, reminders and confirmations that a cancellation or a move made untrue", async () => {
    const keys = await testKeys();
    const a = await makeOpenEvent({ capacity: 2 });
    const leaver = await signUpDirect(a.event.id);
    const stayer = await signUpDirect(a.event.id);
    const b = await makeOpenEvent();
    const moved = await signUpDirect(b.event.id);
    for (const { event } of [a, b]) {
      const dayBefore = new Date(event.startsAt.getTime() - 20 * 3_600_000);
      await withDb((db) => enqueueReminders(db, dayBefore));
    }
    await asCaller((caller) => cancelSignUp(caller, leaver.manageToken));
    const response = await call("POST", `/api/v1/events/${b.event.id}/reschedule`, {
      token: coordinator.token,
      json: { start: `${b.day}T14:00:00+08:00`, reason: "场地调整" },
    });
    expect(response.status).toBe(200);
    const changedAt = new Date();

    const sent: OutgoingMessage[] = [];
    const capturing = {
      async send(message: OutgoingMessage) {
        sent.push(message);
      },
    };
    const rowsOf = async () => [
      ...(await notificationsOf(a.event.id)),
      ...(await notificationsOf(b.event.id)),
    ];
    for (let run = 0; run < 20; run++) {
      await withDb((db) => deliverPending(db, keys, capturing, { limit: 500 }));
      if ((await rowsOf()).every((row) => row.status !== "pending")) break;
    }
    const statuses = Object.fromEntries(
      (await rowsOf()).map((row) => {
        const who =
          row.signupId === leaver.signup.id
            ? "leaver"
            : row.signupId === stayer.signup.id
              ? "stayer"
              : "moved";
        // Another file's delivery run may have sent one before the change, when it still held.
        const status =
          row.status === "sent" &&
          row.sentAt &&
          row.sentAt < changedAt &&
          row.kind !== "event_changed"
            ? "sent before the change"
            : row.status;
        return [`${who} ${row.kind}`, status];
      }),
    );
    expect(statuses).toEqual({
      "leaver signup_confirmed": expect.stringMatching(/^(withdrawn|sent before the change)$/),
      "leaver reminder": expect.stringMatching(/^(withdrawn|sent before the change)$/),
      "stayer signup_confirmed": expect.stringMatching(/^sent/),
      "stayer reminder": expect.stringMatching(/^sent/),
      "moved signup_confirmed": expect.stringMatching(/^sent/),
      "moved reminder": expect.stringMatching(/^(withdrawn|sent before the change)$/),
      "moved event_changed": "sent",
    });
    // This run's own sender: nothing at all to the volunteer who left, no stale reminder.
    expect(sent.filter((m) => m.to === leaver.mobile)).toEqual([]);
    expect(sent.filter((m) => m.to === moved.mobile && m.kind === "reminder")).toEqual([]);

    // The old time's reminder (withdrawn, or sent before the move by another file's run) makes
    // way for one with the new time, queued within a day of it.
    const newStart = at(`${b.day} 14:00`);
    await withDb((db) => enqueueReminders(db, new Date(newStart.getTime() - 20 * 3_600_000)));
    const reminders = (await notificationsOf(b.event.id)).filter((row) => row.kind === "reminder");
    const byTime = Object.fromEntries(reminders.map((row) => [row.payload.startsAt, row.status]));
    expect(byTime).toEqual({
      [b.event.startsAt.toISOString()]: expect.stringMatching(/^(withdrawn|sent)$/),
      [newStart.toISOString()]: "pending",
    });
  });
});

describe("day-before reminders", () => {
  it("queues one reminder per confirmed sign-up of events within the next 24 hours, however often it runs", async () => {
    const { event } = await makeOpenEvent({ capacity: 1 });
    const confirmed = await signUpDirect(event.id);
    await signUpDirect(event.id); // waitlisted: no reminder
    const now = new Date(event.startsAt.getTime() - 23 * 3_600_000);
    await withDb((db) => enqueueReminders(db, now));
    await withDb((db) => enqueueReminders(db, new Date(now.getTime() + 3_600_000)));
    const reminders = (await notificationsOf(event.id)).filter((row) => row.kind === "reminder");
    expect(reminders.map((row) => row.signupId)).toEqual([confirmed.signup.id]);
  });

  it("queues no reminder for an event more than 24 hours ahead (it goes out about a day before, never 26 hours or more)", async () => {
    const { event } = await makeOpenEvent();
    await signUpDirect(event.id);
    const now = new Date(event.startsAt.getTime() - 25 * 3_600_000);
    await withDb((db) => enqueueReminders(db, now));
    const reminders = (await notificationsOf(event.id)).filter((row) => row.kind === "reminder");
    expect(reminders).toHaveLength(0);
  });
});
