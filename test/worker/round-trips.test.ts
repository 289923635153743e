import { beforeAll, describe, expect, it } from "vitest";
import { places } from "./factories";
import { freshMobile, makeAddressedCommunity, makePublicEvent, soon } from "./public-helpers";
import { countFor } from "./relay-counts";

// Round trips are what a poster crowd costs the pooled connection: each is a wait on the network
// and a turn of the pooler. The relay counts them (one per simple Query or Sync) per request.

/**
 * A sign-up's immediate message, sent after the answer: one UPDATE claims it for a while, one
 * marks it sent (at least once: a request that dies between them leaves it to the Cron job).
 */
const MESSAGE = 2;

const signUp = (eventId: string, mobile = freshMobile()) =>
  countFor(`/api/v1/events/${eventId}/signups`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "程志愿", mobile, consent: true }),
  });

describe("round trips on the volunteers' hot paths", () => {
  let community: { id: string };

  beforeAll(async () => {
    community = await makeAddressedCommunity(places.shenhe);
  });

  const openEvent = async (capacity: number) =>
    (await makePublicEvent(community.id, places.shenhe, { ...soon(), capacity })).event.id;

  it("takes a sign-up in one round trip, confirmed or waitlisted, then sends its message", async () => {
    const eventId = await openEvent(1);
    const confirmed = await signUp(eventId);
    expect(confirmed.status).toBe(201);
    expect(confirmed.roundTrips).toBe(1 + MESSAGE);
    const waitlisted = await signUp(eventId);
    expect(waitlisted.status).toBe(201);
    expect(JSON.parse(waitlisted.body)).toMatchObject({ signup: { waitlistPosition: 1 } });
    expect(waitlisted.roundTrips).toBe(1 + MESSAGE);
  });

  it("answers a repeated sign-up, a missing event and a cancelled one in one round trip", async () => {
    const eventId = await openEvent(3);
    const mobile = freshMobile();
    await signUp(eventId, mobile);
    const again = await signUp(eventId, mobile);
    expect(again.status).toBe(200);
    expect(again.roundTrips).toBe(1);
    const missing = await signUp(crypto.randomUUID());
    expect(missing.status).toBe(404);
    expect(missing.roundTrips).toBe(1);
    const cancelled = (
      await makePublicEvent(community.id, places.shenhe, { ...soon(), status: "cancelled" })
    ).event.id;
    const refused = await signUp(cancelled);
    expect(refused.status).toBe(409);
    expect(refused.roundTrips).toBe(1);
  });

  it("cancels and passes the place on in one transaction without re-reading what it knows", async () => {
    const eventId = await openEvent(1);
    const holder = JSON.parse((await signUp(eventId)).body) as { manageToken: string };
    await signUp(eventId);
    const cancel = await countFor(`/api/v1/signups/manage/${holder.manageToken}/cancel`, {
      method: "POST",
    });
    expect(cancel.status).toBe(200);
    expect(JSON.parse(cancel.body)).toMatchObject({ changed: true, placePassedOn: true });
    // BEGIN, the sign-up with its event, the counter lock, the cancellation, the promotion, the
    // promoted volunteer's message (one statement), COMMIT; then that message is sent.
    expect(cancel.roundTrips).toBe(7 + MESSAGE);
  });

  it("shows an event's page from one query", async () => {
    const eventId = await openEvent(5);
    const page = await countFor(`/events/${eventId}`);
    expect(page.status).toBe(200);
    expect(page.roundTrips).toBe(1);
  });
});
