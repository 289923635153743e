import { beforeAll, describe, expect, it } from "vitest";
import { makeActor, places } from "./factories";
import { freshMobile, makeAddressedCommunity, makePublicEvent, soon } from "./public-helpers";
import { countFor } from "./relay-counts";

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
