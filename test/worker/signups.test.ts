import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { eventSignupCounters, events, signups } from "../../src/db/schema";
import { findPgError } from "../../src/lib/database-errors";
import { at, futureDay, makeCommunity, makeEvent, makeSocialWorker, places } from "./factories";
import { call, errorOf, withDb } from "./helpers";

type SignupView = {
  id: string;
  eventId: string;
  name: string;
  mobile: string;
  status: string;
  waitlistPosition: number | null;
  confirmationCode: string;
};
type Created = { existing: false; signup: SignupView; manageToken: string; manageUrl: string };
type Existing = { existing: true; signup: Pick<SignupView, "status" | "waitlistPosition"> };

let communityId: string;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe)).id;
});

/** A scheduled event on a future day, with its own social worker so events never overlap. */
async function makeOpenEvent(values: { capacity?: number; status?: "cancelled" } = {}) {
  const worker = await makeSocialWorker(places.shenhe);
  const day = futureDay();
  return makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
    ...values,
  });
}

/** The n-th distinct mainland mobile number of a test. */
function mobile(n: number): string {
  return `139${String(n).padStart(8, "0")}`;
}

function signUp(eventId: string, body: Record<string, unknown>) {
  return call("POST", `/api/v1/events/${eventId}/signups`, {
    json: { name: "李志愿", consent: true, ...body },
  });
}

async function created(response: Response): Promise<Created> {
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

function rowsOf(eventId: string) {
  return withDb((db) => db.select().from(signups).where(eq(signups.eventId, eventId)));
}

describe("signing up for an event", () => {
  it("confirms a volunteer without a token, shows the mobile masked and a 6-character code", async () => {
    const event = await makeOpenEvent();
    const body = await created(await signUp(event.id, { mobile: "+86 138-1234-5678" }));
    expect(body.signup).toMatchObject({ status: "confirmed", mobile: "138****5678" });
    expect(body.signup.waitlistPosition).toBeNull();
    expect(body.signup.confirmationCode).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    expect(body.manageToken.length).toBeGreaterThanOrEqual(20);
  });

  it("never stores the plain mobile number", async () => {
    const event = await makeOpenEvent();
    await created(await signUp(event.id, { mobile: "13812345678" }));
    const [row] = await rowsOf(event.id);
    expect(JSON.stringify(row)).not.toContain("13812345678");
  });

  it("confirms up to the capacity and waitlists the next with position 1", async () => {
    const event = await makeOpenEvent({ capacity: 20 });
    for (let i = 0; i < 20; i++) {
      const body = await created(await signUp(event.id, { mobile: mobile(i) }));
      expect(body.signup.status).toBe("confirmed");
    }
    const twentyFirst = await created(await signUp(event.id, { mobile: mobile(20) }));
    expect(twentyFirst.signup).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    const twentySecond = await created(await signUp(event.id, { mobile: mobile(21) }));
    expect(twentySecond.signup.waitlistPosition).toBe(2);
  });

  it("returns the existing sign-up with 200 when the same mobile submits twice, keeping one row", async () => {
    const event = await makeOpenEvent();
    const first = await created(await signUp(event.id, { mobile: "13812345678" }));
    const again = await signUp(event.id, { mobile: "138 1234 5678", name: "李志愿" });
    expect(again.status).toBe(200);
    const body = (await again.json()) as Existing;
    expect(body).toMatchObject({ existing: true, signup: { status: first.signup.status } });
    expect(body.signup).not.toHaveProperty("id");
    expect(body).not.toHaveProperty("manageToken");
    expect(await rowsOf(event.id)).toHaveLength(1);
  });

  it("answers 400 naming consent when consent is missing or false", async () => {
    const event = await makeOpenEvent();
    for (const consent of [false, undefined, "true"]) {
      const response = await signUp(event.id, { mobile: "13812345678", consent });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues.map((issue) => issue.path)).toContain("consent");
    }
    expect(await rowsOf(event.id)).toHaveLength(0);
  });

  it("answers 400 naming mobile for numbers that are not mainland mobiles", async () => {
    const event = await makeOpenEvent();
    for (const bad of ["12812345678", "1381234567", "138123456789", "abc", "", "+1 415 555 0100"]) {
      const response = await signUp(event.id, { mobile: bad });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.issues.map((issue) => issue.path)).toContain("mobile");
      expect(JSON.stringify(error)).not.toContain(bad || "\u0000");
    }
  });

  it("answers 400 for an empty or 500-character name and for unknown fields", async () => {
    const event = await makeOpenEvent();
    for (const body of [
      { name: "  ", mobile: "13812345678" },
      { name: "长".repeat(500), mobile: "13812345678" },
      { mobile: "13812345678", idCard: "210102199001011234" },
    ]) {
      expect((await signUp(event.id, body)).status).toBe(400);
    }
  });

  it("answers 409 for a cancelled event", async () => {
    const event = await makeOpenEvent({ status: "cancelled" });
    const response = await signUp(event.id, { mobile: "13812345678" });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ code: "CONFLICT", reason: "event_cancelled" });
  });

  it("answers 409 once sign-ups have closed", async () => {
    const event = await makeOpenEvent();
    await withDb((db) =>
      db
        .update(events)
        .set({ signupClosesAt: new Date(Date.now() - 60_000) })
        .where(eq(events.id, event.id)),
    );
    const response = await signUp(event.id, { mobile: "13812345678" });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ reason: "signups_closed" });
  });

  it("answers 404 for an event that does not exist", async () => {
    const response = await signUp(crypto.randomUUID(), { mobile: "13812345678" });
    expect(response.status).toBe(404);
  });
});

describe("the private link", () => {
  it("shows the volunteer their own mobile number, masked", async () => {
    const event = await makeOpenEvent();
    const { manageToken, signup } = await created(
      await signUp(event.id, { mobile: "13812345678" }),
    );
    const response = await call("GET", `/api/v1/signups/manage/${manageToken}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { signup: SignupView; event: { id: string } };
    expect(body.signup).toMatchObject({ id: signup.id, mobile: "138****5678" });
    expect(body.event.id).toBe(event.id);
  });

  it("answers 404 for an unknown token", async () => {
    expect((await call("GET", "/api/v1/signups/manage/not-a-real-token-000000000")).status).toBe(
      404,
    );
  });

  it("cancelling a confirmed sign-up promotes exactly the first waitlisted", async () => {
    const event = await makeOpenEvent({ capacity: 1 });
    const holder = await created(await signUp(event.id, { mobile: mobile(1) }));
    const first = await created(await signUp(event.id, { mobile: mobile(2) }));
    const second = await created(await signUp(event.id, { mobile: mobile(3) }));
    const response = await call("POST", `/api/v1/signups/manage/${holder.manageToken}/cancel`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      signup: { status: "cancelled" },
      changed: true,
      placePassedOn: true,
    });
    const status = new Map((await rowsOf(event.id)).map((row) => [row.id, row.status]));
    expect(status.get(first.signup.id)).toBe("confirmed");
    expect(status.get(second.signup.id)).toBe("waitlisted");
    const view = await call("GET", `/api/v1/signups/manage/${second.manageToken}`);
    expect(((await view.json()) as { signup: SignupView }).signup.waitlistPosition).toBe(1);
  });

  it("cancelling twice changes nothing the second time", async () => {
    const event = await makeOpenEvent({ capacity: 1 });
    const holder = await created(await signUp(event.id, { mobile: mobile(1) }));
    await created(await signUp(event.id, { mobile: mobile(2) }));
    const path = `/api/v1/signups/manage/${holder.manageToken}/cancel`;
    expect((await call("POST", path)).status).toBe(200);
    const again = await call("POST", path);
    expect(await again.json()).toMatchObject({ changed: false, placePassedOn: false });
    const confirmed = (await rowsOf(event.id)).filter((row) => row.status === "confirmed");
    expect(confirmed).toHaveLength(1);
  });

  it("lets a cancelled volunteer sign up again as a new sign-up", async () => {
    const event = await makeOpenEvent();
    const first = await created(await signUp(event.id, { mobile: "13812345678" }));
    await call("POST", `/api/v1/signups/manage/${first.manageToken}/cancel`);
    const again = await created(await signUp(event.id, { mobile: "13812345678" }));
    expect(again.signup.id).not.toBe(first.signup.id);
  });
});

describe("the database refuses overbooking by itself", () => {
  it("refuses a confirmed sign-up beyond capacity written past the application (CHECK)", async () => {
    const event = await makeOpenEvent({ capacity: 1 });
    await created(await signUp(event.id, { mobile: mobile(1) }));
    const [stored] = await rowsOf(event.id);
    if (!stored) throw new Error("no sign-up");
    const error = await withDb((db) =>
      db
        .insert(signups)
        .values({
          ...stored,
          id: undefined,
          mobileHash: "f".repeat(64),
          manageTokenHash: "e".repeat(64),
          confirmationCode: "AAAAAA",
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        ),
    );
    expect(findPgError(error)).toMatchObject({
      code: "23514",
      constraint: "event_signup_counters_within_capacity",
    });
  });

  it("refuses lowering an event's capacity below its confirmed sign-ups", async () => {
    const event = await makeOpenEvent({ capacity: 2 });
    await created(await signUp(event.id, { mobile: mobile(1) }));
    await created(await signUp(event.id, { mobile: mobile(2) }));
    const error = await withDb((db) =>
      db
        .update(events)
        .set({ capacity: 1 })
        .where(eq(events.id, event.id))
        .then(
          () => undefined,
          (caught: unknown) => caught,
        ),
    );
    expect(findPgError(error)?.code).toBe("23514");
  });
});

describe("under concurrency", () => {
  // pglite-socket takes at most 100 connections and runs them one at a time; real PostgreSQL
  // takes the whole burst in parallel.
  const attempts = env.TEST_DATABASE_KIND === "postgres" ? 200 : 60;
  const capacity = 20;

  it(`${attempts} simultaneous sign-ups for ${capacity} places confirm exactly ${capacity} and queue the rest 1..n`, async () => {
    const event = await makeOpenEvent({ capacity });
    const started = Date.now();
    const bodies = await Promise.all(
      Array.from({ length: attempts }, async (_, i) =>
        created(await signUp(event.id, { mobile: mobile(i) })),
      ),
    );
    console.info(`${attempts} concurrent sign-ups: ${Date.now() - started} ms`);
    const confirmed = bodies.filter((body) => body.signup.status === "confirmed");
    const waitlisted = bodies.filter((body) => body.signup.status === "waitlisted");
    expect(confirmed).toHaveLength(capacity);
    expect(waitlisted).toHaveLength(attempts - capacity);
    const positions = waitlisted
      .map((body) => body.signup.waitlistPosition)
      .sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(positions).toEqual(Array.from({ length: attempts - capacity }, (_, i) => i + 1));
    const rows = await rowsOf(event.id);
    const bySeq = rows
      .filter((row) => row.status === "waitlisted")
      .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
      .map((row) => row.id);
    const byPosition = [...waitlisted]
      .sort((a, b) => (a.signup.waitlistPosition ?? 0) - (b.signup.waitlistPosition ?? 0))
      .map((body) => body.signup.id);
    expect(bySeq).toEqual(byPosition);
    const [counter] = await withDb((db) =>
      db.select().from(eventSignupCounters).where(eq(eventSignupCounters.eventId, event.id)),
    );
    expect(counter?.confirmed).toBe(capacity);

    // Every confirmed volunteer cancels at once: each frees a place the next in line takes.
    const cancellations = await Promise.all(
      confirmed.map((body) => call("POST", `/api/v1/signups/manage/${body.manageToken}/cancel`)),
    );
    const results = await Promise.all(
      cancellations.map(async (response) => {
        expect(response.status).toBe(200);
        return (await response.json()) as { placePassedOn: boolean };
      }),
    );
    expect(results.filter((result) => result.placePassedOn)).toHaveLength(capacity);
    const promoted = await withDb((db) =>
      db
        .select({ id: signups.id })
        .from(signups)
        .where(and(eq(signups.eventId, event.id), eq(signups.status, "confirmed"))),
    );
    expect(promoted.map((row) => row.id).sort()).toEqual(byPosition.slice(0, capacity).sort());
  });
});
