import { describe, expect, it } from "vitest";
import { findPgError } from "../../src/lib/database-errors";
import {
  at,
  futureDay,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";

async function constraintOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const pg = findPgError(error);
    return pg ? `${pg.code} ${pg.constraint}` : String(error);
  }
}

describe("the database refuses double booking, whatever the application does", () => {
  it("refuses a second overlapping event for the same social worker", async () => {
    const community = await makeCommunity(places.shenhe);
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    const second = makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 10:30`),
      end: at(`${day} 12:00`),
    });
    expect(await constraintOf(second)).toBe("23P01 events_lead_no_overlap");
  });

  it("allows back-to-back events (ranges are half-open)", async () => {
    const community = await makeCommunity(places.shenhe);
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    const next = makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 11:00`),
      end: at(`${day} 12:00`),
    });
    expect(await constraintOf(next)).toBeUndefined();
  });

  it("lets a cancelled event's slot be booked again", async () => {
    const community = await makeCommunity(places.shenhe);
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    const slot = { start: at(`${day} 09:00`), end: at(`${day} 11:00`) };
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      ...slot,
      status: "cancelled",
    });
    expect(
      await constraintOf(
        makeEvent({ communityId: community.id, socialWorkerId: worker.id, ...slot }),
      ),
    ).toBeUndefined();
  });

  it("refuses a volunteer team in two overlapping events with different social workers", async () => {
    const community = await makeCommunity(places.shenhe);
    const team = await makeTeam(places.shenhe);
    const [a, b] = [await makeSocialWorker(places.shenhe), await makeSocialWorker(places.shenhe)];
    const day = futureDay();
    await makeEvent({
      communityId: community.id,
      socialWorkerId: a.id,
      teamIds: [team.id],
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    const clash = makeEvent({
      communityId: community.id,
      socialWorkerId: b.id,
      teamIds: [team.id],
      start: at(`${day} 10:00`),
      end: at(`${day} 13:00`),
    });
    expect(await constraintOf(clash)).toBe("23P01 event_teams_team_no_overlap");
  });

  it("refuses an event that ends before it starts", async () => {
    const community = await makeCommunity(places.shenhe);
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    const backwards = makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 11:00`),
      end: at(`${day} 09:00`),
    });
    // The generated range column refuses it (22000) before the CHECK constraint gets to (23514).
    expect(await constraintOf(backwards)).toMatch(/^(22000|23514)/);
  });
});
