/**
 * 研判's figures come from rollups (migration 0033) that a trigger keeps on every change of a
 * request. Two ways of computing each figure are compared after random histories that interleave
 * every entry point (the public form, the desk's API, the private link's rating, the Cron job's
 * limits): the API's figures against the same figures counted straight from the request records,
 * and the kept rollups against `request_rollup_rebuild()`. Then small counts: the split by asker
 * below the county is withheld from a county department, on the API, in CSV and on the dashboard.
 *
 * Isolation: 建昌县 (211422) in 2031, which no other test uses.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/client";
import { requestDurationRollup, requestRollup } from "../../src/db/schema";
import { checkRequestLimits } from "../../src/requests/limits";
import { rateRequest } from "../../src/requests/service";
import { askerKinds, requestKinds } from "../../src/requests/vocabulary";
import { type Actor, makeActor, makeCommunity } from "./factories";
import { asCaller, call, clockAt, withDb } from "./helpers";
import { askByForm, askFields, requestByCode } from "./requests-helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

const COUNTY = "211422";
const START = new Date("2031-01-06T09:00:00+08:00");
const PERIOD = { from: "2031-01", to: "2032-12" };
const DIMENSIONS = ["month", "kind", "askerKind", "region"] as const;

let places: { id: string; regionCode: string }[] = [];
let coordinators: Actor[] = [];
let admin: Actor;
let clock = START;
/** Every request this file asked, with its private link's token. */
const asked: { code: string; token: string }[] = [];

beforeAll(async () => {
  places = [await makeCommunity(COUNTY), await makeCommunity(COUNTY)];
  coordinators = await Promise.all(
    places.map((place) => makeActor({ role: "coordinator", communityId: place.id })),
  );
  admin = await makeActor({ role: "admin" });
});

type Op =
  | { t: "ask"; place: number; asker: number; kind: number }
  | { t: "accept" | "answer"; pick: number }
  | { t: "forward"; pick: number; to: number | null }
  | { t: "rate"; pick: number; rating: number }
  | { t: "cron" }
  | { t: "wait"; hours: number };

const pick = fc.nat({ max: 1_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("ask" as const),
      place: fc.nat({ max: 1 }),
      asker: fc.nat({ max: askerKinds.length - 1 }),
      kind: fc.nat({ max: requestKinds.length - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("accept" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("answer" as const), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("forward" as const),
      pick,
      to: fc.option(fc.nat({ max: 1 }), { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("rate" as const),
      pick,
      rating: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: "cron" as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("wait" as const),
      hours: fc.integer({ min: 1, max: 200 }),
    }),
  },
);

function needBody(now: Date) {
  const day = new Date(now.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
  return {
    serviceType: "elderly_care",
    targetGroups: ["elderly"],
    expectedPeople: 10,
    windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T12:00:00+08:00` }],
    durationMinutes: 60,
    volunteersNeeded: 2,
    requiredSkills: [],
  };
}

/** Carries out one operation; a refusal (409, 404 for a request forwarded away) is a fine outcome. */
async function perform(step: Op) {
  const headers = clockAt(clock);
  if (step.t === "wait") {
    clock = new Date(clock.getTime() + step.hours * 3_600_000);
    return;
  }
  if (step.t === "cron") {
    await asCaller((caller) => checkRequestLimits(caller), clock);
    return;
  }
  if (step.t === "ask") {
    const place = places[step.place] ?? places[0];
    const { code, token } = await askByForm(
      askFields(
        { c: place?.id },
        {
          askerKind: askerKinds[step.asker],
          kind: requestKinds[step.kind],
          description: "楼里的老人想请社工来讲讲防诈骗。",
          consent: null,
        },
      ),
      headers,
    );
    expect(code).toMatch(/^Q/);
    asked.push({ code, token });
    return;
  }
  const target = asked[step.pick % Math.max(asked.length, 1)];
  if (!target) return;
  if (step.t === "rate") {
    await asCaller(
      (caller) => rateRequest(caller, target.token, { rating: step.rating }),
      clock,
    ).catch((error: unknown) => {
      if (!(error instanceof Error) || !/rated|resolved or answered/.test(error.message))
        throw error;
    });
    return;
  }
  const row = await requestByCode(target.code);
  const desk = places.findIndex((place) => place.id === row.deskCommunityId);
  const token = desk >= 0 ? coordinators[desk]?.token : admin.token;
  let response: Response;
  if (step.t === "accept")
    response = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token,
      json: needBody(clock),
      headers,
    });
  else if (step.t === "answer")
    response = await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token,
      json: { reply: "已安排社工上门了解情况。" },
      headers,
    });
  else if (step.t === "forward")
    response = await call("POST", `/api/v1/requests/${row.id}/forward`, {
      token,
      json: {
        communityId: step.to === null ? null : (places[step.to]?.id ?? null),
        reason: "由邻近社区办理更方便",
      },
      headers,
    });
  else return;
  expect([200, 201, 409], await response.clone().text()).toContain(response.status);
}

interface Row {
  key: string;
  received: number;
  accepted: number;
  turnedIntoNeeds: number;
  resolved: number;
  resolvedWithinLimit: number;
  overdue: number;
  medianHoursToFirstAnswer: number | null;
  medianHoursToResolution: number | null;
  averageRating: number | null;
  ratings: number;
}

const median = (value: unknown) => (value === null ? null : Math.round(Number(value)) / 10);

/**
 * The oracle: the same figures counted straight from the request records of one community, with
 * PostgreSQL's own median and average, as the figures were computed before the rollups.
 */
async function fromRecords(
  db: Queryable,
  communityId: string,
  groupBy: (typeof DIMENSIONS)[number],
  period: { from: string; to: string },
  now: Date,
): Promise<Row[]> {
  const key = {
    month: sql`to_char(r.created_at at time zone 'Asia/Shanghai', 'YYYY-MM')`,
    kind: sql`r.kind::text`,
    askerKind: sql`r.asker_kind::text`,
    region: sql`c.region_code`,
  }[groupBy];
  const at = now.toISOString();
  const grouped = (select: ReturnType<typeof sql>) => sql`
    select ${select},
      count(*)::int as received, count(r.first_answered_at)::int as accepted,
      count(r.need_id)::int as "turnedIntoNeeds", count(r.resolved_at)::int as resolved,
      (count(*) filter (where r.resolved_at <= r.resolve_due_at))::int as "resolvedWithinLimit",
      (count(*) filter (where (r.status = 'received' and r.answer_due_at < ${at}::timestamptz)
        or (r.status in ('received', 'accepted') and r.resolve_due_at < ${at}::timestamptz)))::int as overdue,
      percentile_cont(0.5) within group (order by request_tenths(r.created_at, r.first_answered_at)) as first,
      percentile_cont(0.5) within group (order by request_tenths(r.created_at, r.resolved_at)) as resolution,
      round(avg(r.rating), 2)::float8 as "averageRating", count(r.rating)::int as ratings
    from requests r join communities c on c.id = r.community_id
    where r.community_id = ${communityId}
      and r.created_at >= (${`${period.from}-01`}::date)::timestamp at time zone 'Asia/Shanghai'
      and r.created_at < ((${`${period.to}-01`}::date + interval '1 month')::timestamp at time zone 'Asia/Shanghai')`;
  const rows = (await db.execute(
    sql`${grouped(sql`${key} as key`)} group by ${key} order by ${key}`,
  )) as unknown as { rows?: Record<string, unknown>[] } & Record<string, unknown>[];
  const list = (rows.rows ?? rows) as Record<string, unknown>[];
  return list.map((row) => ({
    key: String(row.key),
    received: Number(row.received),
    accepted: Number(row.accepted),
    turnedIntoNeeds: Number(row.turnedIntoNeeds),
    resolved: Number(row.resolved),
    resolvedWithinLimit: Number(row.resolvedWithinLimit),
    overdue: Number(row.overdue),
    medianHoursToFirstAnswer: median(row.first),
    medianHoursToResolution: median(row.resolution),
    averageRating: row.averageRating === null ? null : Number(row.averageRating),
    ratings: Number(row.ratings),
  }));
}

async function fromApi(
  regionCode: string,
  groupBy: (typeof DIMENSIONS)[number],
  period: { from: string; to: string },
): Promise<Row[]> {
  const response = await call(
    "GET",
    `/api/v1/requests/figures?region=${regionCode}&groupBy=${groupBy}&from=${period.from}&to=${period.to}`,
    { token: admin.token, headers: clockAt(clock) },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { rows: (Row & { label: string })[] };
  return body.rows.map(({ label: _label, ...row }) => row);
}

/** The rollup rows of this file's communities, as sorted lines. */
async function snapshot(db: Queryable) {
  const ids = places.map((place) => place.id);
  const counts = await db.select().from(requestRollup);
  const durations = await db.select().from(requestDurationRollup);
  return {
    counts: counts
      .filter((row) => ids.includes(row.communityId))
      .map((row) => Object.values(row).join(" "))
      .sort(),
    durations: durations
      .filter((row) => ids.includes(row.communityId))
      .map((row) => Object.values(row).join(" "))
      .sort(),
  };
}

class Rollback extends Error {}

describe("研判's figures from the rollups", () => {
  it("agree with the figures counted from the records after any history, on every split", async () => {
    // A history that reaches every step the figures count, whatever the random ones do.
    const first = asked.length;
    const reachEverything: Op[] = [
      { t: "ask", place: 0, asker: 0, kind: 0 },
      { t: "ask", place: 1, asker: 1, kind: 1 },
      { t: "wait", hours: 3 },
      { t: "accept", pick: first },
      { t: "answer", pick: first + 1 },
      { t: "rate", pick: first + 1, rating: 4 },
    ];
    for (const step of reachEverything) await perform(step);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        for (const step of ops) await perform(step);
        const month = clock.toISOString().slice(0, 7);
        for (const period of [PERIOD, { from: month, to: month }])
          for (const place of places)
            for (const groupBy of DIMENSIONS) {
              const expected = await withDb((db) =>
                fromRecords(db, place.id, groupBy, period, clock),
              );
              expect(
                await fromApi(place.regionCode, groupBy, period),
                `${groupBy} ${period.from}`,
              ).toEqual(expected);
            }
      }),
      { numRuns: 8 },
    );
    expect(asked.length).toBeGreaterThan(4);
    // The histories reached every step the figures count.
    const [reached] = await withDb((db) =>
      db
        .select({
          accepted: sql<number>`sum(${requestRollup.turnedIntoNeeds})`.mapWith(Number),
          resolved: sql<number>`sum(${requestRollup.resolved})`.mapWith(Number),
          rated: sql<number>`sum(${requestRollup.ratings})`.mapWith(Number),
        })
        .from(requestRollup)
        .where(sql`${requestRollup.countyCode} = ${COUNTY}`),
    );
    expect(reached?.accepted).toBeGreaterThan(0);
    expect(reached?.resolved).toBeGreaterThan(0);
    expect(reached?.rated).toBeGreaterThan(0);
  });

  it("are kept equal to request_rollup_rebuild() from the records", async () => {
    expect(asked.length).toBeGreaterThan(0);
    let kept: Awaited<ReturnType<typeof snapshot>> | undefined;
    let rebuilt: typeof kept;
    await withDb(async (db) => {
      await db
        .transaction(async (tx) => {
          // Writers wait until the rollback, so a concurrent request cannot slip in between.
          await tx.execute(sql`lock table requests in share mode`);
          kept = await snapshot(tx);
          await tx.execute(sql`select request_rollup_rebuild()`);
          rebuilt = await snapshot(tx);
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
    });
    expect(kept?.counts.length).toBeGreaterThan(0);
    expect(kept?.durations.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  });

  it("do not move when a request is forwarded or its requester's data is forgotten", async () => {
    const before = await withDb(snapshot);
    const { code } = await askByForm(
      askFields({ c: places[0]?.id }, { askerKind: "courier", kind: "legal_aid", consent: null }),
      clockAt(clock),
    );
    const row = await requestByCode(code);
    const afterAsk = await withDb(snapshot);
    expect(afterAsk).not.toEqual(before);
    const forwarded = await call("POST", `/api/v1/requests/${row.id}/forward`, {
      token: coordinators[0]?.token,
      json: { communityId: places[1]?.id, reason: "由邻近社区办理更方便" },
      headers: clockAt(clock),
    });
    expect(forwarded.status).toBe(200);
    await withDb((db) =>
      db.execute(
        sql`update requests set description = '', anonymised_at = now() where id = ${row.id}`,
      ),
    );
    expect(await withDb(snapshot)).toEqual(afterAsk);
  });
});

describe("small counts in 研判", () => {
  let countyDepartment: Actor;
  let cityDepartment: Actor;
  beforeAll(async () => {
    countyDepartment = await makeActor({ role: "department", regionCode: COUNTY });
    cityDepartment = await makeActor({ role: "department", regionCode: "211400" });
    // At least one request of a family with a child in the first community.
    const { code } = await askByForm(
      askFields(
        { c: places[0]?.id },
        { askerKind: "family_child", kind: "child_care", consent: null },
      ),
      clockAt(START),
    );
    asked.push({ code, token: "" });
  });

  const figures = async (token: string | undefined, query: string) => {
    const response = await call("GET", `/api/v1/requests/figures?${query}`, {
      token,
      headers: clockAt(clock),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      suppression: { applied: boolean };
      rows: { key: string; received: number }[];
      total: { received: number };
    };
  };
  const range = `from=${PERIOD.from}&to=${PERIOD.to}`;

  it("withholds the split by asker of a community from its county's department, total kept", async () => {
    const region = places[0]?.regionCode;
    const county = await figures(
      countyDepartment.token,
      `region=${region}&groupBy=askerKind&${range}`,
    );
    const city = await figures(cityDepartment.token, `region=${region}&groupBy=askerKind&${range}`);
    expect(county.suppression.applied).toBe(true);
    expect(county.rows).toEqual([]);
    expect(city.suppression.applied).toBe(false);
    expect(city.rows.map((row) => row.key)).toContain("family_child");
    expect(county.total.received).toBe(city.total.received);
    // Other splits of the community, and the county's own split by asker, stay.
    const byKind = await figures(countyDepartment.token, `region=${region}&groupBy=kind&${range}`);
    expect(byKind.suppression.applied).toBe(false);
    expect(byKind.rows.map((row) => row.key)).toContain("child_care");
    const wholeCounty = await figures(
      countyDepartment.token,
      `region=${COUNTY}&groupBy=askerKind&${range}`,
    );
    expect(wholeCounty.suppression.applied).toBe(false);
    expect(wholeCounty.rows.map((row) => row.key)).toContain("family_child");
  });

  it("says so in the CSV and on the dashboard, with no asker's row", async () => {
    const region = places[0]?.regionCode;
    const csv = await call(
      "GET",
      `/api/v1/requests/figures?region=${region}&groupBy=askerKind&${range}&format=csv`,
      { token: countyDepartment.token, headers: clockAt(clock) },
    );
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain("县级以下不公开");
    expect(text).not.toContain("儿童");
    const cookie = await signIn(await makeStaffLogin({ role: "department", regionCode: COUNTY }));
    const page = await getPage(`/staff/tallies?region=${region}&${range}`, {
      cookie,
      headers: clockAt(clock),
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("县级以下不公开");
    const cityCsv = await call(
      "GET",
      `/api/v1/requests/figures?region=${region}&groupBy=askerKind&${range}&format=csv`,
      { token: cityDepartment.token, headers: clockAt(clock) },
    );
    expect(await cityCsv.text()).not.toContain("县级以下不公开");
  });
});
