import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys, needs } from "../../src/db/schema";
import { forgetExpiredIdempotencyKeys } from "../../src/middleware/idempotency";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
  unique,
} from "./factories";
import { call, errorOf, withDb } from "./helpers";

let community: { id: string };
let coordinator: Actor;

beforeAll(async () => {
  community = await makeCommunity(places.shenhe);
  coordinator = await makeActor({ role: "coordinator", communityId: community.id });
});

/** A need body whose notes mark it, so the test can count what was stored. */
function needBody(marker: string) {
  const day = futureDay();
  return {
    serviceType: "elderly_care",
    targetGroups: ["elderly"],
    expectedPeople: 40,
    windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T12:00:00+08:00` }],
    durationMinutes: 90,
    volunteersNeeded: 5,
    notes: marker,
  };
}

const needsMarked = (marker: string) =>
  withDb((db) => db.select({ id: needs.id }).from(needs).where(eq(needs.notes, marker)));

const post = (body: unknown, key?: string, token = coordinator.token) =>
  call("POST", "/api/v1/needs", {
    token,
    json: body,
    headers: key ? { "Idempotency-Key": key } : {},
  });

describe("Idempotency-Key", () => {
  it("replays the stored response for an identical retry, marked as replayed", async () => {
    const marker = unique("idem-");
    const key = crypto.randomUUID();
    const body = needBody(marker);
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const retry = await post(body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await needsMarked(marker)).toHaveLength(1);
  });

  it("refuses the same key with a different body (409) and stores nothing", async () => {
    const marker = unique("idem-");
    const key = crypto.randomUUID();
    expect((await post(needBody(marker), key)).status).toBe(201);
    const other = await post({ ...needBody(marker), expectedPeople: 41 }, key);
    expect(other.status).toBe(409);
    expect((await errorOf(other)).message).toMatch(/different request/);
    const empty = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      headers: { "Idempotency-Key": key, "Content-Type": "application/json" },
    });
    expect(empty.status).toBe(409);
    expect(await needsMarked(marker)).toHaveLength(1);
  });

  it("keeps nothing for a failed first request, so the corrected retry runs", async () => {
    const marker = unique("idem-");
    const key = crypto.randomUUID();
    const bad = await post({ ...needBody(marker), expectedPeople: 0 }, key);
    expect(bad.status).toBe(400);
    const fixed = await post(needBody(marker), key);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await needsMarked(marker)).toHaveLength(1);
  });

  it("creates once when the same request races itself", async () => {
    const marker = unique("idem-");
    const key = crypto.randomUUID();
    const body = needBody(marker);
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(body, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const status of statuses) expect([201, 409]).toContain(status);
    expect(await needsMarked(marker)).toHaveLength(1);
  });

  it("keeps keys per account: another account's same key is its own", async () => {
    const other = await makeActor({ role: "coordinator", communityId: community.id });
    const key = crypto.randomUUID();
    const a = unique("idem-");
    const b = unique("idem-");
    expect((await post(needBody(a), key)).status).toBe(201);
    expect((await post(needBody(b), key, other.token)).status).toBe(201);
    expect(await needsMarked(a)).toHaveLength(1);
    expect(await needsMarked(b)).toHaveLength(1);
  });

  it("refuses a malformed key with 400", async () => {
    const response = await post(needBody(unique("idem-")), "x".repeat(256));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues[0]?.path).toBe("Idempotency-Key");
  });

  it("replays a recorded outcome even after it changed, as Stripe does", async () => {
    const worker = await makeSocialWorker(places.shenhe);
    const event = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at("2021-09-01 09:00"),
      end: at("2021-09-01 10:00"),
    });
    const key = crypto.randomUUID();
    const put = (json: unknown, headers: Record<string, string> = {}) =>
      call("PUT", `/api/v1/events/${event.id}/outcome`, {
        token: coordinator.token,
        json,
        headers,
      });
    const first = await put(
      { personTimes: { elderly: 10 }, volunteersAttended: 1 },
      { "Idempotency-Key": key },
    );
    expect(first.status).toBe(201);
    expect((await put({ personTimes: { elderly: 12 }, volunteersAttended: 1 })).status).toBe(200);
    const retry = await put(
      { personTimes: { elderly: 10 }, volunteersAttended: 1 },
      { "Idempotency-Key": key },
    );
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { personTimesTotal: number }).personTimesTotal).toBe(10);
  });

  it("forgets keys after 24 hours (the Cron Trigger's clock)", async () => {
    const key = crypto.randomUUID();
    expect((await post(needBody(unique("idem-")), key)).status).toBe(201);
    const mine = and(
      eq(idempotencyKeys.accountId, coordinator.accountId),
      eq(idempotencyKeys.key, key),
    );
    await withDb((db) => forgetExpiredIdempotencyKeys(db, new Date(Date.now() + 23 * 3_600_000)));
    expect(await withDb((db) => db.select().from(idempotencyKeys).where(mine))).toHaveLength(1);
    await withDb((db) => forgetExpiredIdempotencyKeys(db, new Date(Date.now() + 25 * 3_600_000)));
    expect(await withDb((db) => db.select().from(idempotencyKeys).where(mine))).toHaveLength(0);
  });
});
