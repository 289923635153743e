import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { makeActor, places } from "./factories";
import { freshMobile, makeAddressedCommunity, makePublicEvent, soon } from "./public-helpers";

const app = createApp();

interface Counts {
  connections: number;
  roundTrips: number;
}

/**
 * Sends one request to the app with the relay address tagged for it alone, waits until the
 * response is sent and the request's background work (closing the pool) is done, and returns
 * the database sessions and round trips the relay carried for it.
 */
async function countFor(
  path: string,
  init: RequestInit = {},
): Promise<Counts & { status: number }> {
  const tag = `/count-${crypto.randomUUID()}`;
  const bindings = {
    ...env,
    LOCAL_DB_PROXY: `${(env.LOCAL_DB_PROXY ?? "").replace(/\/$/, "")}${tag}`,
  };
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://shuangyi.test${path}`, init), bindings, ctx);
  await response.arrayBuffer();
  await waitOnExecutionContext(ctx);
  const stats = (await (await fetch(env.TEST_RELAY_STATS_URL)).json()) as {
    byPath: Record<string, Counts>;
  };
  const counts = stats.byPath[tag] ?? { connections: 0, roundTrips: 0 };
  return { status: response.status, ...counts };
}

describe("one database connection per request (as behind Neon's pooled endpoint)", () => {
  let eventId: string;
  let adminToken: string;

  beforeAll(async () => {
    const community = await makeAddressedCommunity(places.shenhe);
    ({
      event: { id: eventId },
    } = await makePublicEvent(community.id, places.shenhe, { ...soon(), capacity: 5 }));
    adminToken = (await makeActor({ role: "admin" })).token;
  });

  it("opens one session for the public list, whose queries run side by side", async () => {
    const counts = await countFor("/events");
    expect(counts.status).toBe(200);
    expect(counts.connections).toBe(1);
  });

  it("opens one session for a sign-up, its reads and its transaction", async () => {
    const counts = await countFor(`/api/v1/events/${eventId}/signups`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "连志愿", mobile: freshMobile(), consent: true }),
    });
    expect(counts.status).toBe(201);
    expect(counts.connections).toBe(1);
  });

  it("opens one session for an authenticated API read (token check, then the query)", async () => {
    const counts = await countFor("/api/v1/events?limit=5", {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(counts.status).toBe(200);
    expect(counts.connections).toBe(1);
  });

  it("opens none for a route without the database", async () => {
    const counts = await countFor("/openapi.json");
    expect(counts.status).toBe(200);
    expect(counts.connections).toBe(0);
  });
});
