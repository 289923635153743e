import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { outcomes, periodLockExclusions, periodLocks } from "../../src/db/schema";
import {
  type Actor,
  at,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call, clockAt, errorOf, withDb } from "./helpers";

// Months 2012-01 … 2012-12 in 沈河区 are this file's alone: a lock covers the whole county.
const county = places.shenhe;
let community: { id: string; regionCode: string };
let department: Actor;
let admin: Actor;

beforeAll(async () => {
  community = await makeCommunity(county);
  department = await makeActor({ role: "department", regionCode: county });
  admin = await makeActor({ role: "admin" });
});

/** A past event of this file's community on `day`, with its lead's token. */
async function pastEvent(day: string) {
  const worker = await makeSocialWorker(county);
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
  });
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  return { event, lead };
}

const later = clockAt(at("2013-06-01 10:00"));

function record(eventId: string, token: string) {
  return call("PUT", `/api/v1/events/${eventId}/outcome`, {
    token,
    json: { personTimes: { residents: 10 }, volunteersAttended: 2 },
    headers: later,
  });
}

function close(month: string, extra: Record<string, unknown> = {}) {
  return call("POST", "/api/v1/period-locks", {
    token: department.token,
    json: { region: county, month, ...extra },
    headers: later,
  });
}

interface LockBody {
  excluded: number;
  excludedOutcomes: { eventId: string; title: string }[];
}

describe("closing a month with outcomes awaiting sign-off", () => {
  it("returns 409 listing the unsigned outcomes, and closes nothing", async () => {
    const { event, lead } = await pastEvent("2012-01-10");
    const signed = await pastEvent("2012-01-11");
    expect((await record(event.id, lead.token)).status).toBe(201);
    expect((await record(signed.event.id, signed.lead.token)).status).toBe(201);
    await call("POST", `/api/v1/events/${signed.event.id}/outcome/sign-off`, {
      token: signed.lead.token,
      headers: later,
    });

    const refused = await close("2012-01");
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.message).toMatch(/sign-off/);
    expect((error as unknown as { unsigned: unknown }).unsigned).toEqual([
      { eventId: event.id, title: event.title },
    ]);
    const list = await call(
      "GET",
      `/api/v1/period-locks?region=${county}&from=2012-01&to=2012-01`,
      {
        token: department.token,
      },
    );
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it("closes anyway when asked, listing the outcomes it left out", async () => {
    const { event, lead } = await pastEvent("2012-02-10");
    expect((await record(event.id, lead.token)).status).toBe(201);

    const closed = await close("2012-02", { excludeUnsigned: true });
    expect(closed.status).toBe(201);
    const body = (await closed.json()) as LockBody;
    expect(body.excluded).toBe(1);
    expect(body.excludedOutcomes).toEqual([{ eventId: event.id, title: event.title }]);

    const list = await call(
      "GET",
      `/api/v1/period-locks?region=${county}&from=2012-02&to=2012-02`,
      {
        token: department.token,
      },
    );
    const { items } = (await list.json()) as { items: LockBody[] };
    expect(items.map((item) => item.excluded)).toEqual([1]);

    const tally = await call("GET", `/api/v1/tallies?region=${county}&from=2012-02&to=2012-02`, {
      token: department.token,
    });
    const figures = (await tally.json()) as { totals: { events: number }; awaitingSignOff: number };
    expect(figures.totals.events).toBe(0);
    expect(figures.awaitingSignOff).toBe(1);

    const signOff = await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, {
      token: lead.token,
      headers: later,
    });
    expect(signOff.status).toBe(409);

    const audit = await call("GET", `/api/v1/audit-log?entity=period&entityId=${county}/2012-02`, {
      token: admin.token,
    });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(await audit.json())).toContain(event.id);
  });

  it("forgets the exclusions when an admin reopens the month, so they can be signed off", async () => {
    const { event, lead } = await pastEvent("2012-03-10");
    await record(event.id, lead.token);
    expect((await close("2012-03", { excludeUnsigned: true })).status).toBe(201);
    const reopened = await call("POST", `/api/v1/period-locks/${county}/2012-03/reopen`, {
      token: admin.token,
      json: { reason: "补签" },
    });
    expect(reopened.status).toBe(204);
    const signOff = await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, {
      token: lead.token,
      headers: later,
    });
    expect(signOff.status).toBe(200);
    const again = await close("2012-03");
    expect(again.status).toBe(201);
    expect(((await again.json()) as LockBody).excluded).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Closing a month raced against outcome writes, on real PostgreSQL.
//
// The interleaving is forced, not hoped for: one transaction of the test's own holds an outcome
// write open while the other side runs through the Worker, and the test waits until PostgreSQL
// shows that side waiting for the month's period lock (pg_locks) — or answering without waiting,
// which is what happened before migration 0031. Without the lock (refuse_closed_period reading
// period_locks unlocked, closePeriod not taking the exclusive lock) each of these tests fails:
// the close answers at once, both commit, and an outcome the close never saw sits in the closed
// month (an unsigned outcome not listed as left out; a listed one signed off after the close; an
// outcome recorded into a month closed before it committed).
// PGlite has one session for every connection: a transaction held open by the test would stop
// the Worker's own queries, so these run only with TEST_DATABASE=postgres.

const onPostgres = env.TEST_DATABASE_KIND === "postgres";

/** The second key of a month's period lock (migration 0031's period_lock_key). */
const lockKey = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/**
 * Resolves true once some transaction waits for `month`'s period lock, or false if `settled`
 * happens first (the other side did not wait at all).
 */
async function waitsForPeriodLock(month: string, settled: Promise<unknown>): Promise<boolean> {
  let done = false;
  settled.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  return withDb(async (db) => {
    while (!done) {
      const result = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objsubid = 2
              and objid = ${lockKey(month)} and not granted`,
      );
      if (Number(result.rows[0]?.n ?? 0) > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  });
}

/** Holds a transaction open after `write` until `release` is called. */
function heldTransaction(
  write: (tx: Parameters<Parameters<typeof withDb>[0]>[0]) => Promise<void>,
) {
  let release!: () => void;
  let ready!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const written = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const committed = withDb((db) =>
    db.transaction(async (tx) => {
      await write(tx as never);
      ready();
      await released;
    }),
  );
  return { written, committed, release };
}

/** Outcomes of this file's community in `month` that the lock neither counts nor left out. */
async function strandedIn(month: string) {
  return withDb(async (db) => {
    const result = await db.execute<{ event_id: string }>(sql`
      select o.event_id from ${outcomes} o
       where o.community_id = ${community.id} and o.month = ${`${month}-01`}
         and exists (select 1 from ${periodLocks} l where l.region_code = ${county}
                       and l.month = o.month)
         and (o.status = 'recorded') <> exists (
               select 1 from ${periodLockExclusions} x
                where x.event_id = o.event_id and x.month = o.month)`);
    return result.rows.map((row) => row.event_id);
  });
}

describe.skipIf(!onPostgres)("closing a month raced against outcome writes (PostgreSQL)", () => {
  it("waits for an outcome being recorded, then leaves it out as unsigned", async () => {
    const { event } = await pastEvent("2012-05-10");
    const writer = heldTransaction(async (tx) => {
      await tx.insert(outcomes).values({
        eventId: event.id,
        communityId: community.id,
        regionCode: community.regionCode,
        serviceType: "counselling",
        leadSocialWorkerId: event.leadSocialWorkerId,
        month: "2012-05-01",
        volunteersAttended: 0,
        volunteerHours: 0,
      });
    });
    await writer.written;
    const closing = close("2012-05", { excludeUnsigned: true });
    const waited = await waitsForPeriodLock("2012-05", closing);
    writer.release();
    await writer.committed;
    const closed = await closing;
    expect(closed.status).toBe(201);
    expect(await strandedIn("2012-05")).toEqual([]);
    expect(((await closed.json()) as LockBody).excludedOutcomes.map((o) => o.eventId)).toEqual([
      event.id,
    ]);
    expect(waited).toBe(true);
  });

  it("waits for a sign-off in flight, then does not list that outcome as left out", async () => {
    const { event, lead } = await pastEvent("2012-06-10");
    expect((await record(event.id, lead.token)).status).toBe(201);
    const writer = heldTransaction(async (tx) => {
      await tx
        .update(outcomes)
        .set({ status: "signed_off", signedOffAt: new Date() })
        .where(eq(outcomes.eventId, event.id));
    });
    await writer.written;
    const closing = close("2012-06", { excludeUnsigned: true });
    const waited = await waitsForPeriodLock("2012-06", closing);
    writer.release();
    await writer.committed;
    const closed = await closing;
    expect(closed.status).toBe(201);
    expect(await strandedIn("2012-06")).toEqual([]);
    expect(((await closed.json()) as LockBody).excluded).toBe(0);
    expect(waited).toBe(true);
  });

  it("makes an outcome recorded while the month is being closed wait, then refuses it", async () => {
    const { event, lead } = await pastEvent("2012-07-10");
    // The test closes the month the way closePeriod does, and holds the close open.
    const closer = heldTransaction(async (tx) => {
      await tx.execute(sql`select lock_period_month('2012-07-01'::date, true)`);
      await tx.insert(periodLocks).values({
        regionCode: county,
        regionPrefix: county,
        month: "2012-07-01",
      });
    });
    await closer.written;
    const recording = record(event.id, lead.token);
    const waited = await waitsForPeriodLock("2012-07", recording);
    closer.release();
    await closer.committed;
    const response = await recording;
    expect(await strandedIn("2012-07")).toEqual([]);
    expect(response.status).toBe(409);
    expect((await errorOf(response)).message).toMatch(/closed/);
    expect(waited).toBe(true);
  });
});
