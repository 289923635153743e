/**
 * Tallies, outcomes and period locks through the API: grouping and its validation, scope
 * isolation, sign-off rules, period locks and adjustments, small-count suppression, CSV, coverage
 * and the pilot summary.
 *
 * Isolation from the other test files (which share the database): everything here lies in 沈阳
 * in 2016 and 2017, years no other test uses (other tests' past outcomes in 沈河区 and 大东区 fall
 * on random days of 2021–2022), and each test makes its own communities and social workers;
 * counties 210112, 210113, 210114 and 210115 are used by nobody else. The pilot summary (years
 * from 2020) is for 辽中区 (210115) only, in 2022 and 2023.
 */

import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditLog,
  communities,
  events,
  eventTeams,
  outcomeGroups,
  outcomes,
  socialWorkers,
  volunteers,
  volunteerTeams,
} from "../../src/db/schema";
import type { ServiceType } from "../../src/domain/vocabulary";
import { findPgError } from "../../src/lib/database-errors";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeOrganisation,
  makeSocialWorker,
  makeTeam,
  places,
  unique,
} from "./factories";
import { call, errorOf, withDb } from "./helpers";

// --- shapes and helpers ----------------------------------------------------------------------

interface Measures {
  events: number;
  personTimes: number | null;
  uniqueVolunteers: number | null;
  volunteersAttended: number | null;
  volunteerHours: number | null;
  activeSocialWorkers: number | null;
  communitiesReached: number;
  adjustments: {
    personTimes: number;
    volunteersAttended: number | null;
    volunteerHours: number | null;
  };
}

interface Row extends Measures {
  month?: string;
  serviceType?: string;
  targetGroup?: string;
  region?: { code: string; name: string };
  suppressed?: string[];
}

interface TallyBody {
  region: { code: string | null; name: string; level: string };
  period: { from: string; to: string };
  groupBy: string[];
  level: string | null;
  totals: Measures;
  rows: Row[];
  awaitingSignOff: number;
  suppression: { applied: boolean; threshold: number };
}

interface OutcomeBody {
  eventId: string;
  status: string;
  month: string;
  personTimes: Record<string, number>;
  personTimesTotal: number;
  volunteersAttended: number;
  volunteerHours: number;
  periodClosed: boolean;
  adjustments: { month: string; personTimes: Record<string, number>; reason: string }[];
}

type Community = Awaited<ReturnType<typeof makeCommunity>>;

/** The Asia/Shanghai month of an instant. */
function shanghaiMonth(instant: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}`;
}

/** A past event with its own lead social worker (and the lead's token). */
async function pastEvent(
  community: Community,
  start: Date,
  options: {
    serviceType?: ServiceType;
    hours?: number;
    homeCounty?: string;
    teamIds?: string[];
    worker?: { id: string };
  } = {},
) {
  const worker =
    options.worker ?? (await makeSocialWorker(options.homeCounty ?? community.countyCode));
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  const end = new Date(start.getTime() + (options.hours ?? 2) * 3_600_000);
  const event = await withDb(async (db) => {
    const [row] = await db
      .insert(events)
      .values({
        communityId: community.id,
        serviceType: options.serviceType ?? "counselling",
        title: unique("活动-"),
        leadSocialWorkerId: worker.id,
        startsAt: start,
        endsAt: end,
        capacity: 10,
      })
      .returning();
    if (!row) throw new Error("no event");
    if (options.teamIds?.length)
      await db.insert(eventTeams).values(
        options.teamIds.map((teamId) => ({
          eventId: row.id,
          teamId,
          startsAt: start,
          endsAt: end,
        })),
      );
    return row;
  });
  return { event, lead, worker };
}

const outcomePath = (eventId: string) => `/api/v1/events/${eventId}/outcome`;

/** Records an outcome; these tests record walk-in-less events on purpose, hence the confirmation. */
function putOutcome(eventId: string, token: string, json: Record<string, unknown>) {
  return call("PUT", outcomePath(eventId), {
    token,
    json: { confirmNoVolunteers: true, ...json },
  });
}

function signOff(eventId: string, token: string, json?: { reason: string }) {
  return call("POST", `${outcomePath(eventId)}/sign-off`, { token, json });
}

/** Records an outcome as the lead, and signs it off. */
async function recordSigned(
  eventId: string,
  lead: Actor,
  json: Record<string, unknown>,
): Promise<OutcomeBody> {
  const put = await putOutcome(eventId, lead.token, json);
  expect(put.status, await put.clone().text()).toBe(201);
  const signed = await signOff(eventId, lead.token);
  expect(signed.status, await signed.clone().text()).toBe(200);
  return (await signed.json()) as OutcomeBody;
}

function tallyPath(query: Record<string, string>) {
  return `/api/v1/tallies?${new URLSearchParams(query)}`;
}

async function tally(token: string, query: Record<string, string>): Promise<TallyBody> {
  const response = await call("GET", tallyPath(query), { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TallyBody;
}

/** The error of a direct database write, or undefined when it went through. */
async function refusal(write: Parameters<typeof withDb>[0]): Promise<unknown> {
  return withDb(write).then(
    () => undefined,
    (error: unknown) => error ?? new Error("rejected without an error"),
  );
}

function parseCsv(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

/** Column name → the JSON measure it shows. */
const measureColumns: [string, (m: Measures) => number | null][] = [
  ["服务活动（场）", (m) => m.events],
  ["服务群众（人次）", (m) => m.personTimes],
  ["参与志愿者（人，去重）", (m) => m.uniqueVolunteers],
  ["志愿者参与（人次）", (m) => m.volunteersAttended],
  ["志愿服务时长（小时）", (m) => m.volunteerHours],
  ["带队社工（人）", (m) => m.activeSocialWorkers],
  ["覆盖社区（个）", (m) => m.communitiesReached],
  ["其中调整：服务群众（人次）", (m) => m.adjustments.personTimes],
  ["其中调整：志愿者参与（人次）", (m) => m.adjustments.volunteersAttended],
  ["其中调整：志愿服务时长（小时）", (m) => m.adjustments.volunteerHours],
];

/** Checks that a CSV (parsed back) carries exactly the numbers of the JSON, row by row. */
function expectCsvMatchesJson(csv: string[][], json: TallyBody) {
  const header = csv[0] as string[];
  expect(csv.length).toBe(json.rows.length + 2);
  const lines = [...json.rows.map((row, i) => [row, csv[i + 1]] as const)];
  lines.push([json.totals, csv.at(-1)]);
  for (const [measures, line] of lines) {
    for (const [column, pick] of measureColumns) {
      const index = header.indexOf(column);
      expect(index, column).toBeGreaterThanOrEqual(0);
      const value = pick(measures);
      expect(line?.[index], column).toBe(value === null ? "" : String(value));
    }
  }
  for (const [i, row] of json.rows.entries()) {
    const line = csv[i + 1] as string[];
    if (row.month) expect(line[header.indexOf("月份")]).toBe(row.month);
    if (row.region) expect(line[header.indexOf("地区代码")]).toBe(row.region.code);
  }
  expect(csv.at(-1)?.[0]).toBe("合计");
}

let admin: Actor;
let shenheDepartment: Actor;
let dadongDepartment: Actor;
let cityDepartment: Actor;

beforeAll(async () => {
  [admin, shenheDepartment, dadongDepartment, cityDepartment] = await Promise.all([
    makeActor({ role: "admin" }),
    makeActor({ role: "department", regionCode: places.shenhe }),
    makeActor({ role: "department", regionCode: places.dadong }),
    makeActor({ role: "department", regionCode: places.shenyang }),
  ]);
});

// --- grouping --------------------------------------------------------------------------------

describe("grouping (2016-02 … 2016-03)", () => {
  let g1: Community;
  let g2: Community;
  const period = { from: "2016-02", to: "2016-03" };

  beforeAll(async () => {
    g1 = await makeCommunity(places.shenhe);
    g2 = await makeCommunity(places.shenhe);
    const a = await pastEvent(g1, at("2016-02-10 09:00"), { serviceType: "first_aid" });
    await recordSigned(a.event.id, a.lead, {
      personTimes: { elderly: 5, residents: 10 },
      volunteersAttended: 3,
    });
    const b = await pastEvent(g2, at("2016-03-20 14:00"), { serviceType: "lecture" });
    await recordSigned(b.event.id, b.lead, { personTimes: { children: 8 }, volunteersAttended: 2 });
    // Recorded but never signed off: not in any figure, only in awaitingSignOff.
    const c = await pastEvent(g2, at("2016-03-21 14:00"), { serviceType: "lecture" });
    expect(
      (await putOutcome(c.event.id, c.lead.token, { personTimes: { children: 50 } })).status,
    ).toBe(201);
  });

  it("gives totals without groupBy, and no rows", async () => {
    const body = await tally(admin.token, { region: places.shenhe, ...period });
    expect(body.groupBy).toEqual([]);
    expect(body.rows).toEqual([]);
    expect(body.level).toBeNull();
    expect(body.region).toEqual({ code: places.shenhe, name: "沈河区", level: "county" });
    expect(body.totals).toMatchObject({
      events: 2,
      personTimes: 23,
      volunteersAttended: 5,
      volunteerHours: 10,
      activeSocialWorkers: 2,
      communitiesReached: 2,
    });
    expect(body.awaitingSignOff).toBe(1);
  });

  it("fills every month of the period and every service type, zeros included", async () => {
    const body = await tally(admin.token, {
      region: places.shenhe,
      from: "2016-01",
      to: "2016-03",
      groupBy: "month,serviceType",
    });
    // 2016-01 of 沈河区 has the scope tests' outcomes; count only the months of this block.
    const ours = body.rows.filter((r) => r.month !== "2016-01");
    expect(body.rows).toHaveLength(3 * 10);
    expect(new Set(body.rows.map((r) => r.month))).toEqual(
      new Set(["2016-01", "2016-02", "2016-03"]),
    );
    const cell = (month: string, type: string) =>
      ours.find((r) => r.month === month && r.serviceType === type);
    expect(cell("2016-02", "first_aid")).toMatchObject({ events: 1, personTimes: 15 });
    expect(cell("2016-03", "lecture")).toMatchObject({ events: 1, personTimes: 8 });
    expect(cell("2016-02", "lecture")).toMatchObject({
      events: 0,
      personTimes: 0,
      volunteerHours: 0,
      activeSocialWorkers: 0,
    });
    expect(ours.reduce((sum, r) => sum + (r.personTimes ?? 0), 0)).toBe(23);
  });

  it("fills every target group, and nulls the measures that do not split by group", async () => {
    const body = await tally(admin.token, {
      region: places.shenhe,
      ...period,
      groupBy: "targetGroup",
    });
    expect(body.rows.map((r) => r.targetGroup)).toEqual([
      "elderly",
      "children",
      "delivery_rider",
      "courier",
      "ride_hailing_driver",
      "truck_driver",
      "disabled",
      "residents",
    ]);
    const cell = (group: string) => body.rows.find((r) => r.targetGroup === group);
    expect(cell("elderly")).toMatchObject({ events: 1, personTimes: 5, communitiesReached: 1 });
    expect(cell("residents")).toMatchObject({ events: 1, personTimes: 10 });
    expect(cell("children")).toMatchObject({ events: 1, personTimes: 8 });
    expect(cell("courier")).toMatchObject({ events: 0, personTimes: 0, communitiesReached: 0 });
    expect(cell("elderly")).toMatchObject({
      uniqueVolunteers: null,
      volunteersAttended: null,
      volunteerHours: null,
      activeSocialWorkers: null,
    });
    // The totals are not split, so they keep every measure.
    expect(body.totals.volunteersAttended).toBe(5);
  });

  it("combines month and target group", async () => {
    const body = await tally(admin.token, {
      region: g1.regionCode,
      ...period,
      groupBy: "targetGroup,month",
    });
    expect(body.groupBy).toEqual(["month", "targetGroup"]);
    expect(body.rows).toHaveLength(2 * 8);
    const cell = (month: string, group: string) =>
      body.rows.find((r) => r.month === month && r.targetGroup === group)?.personTimes;
    expect(cell("2016-02", "elderly")).toBe(5);
    expect(cell("2016-03", "elderly")).toBe(0);
    expect(cell("2016-03", "children")).toBe(0);
  });

  it("breaks a county down to its communities, with names", async () => {
    const body = await tally(admin.token, { region: places.shenhe, ...period, groupBy: "region" });
    expect(body.level).toBe("community");
    for (const row of body.rows) expect(row.region?.code).toMatch(/^210103\d{6}$/);
    const row = (c: Community) => body.rows.find((r) => r.region?.code === c.regionCode);
    expect(row(g1)).toMatchObject({ events: 1, personTimes: 15, region: { name: g1.name } });
    expect(row(g2)).toMatchObject({ events: 1, personTimes: 8 });
    expect(body.rows.reduce((sum, r) => sum + (r.personTimes ?? 0), 0)).toBe(23);
  });

  it("combines region and target group", async () => {
    const body = await tally(admin.token, {
      region: places.shenhe,
      ...period,
      groupBy: "region,targetGroup",
    });
    const codes = new Set(body.rows.map((r) => r.region?.code));
    expect(body.rows).toHaveLength(codes.size * 8);
    const cell = (c: Community, group: string) =>
      body.rows.find((r) => r.region?.code === c.regionCode && r.targetGroup === group);
    expect(cell(g1, "elderly")?.personTimes).toBe(5);
    expect(cell(g1, "residents")?.personTimes).toBe(10);
    expect(cell(g2, "children")?.personTimes).toBe(8);
    expect(cell(g2, "elderly")?.personTimes).toBe(0);
  });

  it("breaks a city down to its 13 counties", async () => {
    const body = await tally(admin.token, {
      region: places.shenyang,
      ...period,
      groupBy: "region",
    });
    expect(body.level).toBe("county");
    expect(body.rows).toHaveLength(13);
    expect(body.rows.find((r) => r.region?.code === places.shenhe)).toMatchObject({
      personTimes: 23,
      region: { name: "沈河区" },
    });
    expect(body.rows.find((r) => r.region?.code === places.dadong)?.personTimes).toBe(0);
  });

  it("breaks down to the level asked for: a city to communities, a county to streets", async () => {
    const communitiesOfCity = await tally(admin.token, {
      region: places.shenyang,
      ...period,
      groupBy: "region",
      level: "community",
    });
    expect(communitiesOfCity.level).toBe("community");
    expect(communitiesOfCity.rows.find((r) => r.region?.code === g1.regionCode)?.personTimes).toBe(
      15,
    );
    const streets = await tally(admin.token, {
      region: places.shenhe,
      ...period,
      groupBy: "region",
      level: "street",
    });
    expect(streets.level).toBe("street");
    for (const row of streets.rows) expect(row.region?.code).toMatch(/^210103\d{3}$/);
    const street = (c: Community) =>
      streets.rows.find((r) => r.region?.code === c.regionCode.slice(0, 9))?.personTimes;
    if (g1.regionCode.slice(0, 9) === g2.regionCode.slice(0, 9)) expect(street(g1)).toBe(23);
    else {
      expect(street(g1)).toBe(15);
      expect(street(g2)).toBe(8);
    }
  });

  it("refuses a level that is not below the region (400)", async () => {
    for (const [region, level] of [
      [places.shenhe, "city"],
      [places.shenhe, "county"],
      [places.shenyang, "province"],
    ] as const) {
      const response = await call(
        "GET",
        tallyPath({ region, ...period, groupBy: "region", level }),
        { token: admin.token },
      );
      expect(response.status, `${region} ${level}`).toBe(400);
      expect((await errorOf(response)).issues.map((i) => i.path)).toContain("level");
    }
  });

  it("refuses an unknown or repeated groupBy dimension (400)", async () => {
    for (const groupBy of ["community", "month,month", "month;region"]) {
      const response = await call("GET", tallyPath({ region: places.shenhe, ...period, groupBy }), {
        token: admin.token,
      });
      expect(response.status, groupBy).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(
        error.issues.some((i) => i.path.startsWith("groupBy")),
        groupBy,
      ).toBe(true);
    }
  });

  it("refuses a period ending before it starts, or longer than 120 months (400)", async () => {
    const backwards = await call(
      "GET",
      tallyPath({ region: places.shenhe, from: "2016-05", to: "2016-04" }),
      {
        token: admin.token,
      },
    );
    expect(backwards.status).toBe(400);
    expect((await errorOf(backwards)).issues[0]?.path).toBe("to");
    const tooLong = await call(
      "GET",
      tallyPath({ region: places.shenhe, from: "2006-03", to: "2016-03" }),
      {
        token: admin.token,
      },
    );
    expect(tooLong.status).toBe(400);
    expect((await errorOf(tooLong)).issues[0]?.path).toBe("from");
    // Exactly 120 months is fine.
    const longest = await tally(admin.token, {
      region: places.shenhe,
      from: "2006-04",
      to: "2016-03",
    });
    expect(longest.period).toEqual({ from: "2006-04", to: "2016-03" });
    const bads: Record<string, string>[] = [
      { from: "2016-13" },
      { from: "22-01" },
      { format: "pdf" },
      { region: "2101" },
      { unknown: "1" },
    ];
    for (const bad of bads) {
      const response = await call("GET", tallyPath({ region: places.shenhe, ...bad }), {
        token: admin.token,
      });
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("covers this year so far when no period is given", async () => {
    const body = await tally(admin.token, { region: places.shenhe });
    const now = shanghaiMonth(new Date());
    expect(body.period).toEqual({ from: `${now.slice(0, 4)}-01`, to: now });
  });
});

// --- scope isolation -------------------------------------------------------------------------

describe("scope isolation (2016-01)", () => {
  let inShenhe: Community;
  let inDadong: Community;
  let shenheEvent: { event: { id: string }; lead: Actor };
  let shenheCoordinator: Actor;
  let dadongCoordinator: Actor;
  const period = { from: "2016-01", to: "2016-01" };

  beforeAll(async () => {
    inShenhe = await makeCommunity(places.shenhe);
    inDadong = await makeCommunity(places.dadong);
    shenheCoordinator = await makeActor({ role: "coordinator", communityId: inShenhe.id });
    dadongCoordinator = await makeActor({ role: "coordinator", communityId: inDadong.id });
    shenheEvent = await pastEvent(inShenhe, at("2016-01-12 09:00"));
    await recordSigned(shenheEvent.event.id, shenheEvent.lead, { personTimes: { residents: 10 } });
    const d = await pastEvent(inDadong, at("2016-01-12 09:00"));
    await recordSigned(d.event.id, d.lead, { personTimes: { residents: 20 } });
  });

  it("answers a county department asking for another county, or a community there, exactly as for a region that does not exist (404)", async () => {
    const notFound = async (region: string) => {
      const response = await call("GET", tallyPath({ region, ...period }), {
        token: shenheDepartment.token,
      });
      expect(response.status, region).toBe(404);
      const { code, message, issues } = await errorOf(response);
      return { code, message, issues };
    };
    const missing = await notFound("210103999999");
    expect(await notFound(places.dadong)).toEqual(missing);
    expect(await notFound(inDadong.regionCode)).toEqual(missing);
    expect(await notFound(places.shenyang)).toEqual(missing);
    expect(await notFound("210000")).toEqual(missing);
    const admins = await call("GET", tallyPath({ region: "219999", ...period }), {
      token: admin.token,
    });
    expect(admins.status).toBe(404);
    expect((await errorOf(admins)).message).toBe(missing.message);
  });

  it("lets a county department tally its own county (by default) and its communities", async () => {
    const own = await tally(shenheDepartment.token, period);
    expect(own.region.code).toBe(places.shenhe);
    expect(own.totals.personTimes).toBe(10);
    const community = await tally(shenheDepartment.token, {
      region: inShenhe.regionCode,
      ...period,
    });
    expect(community.totals.personTimes).toBe(10);
    const dadong = await tally(dadongDepartment.token, { region: places.dadong, ...period });
    expect(dadong.totals.personTimes).toBe(20);
  });

  it("lets a city department tally both counties", async () => {
    const shenhe = await tally(cityDepartment.token, { region: places.shenhe, ...period });
    const dadong = await tally(cityDepartment.token, { region: places.dadong, ...period });
    expect(shenhe.totals.personTimes).toBe(10);
    expect(dadong.totals.personTimes).toBe(20);
    const city = await tally(cityDepartment.token, { ...period, groupBy: "region" });
    expect(city.region.code).toBe(places.shenyang);
    expect(city.rows.find((r) => r.region?.code === places.shenhe)?.personTimes).toBe(10);
    expect(city.rows.find((r) => r.region?.code === places.dadong)?.personTimes).toBe(20);
  });

  it("keeps a coordinator to its own community (404 for any other region)", async () => {
    const own = await tally(shenheCoordinator.token, period);
    expect(own.region.code).toBe(inShenhe.regionCode);
    expect(own.totals.personTimes).toBe(10);
    for (const region of [inDadong.regionCode, places.shenhe, places.dadong]) {
      const response = await call("GET", tallyPath({ region, ...period }), {
        token: shenheCoordinator.token,
      });
      expect(response.status, region).toBe(404);
    }
  });

  it("refuses social workers (403) and callers without a token (401)", async () => {
    const worker = await call("GET", tallyPath(period), { token: shenheEvent.lead.token });
    expect(worker.status).toBe(403);
    expect((await call("GET", tallyPath(period))).status).toBe(401);
    expect((await call("GET", tallyPath(period), { token: "sy_not-a-token" })).status).toBe(401);
    for (const path of ["/api/v1/tallies/coverage", "/api/v1/tallies/pilot-summary?year=2022"]) {
      expect((await call("GET", path, { token: shenheEvent.lead.token })).status, path).toBe(403);
      expect((await call("GET", path, { token: shenheCoordinator.token })).status, path).toBe(403);
      expect((await call("GET", path)).status, path).toBe(401);
    }
  });

  it("keeps coverage and the pilot summary inside a department's region (404)", async () => {
    for (const path of [
      `/api/v1/tallies/coverage?region=${places.dadong}&from=2016-01&to=2016-01`,
      `/api/v1/tallies/pilot-summary?region=${places.dadong}&year=2022`,
      `/api/v1/tallies/coverage?region=${places.shenyang}`,
    ]) {
      const response = await call("GET", path, { token: shenheDepartment.token });
      expect(response.status, path).toBe(404);
    }
  });

  it("hides an event's outcome from a coordinator of another community (404, read and write)", async () => {
    const path = outcomePath(shenheEvent.event.id);
    const read = await call("GET", path, { token: dadongCoordinator.token });
    expect(read.status).toBe(404);
    const write = await putOutcome(shenheEvent.event.id, dadongCoordinator.token, {
      personTimes: { residents: 99 },
    });
    expect(write.status).toBe(404);
    const otherCounty = await call("GET", path, { token: dadongDepartment.token });
    expect(otherCounty.status).toBe(404);
    // Its own coordinator and its county's department may read it.
    expect((await call("GET", path, { token: shenheCoordinator.token })).status).toBe(200);
    expect((await call("GET", path, { token: shenheDepartment.token })).status).toBe(200);
    const check = await tally(admin.token, { region: inShenhe.regionCode, ...period });
    expect(check.totals.personTimes).toBe(10);
  });
});

// --- outcome roles and sign-off --------------------------------------------------------------

describe("outcome roles and sign-off (2016-04)", () => {
  let community: Community;
  let coordinator: Actor;
  const period = { from: "2016-04", to: "2016-04" };

  beforeAll(async () => {
    community = await makeCommunity(places.shenhe);
    coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  });

  it("lets only the lead sign off (an admin only with a reason): another social worker 404, a coordinator 403, a department cannot record (403)", async () => {
    const { event, lead } = await pastEvent(community, at("2016-04-02 09:00"));
    const put = await putOutcome(event.id, coordinator.token, { personTimes: { elderly: 12 } });
    expect(put.status).toBe(201);
    const other = await makeSocialWorker(places.shenhe);
    const otherToken = (await makeActor({ role: "social_worker", socialWorkerId: other.id })).token;
    expect((await signOff(event.id, otherToken)).status).toBe(404);
    expect((await signOff(event.id, coordinator.token)).status).toBe(403);
    const adminWithoutReason = await signOff(event.id, admin.token);
    expect(adminWithoutReason.status).toBe(400);
    expect((await errorOf(adminWithoutReason)).issues.map((i) => i.path)).toEqual(["reason"]);
    const department = await putOutcome(event.id, shenheDepartment.token, {
      personTimes: { elderly: 1 },
    });
    expect(department.status).toBe(403);
    const notLead = await putOutcome(event.id, otherToken, { personTimes: { elderly: 1 } });
    expect(notLead.status).toBe(404);
    const stored = (await (
      await call("GET", outcomePath(event.id), { token: lead.token })
    ).json()) as OutcomeBody;
    expect(stored).toMatchObject({ status: "recorded", personTimes: { elderly: 12 } });
    expect((await signOff(event.id, lead.token)).status).toBe(200);
  });

  it("lets an admin sign off in the lead's place with a reason, kept in the audit log", async () => {
    const own = await makeCommunity(places.shenhe);
    const { event } = await pastEvent(own, at("2016-04-05 09:00"));
    expect((await putOutcome(event.id, admin.token, { personTimes: { elderly: 3 } })).status).toBe(
      201,
    );
    const signed = await signOff(event.id, admin.token, { reason: "社工已离职，由省厅代为确认" });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as OutcomeBody).status).toBe("signed_off");
    const audit = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.entity, "outcome"),
            eq(auditLog.entityId, event.id),
            eq(auditLog.action, "sign_off"),
          ),
        ),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.accountId).toBe(admin.accountId);
    expect(audit[0]?.after).toMatchObject({ byAdmin: true, reason: "社工已离职，由省厅代为确认" });
  });

  it("refuses an outcome before the event has started (409) and a sign-off with nothing recorded (404)", async () => {
    const community2 = await makeCommunity(places.shenhe);
    const day = futureDay();
    const { event, lead } = await pastEvent(community2, at(`${day} 09:00`));
    const early = await putOutcome(event.id, lead.token, { personTimes: { residents: 5 } });
    expect(early.status).toBe(409);
    expect((await signOff(event.id, lead.token)).status).toBe(404);
    expect((await call("GET", outcomePath(event.id), { token: lead.token })).status).toBe(404);
  });

  it("after sign-off: coordinator and lead 403, admin needs a reason (400), with one 200 and an audit entry, and the tally follows exactly", async () => {
    const { event, lead } = await pastEvent(community, at("2016-04-20 09:00"), {
      serviceType: "mediation",
    });
    expect(
      (
        await putOutcome(event.id, coordinator.token, {
          personTimes: { residents: 30, children: 4 },
          volunteersAttended: 5,
        })
      ).status,
    ).toBe(201);
    const before = await tally(admin.token, { region: community.regionCode, ...period });
    expect(before.awaitingSignOff).toBeGreaterThanOrEqual(1);
    const signed = (await (await signOff(event.id, lead.token)).json()) as OutcomeBody;
    expect(signed.status).toBe("signed_off");
    const mid = await tally(admin.token, {
      region: community.regionCode,
      ...period,
      groupBy: "serviceType",
    });
    const mediation = () => mid.rows.find((r) => r.serviceType === "mediation");
    expect(mediation()).toMatchObject({
      events: 1,
      personTimes: 34,
      volunteersAttended: 5,
      volunteerHours: 10,
    });

    for (const token of [coordinator.token, lead.token]) {
      const response = await putOutcome(event.id, token, { personTimes: { residents: 31 } });
      expect(response.status).toBe(403);
    }
    const noReason = await putOutcome(event.id, admin.token, { personTimes: { residents: 31 } });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).issues.map((i) => i.path)).toContain("reason");

    const corrected = await putOutcome(event.id, admin.token, {
      personTimes: { residents: 28, disabled: 3 },
      volunteersAttended: 6,
      volunteerHours: 13,
      reason: "居民人数复核后更正",
    });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({
      status: "signed_off",
      personTimes: { residents: 28, disabled: 3 },
      personTimesTotal: 31,
    });

    const audit = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.entity, "outcome"),
            eq(auditLog.entityId, event.id),
            eq(auditLog.action, "update"),
            eq(auditLog.accountId, admin.accountId),
          ),
        ),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toMatchObject({ reason: "居民人数复核后更正" });
    expect(audit[0]?.before).toMatchObject({ status: "signed_off" });

    const after = await tally(admin.token, {
      region: community.regionCode,
      ...period,
      groupBy: "targetGroup",
    });
    const cell = (group: string) => after.rows.find((r) => r.targetGroup === group);
    expect(cell("residents")?.personTimes).toBe(28);
    expect(cell("children")).toMatchObject({ events: 0, personTimes: 0 });
    expect(cell("disabled")).toMatchObject({ events: 1, personTimes: 3 });
    // The earlier test's event (elderly 12) is in the same month and community.
    expect(after.totals).toMatchObject({
      events: 2,
      personTimes: 31 + 12,
      volunteersAttended: 6,
      volunteerHours: 13,
    });
  });
});

// --- period locks ----------------------------------------------------------------------------

describe("period locks (沈河区 2017-05)", () => {
  let community: Community;
  let coordinator: Actor;
  let closedSigned: { event: { id: string }; lead: Actor };
  let closedRecorded: { event: { id: string }; lead: Actor };
  let closedEmpty: { event: { id: string }; lead: Actor };
  let openSigned: { event: { id: string }; lead: Actor };
  const currentMonth = shanghaiMonth(new Date());

  beforeAll(async () => {
    community = await makeCommunity(places.shenhe);
    coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    closedSigned = await pastEvent(community, at("2017-05-10 09:00"));
    await recordSigned(closedSigned.event.id, closedSigned.lead, {
      personTimes: { residents: 20, elderly: 6 },
      volunteersAttended: 3,
    });
    closedRecorded = await pastEvent(community, at("2017-05-20 09:00"));
    expect(
      (
        await putOutcome(closedRecorded.event.id, coordinator.token, {
          personTimes: { children: 9 },
        })
      ).status,
    ).toBe(201);
    closedEmpty = await pastEvent(community, at("2017-05-25 09:00"));
    openSigned = await pastEvent(community, at("2017-06-10 09:00"));
    await recordSigned(openSigned.event.id, openSigned.lead, { personTimes: { residents: 4 } });
  });

  it("closes a month: 201 for the county's department, 200 again; 404 for another county; 403 for a coordinator", async () => {
    // The month still has an unsigned outcome (closedRecorded): closed anyway, and it says so.
    const lock = await call("POST", "/api/v1/period-locks", {
      token: shenheDepartment.token,
      json: { region: places.shenhe, month: "2017-05", excludeUnsigned: true },
    });
    expect(lock.status).toBe(201);
    expect(await lock.json()).toMatchObject({
      region: places.shenhe,
      month: "2017-05",
      excluded: 1,
      excludedOutcomes: [expect.objectContaining({ eventId: closedRecorded.event.id })],
    });
    const again = await call("POST", "/api/v1/period-locks", {
      token: shenheDepartment.token,
      json: { region: places.shenhe, month: "2017-05" },
    });
    expect(again.status).toBe(200);
    const elsewhere = await call("POST", "/api/v1/period-locks", {
      token: shenheDepartment.token,
      json: { region: places.dadong, month: "2017-05" },
    });
    expect(elsewhere.status).toBe(404);
    const coordinatorLock = await call("POST", "/api/v1/period-locks", {
      token: coordinator.token,
      json: { region: community.regionCode, month: "2017-05" },
    });
    expect(coordinatorLock.status).toBe(403);
    const list = await call("GET", "/api/v1/period-locks?from=2017-05&to=2017-05", {
      token: shenheDepartment.token,
    });
    expect(((await list.json()) as { items: { region: string }[] }).items).toContainEqual(
      expect.objectContaining({ region: places.shenhe, month: "2017-05" }),
    );
    const outcome = (await (
      await call("GET", outcomePath(closedSigned.event.id), { token: admin.token })
    ).json()) as OutcomeBody;
    expect(outcome.periodClosed).toBe(true);
  });

  it("refuses changes to the closed month's outcomes through the API (409)", async () => {
    const byAdmin = await putOutcome(closedSigned.event.id, admin.token, {
      personTimes: { residents: 25 },
      reason: "miscounted",
    });
    expect(byAdmin.status).toBe(409);
    expect((await errorOf(byAdmin)).message).toMatch(/closed/);
    const byCoordinator = await putOutcome(closedRecorded.event.id, coordinator.token, {
      personTimes: { children: 10 },
    });
    expect(byCoordinator.status).toBe(409);
    const sign = await signOff(closedRecorded.event.id, closedRecorded.lead.token);
    expect(sign.status).toBe(409);
    const fresh = await putOutcome(closedEmpty.event.id, closedEmpty.lead.token, {
      personTimes: { residents: 1 },
    });
    expect(fresh.status).toBe(409);
    const body = await tally(admin.token, {
      region: community.regionCode,
      from: "2017-05",
      to: "2017-05",
    });
    expect(body.totals).toMatchObject({ events: 1, personTimes: 26 });
    expect(body.awaitingSignOff).toBe(1);
  });

  it("refuses changes written past the application, in the database (outcomes_period_open)", async () => {
    const eventId = closedSigned.event.id;
    const update = await refusal((db) =>
      db.update(outcomes).set({ volunteersAttended: 9 }).where(eq(outcomes.eventId, eventId)),
    );
    expect(findPgError(update)?.constraint).toBe("outcomes_period_open");
    const group = await refusal((db) =>
      db.update(outcomeGroups).set({ personTimes: 99 }).where(eq(outcomeGroups.eventId, eventId)),
    );
    expect(findPgError(group)?.constraint).toBe("outcomes_period_open");
    const addGroup = await refusal((db) =>
      db.insert(outcomeGroups).values({ eventId, targetGroup: "courier", personTimes: 1 }),
    );
    expect(findPgError(addGroup)?.constraint).toBe("outcomes_period_open");
    const signed = await refusal((db) =>
      db
        .update(outcomes)
        .set({ status: "signed_off", signedOffAt: new Date() })
        .where(eq(outcomes.eventId, closedRecorded.event.id)),
    );
    expect(findPgError(signed)?.constraint).toBe("outcomes_period_open");
    const body = await tally(admin.token, {
      region: community.regionCode,
      from: "2017-05",
      to: "2017-05",
    });
    expect(body.totals).toMatchObject({ events: 1, personTimes: 26, volunteersAttended: 3 });
  });

  it("never deletes an outcome, in a closed month or an open one (outcomes_kept)", async () => {
    for (const eventId of [closedSigned.event.id, openSigned.event.id]) {
      const error = await refusal((db) => db.delete(outcomes).where(eq(outcomes.eventId, eventId)));
      expect(findPgError(error)?.constraint).toBe("outcomes_kept");
    }
    const june = await tally(admin.token, {
      region: community.regionCode,
      from: "2017-06",
      to: "2017-06",
    });
    expect(june.totals.personTimes).toBe(4);
  });

  it("books an admin's adjustment in the current month, leaving the closed month's figures", async () => {
    const byDepartment = await call("POST", `${outcomePath(closedSigned.event.id)}/adjustments`, {
      token: shenheDepartment.token,
      json: { personTimes: { residents: 5 }, reason: "late sheet" },
    });
    expect(byDepartment.status).toBe(403);
    const response = await call("POST", `${outcomePath(closedSigned.event.id)}/adjustments`, {
      token: admin.token,
      json: {
        personTimes: { residents: 5, elderly: -2 },
        volunteersAttendedDelta: 1,
        volunteerHoursDelta: 1.5,
        reason: "late attendance sheet",
      },
    });
    expect(response.status).toBe(201);
    const outcome = (await response.json()) as OutcomeBody;
    expect(outcome.adjustments).toHaveLength(1);
    expect(outcome.adjustments[0]).toMatchObject({
      month: currentMonth,
      personTimes: { residents: 5, elderly: -2 },
      reason: "late attendance sheet",
    });
    // The outcome itself is as it was.
    expect(outcome.personTimes).toEqual({ elderly: 6, residents: 20 });

    const may = await tally(admin.token, {
      region: community.regionCode,
      from: "2017-05",
      to: "2017-05",
    });
    expect(may.totals).toMatchObject({
      events: 1,
      personTimes: 26,
      volunteersAttended: 3,
      adjustments: { personTimes: 0, volunteersAttended: 0, volunteerHours: 0 },
    });
    const now = await tally(admin.token, {
      region: community.regionCode,
      from: currentMonth,
      to: currentMonth,
    });
    expect(now.totals).toMatchObject({
      events: 0,
      personTimes: 3,
      volunteersAttended: 1,
      volunteerHours: 1.5,
      communitiesReached: 0,
      adjustments: { personTimes: 3, volunteersAttended: 1, volunteerHours: 1.5 },
    });
    const byGroup = await tally(admin.token, {
      region: community.regionCode,
      from: currentMonth,
      to: currentMonth,
      groupBy: "targetGroup",
    });
    const cell = (group: string) => byGroup.rows.find((r) => r.targetGroup === group);
    expect(cell("residents")).toMatchObject({
      events: 0,
      personTimes: 5,
      adjustments: { personTimes: 5 },
    });
    expect(cell("elderly")).toMatchObject({ personTimes: -2, adjustments: { personTimes: -2 } });
    // In the CSV a negative correction is a number, not a defused "formula".
    const csvResponse = await call(
      "GET",
      tallyPath({
        region: community.regionCode,
        from: currentMonth,
        to: currentMonth,
        groupBy: "targetGroup",
        format: "csv",
      }),
      { token: admin.token },
    );
    const csv = parseCsv(await csvResponse.text());
    expectCsvMatchesJson(csv, byGroup);
    const header = csv[0] as string[];
    expect(csv.find((l) => l[0] === "老年人")?.[header.indexOf("其中调整：服务群众（人次）")]).toBe(
      "-2",
    );
  });

  it("refuses an adjustment that would make a figure negative (400)", async () => {
    const response = await call("POST", `${outcomePath(closedSigned.event.id)}/adjustments`, {
      token: admin.token,
      // 6 older people, already adjusted by −2: −5 would leave −1.
      json: { personTimes: { elderly: -5 }, reason: "too far" },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues.map((i) => i.path)).toContain("personTimes.elderly");
    const hours = await call("POST", `${outcomePath(closedSigned.event.id)}/adjustments`, {
      token: admin.token,
      json: { volunteersAttendedDelta: -5, reason: "too far" },
    });
    expect(hours.status).toBe(400);
    const outcome = (await (
      await call("GET", outcomePath(closedSigned.event.id), { token: admin.token })
    ).json()) as OutcomeBody;
    expect(outcome.adjustments).toHaveLength(1);
  });

  it("refuses adjustments to an open month's outcome, or to one not signed off (409)", async () => {
    const open = await call("POST", `${outcomePath(openSigned.event.id)}/adjustments`, {
      token: admin.token,
      json: { personTimes: { residents: 1 }, reason: "should be a correction" },
    });
    expect(open.status).toBe(409);
    const unsigned = await call("POST", `${outcomePath(closedRecorded.event.id)}/adjustments`, {
      token: admin.token,
      json: { personTimes: { children: 1 }, reason: "not signed off" },
    });
    expect(unsigned.status).toBe(409);
  });

  it("reopens a month (admin, with a reason: 204), after which changes are allowed again", async () => {
    const path = `/api/v1/period-locks/${places.shenhe}/2017-05/reopen`;
    const byDepartment = await call("POST", path, {
      token: shenheDepartment.token,
      json: { reason: "correction" },
    });
    expect(byDepartment.status).toBe(403);
    const noReason = await call("POST", path, { token: admin.token, json: {} });
    expect(noReason.status).toBe(400);
    const reopened = await call("POST", path, {
      token: admin.token,
      json: { reason: "区县复核更正" },
    });
    expect(reopened.status).toBe(204);
    expect(
      (await call("POST", path, { token: admin.token, json: { reason: "again" } })).status,
    ).toBe(404);

    const change = await putOutcome(closedSigned.event.id, admin.token, {
      personTimes: { residents: 22, elderly: 6 },
      volunteersAttended: 3,
      reason: "recounted",
    });
    expect(change.status).toBe(200);
    expect((await signOff(closedRecorded.event.id, closedRecorded.lead.token)).status).toBe(200);
    const may = await tally(admin.token, {
      region: community.regionCode,
      from: "2017-05",
      to: "2017-05",
    });
    expect(may.totals).toMatchObject({ events: 2, personTimes: 28 + 9 });
    expect(may.awaitingSignOff).toBe(0);
  });

  it("closes only the region asked for: a county's lock leaves the next county open, a city's covers its counties (2017-05, 2017-08)", async () => {
    const dadong = await makeCommunity(places.dadong);
    // 沈河区 closed 2017-05 in the tests above (and reopened); close it again, and check that
    // 大东区 is not affected.
    const lock = await call("POST", "/api/v1/period-locks", {
      token: shenheDepartment.token,
      json: { region: places.shenhe, month: "2017-05" },
    });
    expect(lock.status).toBe(201);
    const may = await pastEvent(dadong, at("2017-05-12 09:00"));
    expect(
      (await putOutcome(may.event.id, may.lead.token, { personTimes: { residents: 2 } })).status,
    ).toBe(201);

    const cityLock = await call("POST", "/api/v1/period-locks", {
      token: cityDepartment.token,
      json: { region: places.shenyang, month: "2017-08" },
    });
    expect(cityLock.status).toBe(201);
    const august = await pastEvent(dadong, at("2017-08-12 09:00"));
    const refused = await putOutcome(august.event.id, august.lead.token, {
      personTimes: { residents: 2 },
    });
    expect(refused.status).toBe(409);
    // A county department cannot close (or reopen) its city.
    const byCounty = await call("POST", "/api/v1/period-locks", {
      token: dadongDepartment.token,
      json: { region: places.shenyang, month: "2017-09" },
    });
    expect(byCounty.status).toBe(404);
    const reopened = await call("POST", `/api/v1/period-locks/${places.shenyang}/2017-08/reopen`, {
      token: admin.token,
      json: { reason: "test over" },
    });
    expect(reopened.status).toBe(204);
    expect(
      (await putOutcome(august.event.id, august.lead.token, { personTimes: { residents: 2 } }))
        .status,
    ).toBe(201);
  });
});

// --- suppression -----------------------------------------------------------------------------

describe("small-count suppression (沈河区 2016-07)", () => {
  let c: Community;
  let d: Community;
  const query = {
    region: places.shenhe,
    from: "2016-07",
    to: "2016-07",
    groupBy: "region,targetGroup",
  };
  const cell = (body: TallyBody, community: Community, group: string) =>
    body.rows.find((r) => r.region?.code === community.regionCode && r.targetGroup === group);

  beforeAll(async () => {
    c = await makeCommunity(places.shenhe);
    d = await makeCommunity(places.shenhe);
    const a = await pastEvent(c, at("2016-07-05 09:00"));
    await recordSigned(a.event.id, a.lead, {
      personTimes: { elderly: 3, courier: 7, residents: 10 },
    });
    const b = await pastEvent(d, at("2016-07-06 09:00"));
    await recordSigned(b.event.id, b.lead, {
      personTimes: { elderly: 2, children: 1, residents: 20 },
    });
  });

  const WITHHELD = ["events", "personTimes", "communitiesReached"];

  it("withholds small sensitive cells from a county department's community breakdown", async () => {
    const body = await tally(shenheDepartment.token, query);
    expect(body.suppression).toEqual({ applied: true, threshold: 5 });
    expect(cell(body, c, "elderly")).toMatchObject({
      events: null,
      personTimes: null,
      communitiesReached: null,
      suppressed: WITHHELD,
    });
    expect(cell(body, c, "disabled")).toMatchObject({ personTimes: 0 });
    expect(cell(body, c, "disabled")?.suppressed).toBeUndefined();
    expect(cell(body, d, "elderly")).toMatchObject({ personTimes: null, suppressed: WITHHELD });
    expect(cell(body, d, "children")).toMatchObject({ personTimes: null, suppressed: WITHHELD });
  });

  it("leaves no withheld cell alone in its community or its target group (the county's figures by group and the communities' totals are shown)", async () => {
    const body = await tally(shenheDepartment.token, query);
    const withheld = body.rows.filter((r) => r.suppressed);
    const alone = (key: (r: Row) => string | undefined) => {
      const counts = new Map<string | undefined, number>();
      for (const r of withheld) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
      return [...counts].filter(([, n]) => n === 1);
    };
    expect(alone((r) => r.region?.code)).toEqual([]);
    expect(alone((r) => r.targetGroup)).toEqual([]);
    // The difference attack of issue 12: the county's older people minus the communities' cells
    // shown leaves at least two cells, never one.
    const county = await tally(shenheDepartment.token, { ...query, groupBy: "targetGroup" });
    expect(county.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBe(5);
    expect(withheld.filter((r) => r.targetGroup === "elderly")).toHaveLength(2);
    // Cells with cover enough are shown.
    expect(cell(body, c, "residents")?.personTimes).toBe(10);
    expect(cell(body, d, "residents")?.personTimes).toBe(20);
  });

  it("withholds a longer period's figure that adds up a withheld month", async () => {
    const body = await tally(shenheDepartment.token, {
      region: c.regionCode,
      from: "2016-06",
      to: "2016-07",
      groupBy: "targetGroup",
    });
    expect(body.suppression.applied).toBe(true);
    expect(body.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBeNull();
    expect(body.rows.find((r) => r.targetGroup === "residents")?.personTimes).toBe(10);
  });

  it("shows withheld cells as <5 in the CSV", async () => {
    const response = await call("GET", tallyPath({ ...query, format: "csv" }), {
      token: shenheDepartment.token,
    });
    expect(response.status).toBe(200);
    const csv = parseCsv(await response.text());
    const header = csv[0] as string[];
    const line = (community: Community, label: string) =>
      csv.find(
        (l) =>
          l[header.indexOf("地区代码")] === community.regionCode &&
          l[header.indexOf("服务对象")] === label,
      );
    const people = header.indexOf("服务群众（人次）");
    const events = header.indexOf("服务活动（场）");
    expect(line(c, "老年人")?.[people]).toBe("<5");
    expect(line(c, "老年人")?.[events]).toBe("<5");
    expect(line(c, "社区居民")?.[people]).toBe("10");
    expect(line(d, "儿童")?.[people]).toBe("<5");
    expect(line(d, "社区居民")?.[people]).toBe("20");
    expect(line(c, "残疾人")?.[people]).toBe("0");
  });

  it("applies to one community's target groups too", async () => {
    const body = await tally(shenheDepartment.token, {
      region: c.regionCode,
      from: "2016-07",
      to: "2016-07",
      groupBy: "targetGroup",
    });
    expect(body.suppression.applied).toBe(true);
    expect(body.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBeNull();
  });

  it("is not applied for an admin, a city department, county-level units or without target groups", async () => {
    for (const token of [admin.token, cityDepartment.token]) {
      const body = await tally(token, query);
      expect(body.suppression.applied).toBe(false);
      expect(cell(body, c, "elderly")?.personTimes).toBe(3);
      expect(cell(body, c, "courier")?.personTimes).toBe(7);
      expect(cell(body, d, "children")?.personTimes).toBe(1);
      expect(body.rows.every((r) => r.suppressed === undefined)).toBe(true);
    }
    const county = await tally(shenheDepartment.token, { ...query, groupBy: "targetGroup" });
    expect(county.suppression.applied).toBe(false);
    expect(county.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBe(5);
    expect(county.rows.find((r) => r.targetGroup === "children")?.personTimes).toBe(1);
    const regions = await tally(shenheDepartment.token, { ...query, groupBy: "region" });
    expect(regions.suppression.applied).toBe(false);
    expect(regions.rows.find((r) => r.region?.code === c.regionCode)?.personTimes).toBe(20);
  });

  it("cannot cover the only community with figures in a month: its figures are the county's own (沈河区 2016-09)", async () => {
    const e = await makeCommunity(places.shenhe);
    const event = await pastEvent(e, at("2016-09-09 09:00"));
    await recordSigned(event.event.id, event.lead, { personTimes: { elderly: 3 } });
    const body = await tally(shenheDepartment.token, { ...query, from: "2016-09", to: "2016-09" });
    expect(body.suppression.applied).toBe(true);
    expect(cell(body, e, "elderly")?.personTimes).toBeNull();
    // The county department is shown its county's figure by group (the README's exception).
    const county = await tally(shenheDepartment.token, {
      ...query,
      from: "2016-09",
      to: "2016-09",
      groupBy: "targetGroup",
    });
    expect(county.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBe(3);
  });
});

// --- CSV -------------------------------------------------------------------------------------

describe("CSV (沈河区 2016-10)", () => {
  let k1: Community;
  let k2: Community;
  const commaName = '北苑,"新"社区';
  const formulaName = '=HYPERLINK("http://example.com","点我")';
  const query = { region: places.shenhe, from: "2016-10", to: "2016-10" };

  beforeAll(async () => {
    k1 = await makeCommunity(places.shenhe);
    k2 = await makeCommunity(places.shenhe);
    await withDb(async (db) => {
      await db.update(communities).set({ name: commaName }).where(eq(communities.id, k1.id));
      await db.update(communities).set({ name: formulaName }).where(eq(communities.id, k2.id));
    });
    const a = await pastEvent(k1, at("2016-10-01 00:00"), { serviceType: "legal_aid" });
    await recordSigned(a.event.id, a.lead, {
      personTimes: { residents: 11, truck_driver: 6 },
      volunteersAttended: 2,
      volunteerHours: 4.5,
    });
    const b = await pastEvent(k2, at("2016-10-31 21:00"), { serviceType: "recreation" });
    await recordSigned(b.event.id, b.lead, { personTimes: { children: 6 }, volunteersAttended: 1 });
  });

  it("is UTF-8 with a BOM, CRLF line ends, Chinese headers, as a download", async () => {
    const response = await call(
      "GET",
      tallyPath({ ...query, groupBy: "serviceType", format: "csv" }),
      {
        token: admin.token,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="tally-210103-2016-10\.csv"; filename\*=UTF-8''/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    const header = text.slice(1).split("\r\n")[0];
    expect(header).toBe(
      "服务类型,服务活动（场）,服务群众（人次）,参与志愿者（人，去重）,志愿者参与（人次）,志愿服务时长（小时）,带队社工（人）,覆盖社区（个）,其中调整：服务群众（人次）,其中调整：志愿者参与（人次）,其中调整：志愿服务时长（小时）",
    );
    const english = await call("GET", tallyPath({ ...query, format: "csv", lang: "en" }), {
      token: admin.token,
    });
    expect(parseCsv(await english.text())[0]).toContain("Person-times served");
  });

  it("parses back (csv-parse, bom: true) to the numbers of the JSON, for several groupings", async () => {
    for (const groupBy of [
      "",
      "serviceType",
      "month,targetGroup",
      "region",
      "region,serviceType,targetGroup",
    ]) {
      const q = groupBy ? { ...query, groupBy } : query;
      const json = await tally(admin.token, q);
      const response = await call("GET", tallyPath({ ...q, format: "csv" }), {
        token: admin.token,
      });
      const csv = parseCsv(await response.text());
      if (groupBy === "") {
        expect(csv).toHaveLength(2);
        for (const [column, pick] of measureColumns) {
          const value = pick(json.totals);
          expect(csv[1]?.[(csv[0] as string[]).indexOf(column)]).toBe(
            value === null ? "" : String(value),
          );
        }
      } else expectCsvMatchesJson(csv, json);
    }
    const json = await tally(admin.token, { ...query, groupBy: "serviceType" });
    expect(json.totals).toMatchObject({ personTimes: 23, volunteerHours: 4.5 + 2 });
  });

  it("quotes a name with a comma or quotes, and defuses one that starts with =", async () => {
    const response = await call("GET", tallyPath({ ...query, groupBy: "region", format: "csv" }), {
      token: admin.token,
    });
    const text = await response.text();
    expect(text).toContain(`${k1.regionCode},"北苑,""新""社区"`);
    expect(text).toContain(`${k2.regionCode},"'=HYPERLINK(""http://example.com"",""点我"")"`);
    const csv = parseCsv(text);
    const header = csv[0] as string[];
    const line = (k: Community) => csv.find((l) => l[0] === k.regionCode) as string[];
    expect(line(k1)[1]).toBe(commaName);
    expect(line(k2)[1]).toBe(`'${formulaName}`);
    expect(line(k1)[header.indexOf("服务群众（人次）")]).toBe("17");
    expect(line(k2)[header.indexOf("服务群众（人次）")]).toBe("6");
    // Every line has as many cells as the header: the comma inside the name did not split it.
    for (const l of csv) expect(l).toHaveLength(header.length);
  });
});

// --- coverage --------------------------------------------------------------------------------

interface CountyCoverage {
  code: string;
  name: string;
  events: number;
  eventsNotYetHeld: number;
  activeSocialWorkers: number;
  socialWorkersBased: number;
  volunteerTeams: number;
  pilotCommunities: {
    id: string;
    code: string;
    name: string;
    events: number;
    eventsNotYetHeld: number;
  }[];
  gaps: string[];
}

interface CoverageBody {
  region: { code: string };
  period: { from: string; to: string };
  counties: CountyCoverage[];
  summary: Record<string, number>;
}

describe("coverage (沈阳 2016-08)", () => {
  let pilot: Community;
  const query = "region=210100&from=2016-08&to=2016-08";

  beforeAll(async () => {
    // 浑南区: an event still awaiting sign-off (not held, in coverage as in the tallies), led by
    // a social worker based there, no team.
    const hunnan = await makeCommunity("210112");
    await pastEvent(hunnan, at("2016-08-08 09:00"), { homeCounty: "210112" });
    // 沈北新区: a pilot community with nothing at all.
    pilot = await makeCommunity("210113", { isPilot: true });
    // 于洪区: a team, and an event with it, led by a social worker from 沈河区.
    const yuhong = await makeCommunity("210114");
    const team = await makeTeam("210114");
    const { event, lead } = await pastEvent(yuhong, at("2016-08-18 09:00"), {
      homeCounty: places.shenhe,
      teamIds: [team.id],
    });
    await recordSigned(event.id, lead, { personTimes: { residents: 3 } });
    // A cancelled event does not count.
    const cancelled = await pastEvent(pilot, at("2016-08-20 09:00"), { homeCounty: "210113" });
    await withDb((db) =>
      db.update(events).set({ status: "cancelled" }).where(eq(events.id, cancelled.event.id)),
    );
    await withDb((db) =>
      db
        .update(socialWorkers)
        .set({ active: false })
        .where(eq(socialWorkers.id, cancelled.worker.id)),
    );
  });

  it("lists every county of the city with its gaps", async () => {
    const response = await call("GET", `/api/v1/tallies/coverage?${query}`, {
      token: cityDepartment.token,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as CoverageBody;
    expect(body.period).toEqual({ from: "2016-08", to: "2016-08" });
    expect(body.counties.map((c) => c.code)).toEqual([
      "210102",
      "210103",
      "210104",
      "210105",
      "210106",
      "210111",
      "210112",
      "210113",
      "210114",
      "210115",
      "210123",
      "210124",
      "210181",
    ]);
    const county = (code: string) => body.counties.find((c) => c.code === code) as CountyCoverage;
    expect(county("210112")).toMatchObject({
      name: "浑南区",
      events: 0,
      eventsNotYetHeld: 1,
      activeSocialWorkers: 0,
      socialWorkersBased: 1,
      volunteerTeams: 0,
      gaps: ["no_event", "no_active_social_worker", "no_volunteer_team"],
    });
    expect(county("210113")).toMatchObject({
      name: "沈北新区",
      events: 0,
      activeSocialWorkers: 0,
      socialWorkersBased: 0,
      volunteerTeams: 0,
      gaps: [
        "no_event",
        "no_active_social_worker",
        "no_volunteer_team",
        "pilot_community_without_event",
      ],
    });
    expect(county("210113").pilotCommunities).toEqual([
      { id: pilot.id, code: pilot.regionCode, name: pilot.name, events: 0, eventsNotYetHeld: 0 },
    ]);
    expect(county("210114")).toMatchObject({
      events: 1,
      activeSocialWorkers: 1,
      volunteerTeams: 1,
      gaps: [],
    });
    expect(body.summary.counties).toBe(13);
    // Nobody else has events in 沈阳 in 2016-08; 浑南区's is not held (not signed off).
    expect(body.summary.no_event).toBe(12);
    for (const gap of [
      "no_event",
      "no_active_social_worker",
      "no_volunteer_team",
      "pilot_community_without_event",
    ])
      expect(body.summary[gap], gap).toBe(body.counties.filter((c) => c.gaps.includes(gap)).length);
  });

  it("gives the same as CSV, with Chinese headers and gap labels", async () => {
    const response = await call("GET", `/api/v1/tallies/coverage?${query}&format=csv`, {
      token: admin.token,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(await response.text());
    expect(csv[0]).toEqual([
      "区县代码",
      "区县",
      "服务活动（场）",
      "已安排、尚未签认的活动（场）",
      "带队社工（人）",
      "本地社工（人）",
      "志愿服务队（支）",
      "试点社区（个）",
      "无已开展活动的试点社区",
      "缺口",
    ]);
    // 13 counties and the 合计 line.
    expect(csv).toHaveLength(15);
    expect(csv.find((l) => l[0] === "210113")).toEqual([
      "210113",
      "沈北新区",
      "0",
      "0",
      "0",
      "0",
      "0",
      "1",
      pilot.name,
      "无已开展的服务活动、无带队社工、无志愿服务队、试点社区无已开展的活动",
    ]);
    expect(csv.find((l) => l[0] === "210112")?.slice(2)).toEqual([
      "0",
      "1",
      "0",
      "1",
      "0",
      "0",
      "",
      "无已开展的服务活动、无带队社工、无志愿服务队",
    ]);
    expect(csv.at(-1)?.slice(0, 4)).toEqual(["合计", "", "1", "1"]);
  });

  it("lists one county for a county department", async () => {
    const response = await call("GET", "/api/v1/tallies/coverage?from=2016-08&to=2016-08", {
      token: shenheDepartment.token,
    });
    const body = (await response.json()) as CoverageBody;
    expect(body.region.code).toBe(places.shenhe);
    expect(body.counties.map((c) => c.code)).toEqual([places.shenhe]);
  });
});

// --- pilot summary ---------------------------------------------------------------------------

interface SummaryBody {
  region: { code: string | null };
  year: number;
  pilotCommunities: number;
  pilotCommunitiesWithEvents: number;
  organisations: Record<string, number>;
  socialWorkers: number;
  volunteers: number;
  events: number;
  personTimes: number;
  volunteerHours: number;
  adjustedPersonTimes: number;
}

describe("pilot summary (辽中区 2022)", () => {
  const region = "210115";

  beforeAll(async () => {
    const p1 = await makeCommunity(region, { isPilot: true });
    await makeCommunity(region, { isPilot: true });
    const plain = await makeCommunity(region);
    const university = await makeOrganisation("university");
    const agency = await makeOrganisation("agency");
    const volunteerOrg = await makeOrganisation("volunteer_org");
    const unused = await makeOrganisation("agency");
    const team = await makeTeam(region);
    const [w1, w2, w3, w4] = await Promise.all([
      makeSocialWorker(region),
      makeSocialWorker(region),
      makeSocialWorker(region),
      makeSocialWorker(region),
    ]);
    if (!w1 || !w2 || !w3 || !w4) throw new Error("workers");
    const volunteerIds = await withDb(async (db) => {
      await db
        .update(socialWorkers)
        .set({ organisationId: university.id })
        .where(eq(socialWorkers.id, w1.id));
      await db
        .update(socialWorkers)
        .set({ organisationId: agency.id })
        .where(eq(socialWorkers.id, w2.id));
      await db
        .update(socialWorkers)
        .set({ organisationId: unused.id })
        .where(eq(socialWorkers.id, w4.id));
      await db
        .update(volunteerTeams)
        .set({ organisationId: volunteerOrg.id })
        .where(eq(volunteerTeams.id, team.id));
      const rows = await db
        .insert(volunteers)
        .values(
          [0, 1].map(() => ({
            name: unique("志愿者-"),
            mobileCiphertext: "v1.test-only",
            mobileHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, "1"),
            mobileMasked: "170****0000",
          })),
        )
        .returning({ id: volunteers.id });
      return rows.map((r) => r.id);
    });
    const [v1, v2] = volunteerIds as [string, string];

    const e1 = await pastEvent(p1, at("2022-03-01 09:00"), { worker: w1, teamIds: [team.id] });
    await recordSigned(e1.event.id, e1.lead, {
      personTimes: { elderly: 30, children: 10 },
      volunteerIds: [v1, v2],
      volunteerHours: 4,
    });
    const e2 = await pastEvent(plain, at("2022-06-01 09:00"), { worker: w2 });
    await recordSigned(e2.event.id, e2.lead, {
      personTimes: { residents: 25 },
      volunteerIds: [v2],
      volunteersAttended: 3,
      volunteerHours: 6,
    });
    // 23:59:59 on 31 December and 00:00 on 1 January in Shanghai: both in 2022.
    const e5 = await pastEvent(p1, new Date("2022-12-31T15:59:59Z"), { worker: w3, hours: 1 });
    await recordSigned(e5.event.id, e5.lead, {
      personTimes: { residents: 5 },
      volunteersAttended: 1,
      volunteerHours: 1,
    });
    const e6 = await pastEvent(p1, new Date("2021-12-31T16:00:00Z"), { worker: w3, hours: 1 });
    await recordSigned(e6.event.id, e6.lead, {
      personTimes: { residents: 7 },
      volunteersAttended: 1,
      volunteerHours: 1.5,
    });
    // Not in 2022's figures: awaiting sign-off, and in 2023 (Shanghai).
    const e3 = await pastEvent(p1, at("2022-07-01 09:00"), { worker: w4 });
    expect(
      (await putOutcome(e3.event.id, e3.lead.token, { personTimes: { residents: 100 } })).status,
    ).toBe(201);
    const e4 = await pastEvent(p1, new Date("2022-12-31T16:00:00Z"), { worker: w2, hours: 1 });
    await recordSigned(e4.event.id, e4.lead, { personTimes: { residents: 50 } });
  });

  it("counts the year's pilot figures from the event-level records", async () => {
    const response = await call("GET", `/api/v1/tallies/pilot-summary?region=${region}&year=2022`, {
      token: cityDepartment.token,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      region: { code: region },
      year: 2022,
      pilotCommunities: 2,
      pilotCommunitiesWithEvents: 1,
      organisations: { university: 1, agency: 1, volunteer_org: 1 },
      socialWorkers: 3,
      volunteers: 2,
      events: 4,
      personTimes: 30 + 10 + 25 + 5 + 7,
      volunteerHours: 4 + 6 + 1 + 1.5,
      adjustedPersonTimes: 0,
    } satisfies Partial<SummaryBody>);
    const next = (await (
      await call("GET", `/api/v1/tallies/pilot-summary?region=${region}&year=2023`, {
        token: admin.token,
      })
    ).json()) as SummaryBody;
    expect(next).toMatchObject({
      events: 1,
      personTimes: 50,
      socialWorkers: 1,
      pilotCommunitiesWithEvents: 1,
    });
    expect(next.organisations).toEqual({ university: 0, agency: 1, volunteer_org: 0 });
  });

  it("agrees with the rollup tally for the same region and year", async () => {
    const summary = (await (
      await call("GET", `/api/v1/tallies/pilot-summary?region=${region}&year=2022`, {
        token: admin.token,
      })
    ).json()) as SummaryBody;
    const body = await tally(admin.token, { region, from: "2022-01", to: "2022-12" });
    expect(body.totals).toMatchObject({
      events: summary.events,
      personTimes: summary.personTimes,
      activeSocialWorkers: summary.socialWorkers,
      uniqueVolunteers: summary.volunteers,
      volunteerHours: summary.volunteerHours,
    });
  });

  it("gives the same figures as CSV", async () => {
    const response = await call(
      "GET",
      `/api/v1/tallies/pilot-summary?region=${region}&year=2022&format=csv`,
      { token: admin.token },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = parseCsv(await response.text());
    expect(csv[0]).toEqual(["指标", "数值"]);
    const value = (label: string) => csv.find((l) => l[0] === label)?.[1];
    expect(value("地区")).toBe("辽中区");
    expect(value("年度")).toBe("2022");
    expect(value("试点社区（个）")).toBe("2");
    expect(value("高校（所）")).toBe("1");
    expect(value("带队社工（人）")).toBe("3");
    expect(value("参与志愿者（人，去重）")).toBe("2");
    expect(value("服务活动（场）")).toBe("4");
    expect(value("服务群众（人次）")).toBe("77");
    expect(value("志愿服务时长（小时）")).toBe("12.5");
  });

  it("refuses a year that is not one (400)", async () => {
    for (const year of ["22", "2019", "abcd"]) {
      const response = await call(
        "GET",
        `/api/v1/tallies/pilot-summary?region=${region}&year=${year}`,
        {
          token: admin.token,
        },
      );
      expect(response.status, year).toBe(400);
    }
  });
});
