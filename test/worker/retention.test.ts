import { and, eq, gte } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, eventSignupCounters, events, signups } from "../../src/db/schema";
import worker from "../../src/index";
import { runScheduledJobs } from "../../src/scheduled";
import { anonymiseExpiredSignups } from "../../src/signups/retention";
import { signUp } from "../../src/signups/service";
import { at, makeCommunity, makeEvent, makeSocialWorker, places } from "./factories";
import { asCaller, testKeys, withDb } from "./helpers";

let communityId: string;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe)).id;
});

/**
 * An event with sign-ups, moved into a past far from every other test's events (which are all in
 * the future), so a fake clock there touches only this file's data.
 */
async function pastEventWithSignups(endsAt: Date, count: number) {
  const worker = await makeSocialWorker(places.shenhe);
  const start = at("2031-06-01 09:00");
  const event = await makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start,
    end: at("2031-06-01 11:00"),
    capacity: 2,
  });
  const keys = await testKeys();
  for (let i = 0; i < count; i++) {
    const mobile = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await asCaller(
      (caller) =>
        signUp(
          { ...caller, keys },
          { eventId: event.id, name: "钱志愿", mobile, skills: [], consent: true },
        ),
      new Date(start.getTime() - 86_400_000),
    );
  }
  await withDb((db) =>
    db
      .update(events)
      .set({ startsAt: new Date(endsAt.getTime() - 7_200_000), endsAt, status: "completed" })
      .where(eq(events.id, event.id)),
  );
  return event;
}

function signupsOf(eventId: string) {
  return withDb((db) => db.select().from(signups).where(eq(signups.eventId, eventId)));
}

describe("retention", () => {
  it("anonymises sign-ups of events ended more than the retention period ago, keeping counts", async () => {
    const old = await pastEventWithSignups(at("2003-01-10 11:00"), 3);
    const recent = await pastEventWithSignups(at("2003-03-01 11:00"), 2);
    const beforeOld = await signupsOf(old.id);
    const beforeRecent = await signupsOf(recent.id);
    const [counterBefore] = await withDb((db) =>
      db.select().from(eventSignupCounters).where(eq(eventSignupCounters.eventId, old.id)),
    );
    const now = at("2003-03-10 12:00");

    const count = await asCaller((caller) => anonymiseExpiredSignups(caller, 30), now);
    expect(count).toBeGreaterThanOrEqual(3);

    const afterOld = await signupsOf(old.id);
    expect(afterOld).toHaveLength(3);
    for (const row of afterOld) {
      const was = beforeOld.find((b) => b.id === row.id);
      expect(row).toMatchObject({
        name: "已删除",
        mobileCiphertext: "",
        mobileMasked: "",
        status: was?.status,
        confirmationCode: was?.confirmationCode,
      });
      expect(row.mobileHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.mobileHash).not.toBe(was?.mobileHash);
      expect(row.manageTokenHash).not.toBe(was?.manageTokenHash);
      expect(row.anonymisedAt?.getTime()).toBe(now.getTime());
    }
    const [counterAfter] = await withDb((db) =>
      db.select().from(eventSignupCounters).where(eq(eventSignupCounters.eventId, old.id)),
    );
    expect(counterAfter).toEqual(counterBefore);
    expect(await signupsOf(recent.id)).toEqual(beforeRecent);
  });

  it("records one audit entry with the count and no personal data", async () => {
    const old = await pastEventWithSignups(at("2005-01-10 11:00"), 1);
    const [row] = await signupsOf(old.id);
    const now = at("2005-03-10 12:00");
    await asCaller((caller) => anonymiseExpiredSignups(caller, 30), now);
    const entries = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(
          and(eq(auditLog.action, "anonymise"), gte(auditLog.at, new Date(Date.now() - 60_000))),
        ),
    );
    const mine = entries.filter(
      (entry) =>
        (entry.after as { eventsEndedBefore?: string }).eventsEndedBefore ===
        at("2005-02-08 12:00").toISOString(),
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]?.after).toMatchObject({ count: expect.any(Number), retentionDays: 30 });
    expect(JSON.stringify(mine[0])).not.toContain(row?.name ?? "钱志愿");
    expect(JSON.stringify(mine[0])).not.toContain(row?.mobileHash ?? "-");
  });

  it("anonymises nothing twice: a second run with the same clock changes no row", async () => {
    const old = await pastEventWithSignups(at("2007-01-10 11:00"), 2);
    const now = at("2007-03-10 12:00");
    await asCaller((caller) => anonymiseExpiredSignups(caller, 30), now);
    const first = await signupsOf(old.id);
    await asCaller(
      (caller) => anonymiseExpiredSignups(caller, 30),
      new Date(now.getTime() + 3_600_000),
    );
    expect(await signupsOf(old.id)).toEqual(first);
  });
});

describe("the scheduled job", () => {
  it("is exported as the Worker's scheduled handler", () => {
    expect(typeof worker.scheduled).toBe("function");
  });

  it("runs reminders, delivery and retention with the clock it is given", async () => {
    const old = await pastEventWithSignups(at("2009-01-10 11:00"), 2);
    const keys = await testKeys();
    const sender = { async send() {} };
    const report = await asCaller(
      (caller) => runScheduledJobs({ ...caller, keys }, sender, { retentionDays: 30 }),
      at("2009-03-10 12:00"),
    );
    expect(report.anonymised).toBeGreaterThanOrEqual(2);
    const rows = await signupsOf(old.id);
    expect(rows.map((row) => row.name)).toEqual(["已删除", "已删除"]);
  });
});
