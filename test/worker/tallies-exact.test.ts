/**
 * Every tally equals the sum of the outcome records it covers (SPEC, invariants): random outcomes
 * (some signed off, some corrected by an admin afterwards, events on both sides of Asia/Shanghai
 * month boundaries) are sent through the API, and every grouping of GET /api/v1/tallies is
 * compared with sums computed here from what was sent. The trigger-kept rollups are compared
 * with a fresh `tally_rebuild()`.
 *
 * Isolation from the other test files, which share the database: the property takes a fresh
 * county (cities 抚顺 … 朝阳, which no other test uses) for each run, and its events lie in
 * 2020-10 … 2021-04; the fixed-data test below uses 鞍山 (2103) and 2018-06 … 2018-09, and
 * compares whole-province breakdowns, so nobody else may have signed-off outcomes in those months.
 */
import { inArray } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../../src/auth/tokens";
import type { Queryable } from "../../src/db/client";
import {
  accounts,
  events,
  socialWorkers,
  tallyGroupRollup,
  tallyRollup,
  tallySocialWorkers,
  tallyVolunteers,
  volunteers,
} from "../../src/db/schema";
import {
  type ServiceType,
  serviceTypes,
  type TargetGroup,
  targetGroups,
} from "../../src/domain/vocabulary";
import { type Actor, makeActor, makeCommunity, unique } from "./factories";
import { call, withDb } from "./helpers";

type Dim = "month" | "serviceType" | "targetGroup" | "region";
type Level = "province" | "city" | "county" | "street" | "community";
const DIMS: Dim[] = ["month", "serviceType", "targetGroup", "region"];

// --- the model: what was sent, and the sums it implies -----------------------------------------

/** An outcome as last recorded through the API. */
interface SentOutcome {
  eventId?: string;
  communityId: string;
  code: string;
  month: string;
  serviceType: ServiceType;
  lead: string;
  personTimes: Partial<Record<TargetGroup, number>>;
  attended: number;
  hours: number;
  volunteerIds: string[];
  signedOff: boolean;
}

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
  groupBy: Dim[];
  level: Level | null;
  totals: Measures;
  rows: Row[];
  awaitingSignOff: number;
  suppression: { applied: boolean; threshold: number };
}

/** The Asia/Shanghai calendar month of an instant, by the platform's time-zone data. */
const shanghai = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
});
function shanghaiMonthOf(instant: number): string {
  const parts = shanghai.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}`;
}

function regionAt(code: string, level: Level): string {
  switch (level) {
    case "province":
      return `${code.slice(0, 2)}0000`;
    case "city":
      return `${code.slice(0, 4)}00`;
    case "county":
      return code.slice(0, 6);
    case "street":
      return code.slice(0, 9);
    case "community":
      return code;
  }
}

function zero(byGroup: boolean): Measures {
  return {
    events: 0,
    personTimes: 0,
    uniqueVolunteers: byGroup ? null : 0,
    volunteersAttended: byGroup ? null : 0,
    volunteerHours: byGroup ? null : 0,
    activeSocialWorkers: byGroup ? null : 0,
    communitiesReached: 0,
    adjustments: {
      personTimes: 0,
      volunteersAttended: byGroup ? null : 0,
      volunteerHours: byGroup ? null : 0,
    },
  };
}

const keyOf = (dims: Dim[], values: Partial<Record<Dim, string | undefined>>) =>
  dims.map((dim) => values[dim] ?? "").join("|");

const rowKey = (dims: Dim[], row: Row) =>
  keyOf(dims, {
    month: row.month,
    serviceType: row.serviceType,
    targetGroup: row.targetGroup,
    region: row.region?.code,
  });

/** The tally computed from the sent outcomes: signed off, in the region and period. */
function expectedTally(
  sent: SentOutcome[],
  query: { region: string; from: string; to: string; dims: Dim[]; level: Level },
): Map<string, Measures> {
  const { dims, level } = query;
  const byGroup = dims.includes("targetGroup");
  const cells = new Map<
    string,
    {
      events: number;
      personTimes: number;
      attended: number;
      hours: number;
      workers: Set<string>;
      volunteers: Set<string>;
      communities: Set<string>;
    }
  >();
  const cell = (key: string) => {
    let found = cells.get(key);
    if (!found) {
      found = {
        events: 0,
        personTimes: 0,
        attended: 0,
        hours: 0,
        workers: new Set(),
        volunteers: new Set(),
        communities: new Set(),
      };
      cells.set(key, found);
    }
    return found;
  };
  const covered = sent.filter(
    (o) =>
      o.signedOff &&
      o.code.startsWith(regionPrefix(query.region)) &&
      o.month >= query.from &&
      o.month <= query.to,
  );
  for (const o of covered) {
    const values = {
      month: o.month,
      serviceType: o.serviceType,
      region: regionAt(o.code, level),
    };
    if (byGroup) {
      for (const [group, n] of Object.entries(o.personTimes)) {
        if (!n) continue;
        const c = cell(keyOf(dims, { ...values, targetGroup: group }));
        c.events++;
        c.personTimes += n;
        c.communities.add(o.communityId);
      }
    } else {
      const c = cell(keyOf(dims, values));
      c.events++;
      c.personTimes += Object.values(o.personTimes).reduce((a: number, b) => a + (b ?? 0), 0);
      c.attended += o.attended;
      c.hours += o.hours;
      c.workers.add(o.lead);
      for (const id of o.volunteerIds) c.volunteers.add(id);
      c.communities.add(o.communityId);
    }
  }
  const out = new Map<string, Measures>();
  for (const [key, c] of cells) {
    const m = zero(byGroup);
    m.events = c.events;
    m.personTimes = c.personTimes;
    m.communitiesReached = c.communities.size;
    if (!byGroup) {
      m.volunteersAttended = c.attended;
      m.volunteerHours = c.hours;
      m.activeSocialWorkers = c.workers.size;
      m.uniqueVolunteers = c.volunteers.size;
    }
    out.set(key, m);
  }
  return out;
}

function regionPrefix(code: string): string {
  if (code.length !== 6) return code;
  if (code.endsWith("0000")) return code.slice(0, 2);
  if (code.endsWith("00")) return code.slice(0, 4);
  return code;
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    if (month > to) return out;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

const measuresOf = (row: Measures): Measures => ({
  events: row.events,
  personTimes: row.personTimes,
  uniqueVolunteers: row.uniqueVolunteers,
  volunteersAttended: row.volunteersAttended,
  volunteerHours: row.volunteerHours,
  activeSocialWorkers: row.activeSocialWorkers,
  communitiesReached: row.communitiesReached,
  adjustments: { ...row.adjustments },
});

/**
 * Asks the API for a tally and checks it against the model: totals, every row (zero-filled ones
 * included), the number of rows, and the outcomes awaiting sign-off.
 */
async function checkTally(
  token: string,
  sent: SentOutcome[],
  query: { region: string; from: string; to: string; dims: Dim[]; level?: Level },
  context: { awaiting: number; regionCount?: number },
): Promise<TallyBody> {
  const dims = DIMS.filter((d) => query.dims.includes(d));
  const params = new URLSearchParams({ region: query.region, from: query.from, to: query.to });
  if (dims.length) params.set("groupBy", dims.join(","));
  if (query.level) params.set("level", query.level);
  const response = await call("GET", `/api/v1/tallies?${params}`, { token });
  const label = `GET /api/v1/tallies?${params}`;
  expect(response.status, label).toBe(200);
  const body = (await response.json()) as TallyBody;
  const level = query.level ?? body.level ?? "community";
  expect(body.groupBy, label).toEqual(dims);
  expect(body.period, label).toEqual({ from: query.from, to: query.to });
  expect(body.suppression.applied, label).toBe(false);

  const totals = expectedTally(sent, { ...query, dims: [], level }).get("") ?? zero(false);
  expect(measuresOf(body.totals), `${label} totals`).toEqual(totals);
  expect(body.awaitingSignOff, `${label} awaitingSignOff`).toBe(context.awaiting);

  const expected = expectedTally(sent, { ...query, dims, level });
  const byGroup = dims.includes("targetGroup");
  if (dims.length === 0) {
    expect(body.rows, label).toEqual([]);
    return body;
  }
  const seen = new Set<string>();
  for (const row of body.rows) {
    const key = rowKey(dims, row);
    expect(seen.has(key), `${label}: row ${key} twice`).toBe(false);
    seen.add(key);
    expect(measuresOf(row), `${label}: row ${key}`).toEqual(expected.get(key) ?? zero(byGroup));
    expect(row.suppressed, `${label}: row ${key}`).toBeUndefined();
  }
  for (const key of expected.keys())
    expect(seen.has(key), `${label}: row ${key} missing`).toBe(true);

  // Zero-filled: every month of the period, every service type, every target group, every
  // child region.
  const regionCodes = new Set(body.rows.map((r) => r.region?.code));
  if (dims.includes("region") && context.regionCount !== undefined)
    expect(regionCodes.size, `${label}: child regions`).toBe(context.regionCount);
  const cells =
    (dims.includes("month") ? monthsBetween(query.from, query.to).length : 1) *
    (dims.includes("serviceType") ? serviceTypes.length : 1) *
    (dims.includes("targetGroup") ? targetGroups.length : 1) *
    (dims.includes("region") ? regionCodes.size : 1);
  expect(body.rows.length, `${label}: rows`).toBe(cells);
  if (dims.includes("month"))
    expect(new Set(body.rows.map((r) => r.month)), label).toEqual(
      new Set(monthsBetween(query.from, query.to)),
    );
  if (dims.includes("region"))
    for (const row of body.rows)
      expect(row.region?.code.length, label).toBe(
        { province: 6, city: 6, county: 6, street: 9, community: 12 }[level],
      );
  return body;
}

// --- fixtures --------------------------------------------------------------------------------

let admin: Actor;
/** Every community this file made, for the rollup-versus-rebuild check. */
const ourCommunities: string[] = [];

beforeAll(async () => {
  admin = await makeActor({ role: "admin" });
});

interface Fixture {
  communities: { id: string; regionCode: string; coordinator: Actor }[];
  volunteerIds: string[];
}

/** Communities with their coordinators, and directory volunteers to tick. */
async function makeFixture(county: string, communityCount: number): Promise<Fixture> {
  const made: Awaited<ReturnType<typeof makeCommunity>>[] = [];
  for (let i = 0; i < communityCount; i++) made.push(await makeCommunity(county));
  for (const c of made) ourCommunities.push(c.id);
  return withDb(async (db) => {
    const communities = [];
    for (const c of made) {
      const [account] = await db
        .insert(accounts)
        .values({ name: unique("coordinator-"), role: "coordinator", communityId: c.id })
        .returning({ id: accounts.id });
      if (!account) throw new Error("no account");
      const { id, token } = await mintToken(db, account.id, { label: "test" });
      communities.push({
        id: c.id,
        regionCode: c.regionCode,
        coordinator: { accountId: account.id, token, tokenId: id },
      });
    }
    const rows = await db
      .insert(volunteers)
      .values(
        Array.from({ length: 4 }, () => ({
          name: unique("志愿者-"),
          mobileCiphertext: "v1.test-only",
          mobileHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, "0"),
          mobileMasked: "170****0000",
        })),
      )
      .returning({ id: volunteers.id });
    return { communities, volunteerIds: rows.map((r) => r.id) };
  });
}

interface Worker {
  id: string;
  token: string;
  busy: { start: number; end: number }[];
}

/** Social workers with their own tokens, in `county`. */
async function makeWorkers(county: string, count: number): Promise<Worker[]> {
  if (count === 0) return [];
  return withDb(async (db) => {
    const out: Worker[] = [];
    for (let i = 0; i < count; i++) {
      const [worker] = await db
        .insert(socialWorkers)
        .values({
          name: unique("社工-"),
          certificateLevel: "intermediate",
          skills: ["counselling"],
          homeCountyCode: county,
          weeklyCapacity: 3,
        })
        .returning({ id: socialWorkers.id });
      if (!worker) throw new Error("no social worker");
      const [account] = await db
        .insert(accounts)
        .values({
          name: unique("social_worker-"),
          role: "social_worker",
          socialWorkerId: worker.id,
        })
        .returning({ id: accounts.id });
      if (!account) throw new Error("no account");
      const { token } = await mintToken(db, account.id, { label: "test" });
      out.push({ id: worker.id, token, busy: [] });
    }
    return out;
  });
}

/** One version of an outcome as the test sends it. */
interface Version {
  personTimes: Partial<Record<TargetGroup, number>>;
  volunteers: number[];
  walkIns: number;
  /** Half hours; undefined lets the API default to attendance × the event's 2 hours. */
  halfHours: number | undefined;
}

const EVENT_HOURS = 2;

/** The body of a PUT, and what it records. */
function versionBody(version: Version, fixture: Fixture) {
  const ids = version.volunteers.map((i) => fixture.volunteerIds[i] as string);
  const attended = ids.length + version.walkIns;
  const hours =
    version.halfHours === undefined
      ? attended * EVENT_HOURS
      : Math.min(version.halfHours / 2, attended * (EVENT_HOURS + 1));
  const body: Record<string, unknown> = { personTimes: version.personTimes, volunteerIds: ids };
  // Without walk-ins the head count defaults to the ticked volunteers.
  if (version.walkIns > 0) body.volunteersAttended = attended;
  if (version.halfHours !== undefined) body.volunteerHours = hours;
  // Outcomes with no volunteer (or no hour) count too, once the recorder confirms them.
  if (attended === 0 || hours === 0) body.confirmNoVolunteers = true;
  const personTimes = Object.fromEntries(
    Object.entries(version.personTimes).filter(([, n]) => (n ?? 0) > 0),
  );
  return { body, recorded: { personTimes, attended, hours, volunteerIds: ids } };
}

// --- arbitraries -----------------------------------------------------------------------------

/** Instants on both sides of Asia/Shanghai month boundaries (UTC+8), and of the period's ends. */
const BOUNDARIES = [
  "2020-10-31T15:59:59Z", // 2020-10 (before the period)
  "2020-10-31T16:00:00Z", // 2020-11
  "2020-12-31T15:59:59Z", // 2020-12
  "2020-12-31T16:00:00Z", // 2021-01
  "2021-01-31T15:59:59Z", // 2021-01
  "2021-01-31T16:00:00Z", // 2021-02
  "2021-02-28T15:59:59Z", // 2021-02
  "2021-02-28T16:00:00Z", // 2021-03
  "2021-03-31T15:59:59Z", // 2021-03
  "2021-03-31T16:00:00Z", // 2021-04 (after the period)
].map((s) => Date.parse(s));

const instant = fc.oneof(
  fc.constantFrom(...BOUNDARIES),
  fc
    .integer({
      min: Date.parse("2020-10-25T00:00:00Z") / 1000,
      max: Date.parse("2021-04-05T00:00:00Z") / 1000,
    })
    .map((s) => s * 1000),
);

const personTimes = fc
  .dictionary(fc.constantFrom(...targetGroups), fc.integer({ min: 0, max: 60 }), {
    minKeys: 1,
    maxKeys: 4,
  })
  .filter((groups) => Object.values(groups).some((n) => n > 0));

const version: fc.Arbitrary<Version> = fc.record({
  personTimes,
  volunteers: fc.subarray([0, 1, 2, 3]),
  walkIns: fc.integer({ min: 0, max: 6 }),
  halfHours: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
});

const outcomeSteps = fc.record({
  first: version,
  recorder: fc.constantFrom("coordinator" as const, "lead" as const),
  /** Re-recorded before sign-off (by whoever: coordinator or lead). */
  before: fc.option(version, { nil: undefined }),
  signOff: fc.boolean(),
  /** Re-recorded by an admin after sign-off, with a reason. */
  correction: fc.option(version, { nil: undefined }),
});

const eventSpec = fc.record({
  start: instant,
  serviceType: fc.constantFrom(...serviceTypes),
  community: fc.integer({ min: 0, max: 1 }),
  worker: fc.integer({ min: 0, max: 2 }),
  outcome: fc.option(outcomeSteps, { nil: undefined, freq: 6 }),
});

const querySpec = fc.record({
  dims: fc.subarray(DIMS),
  scope: fc.constantFrom("county" as const, "community" as const),
  level: fc.constantFrom(undefined, "street" as const),
  period: fc.constantFrom(
    { from: "2020-11", to: "2021-03" },
    { from: "2021-01", to: "2021-01" },
    { from: "2020-12", to: "2021-02" },
    { from: "2020-10", to: "2021-04" },
  ),
});

/** Counties no other test file uses, one per run of the property. */
const COUNTIES = [
  "210402",
  "210403",
  "210404",
  "210411",
  "210421",
  "210422",
  "210502",
  "210503",
  "210504",
  "210521",
  "210522",
  "210603",
  "210604",
  "210624",
  "210681",
  "210682",
  "210702",
  "210703",
  "210711",
  "210726",
  "210727",
  "210781",
  "210782",
  "210804",
  "210811",
  "210881",
  "210882",
  "210902",
  "210911",
  "210921",
  "210922",
  "211002",
  "211003",
  "211011",
  "211021",
  "211081",
  "211103",
  "211104",
  "211122",
  "211202",
  "211221",
  "211223",
  "211224",
  "211282",
  "211302",
  "211303",
  "211321",
  "211322",
  "211324",
  "211381",
  "211382",
];
let nextCounty = 0;

// --- the property ----------------------------------------------------------------------------

/**
 * Coverage and the pilot summary give the tallies' figures for the same county and period (one
 * definition per figure: events held, their lead social workers; for a whole year, person-times,
 * unique volunteers and hours too, adjustments included).
 */
async function checkAgreement(county: string, from: string, to: string, summaryYear?: number) {
  const get = async <T>(path: string): Promise<T> => {
    const response = await call("GET", path, { token: admin.token });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const period = `region=${county}&from=${from}&to=${to}`;
  const { totals } = await get<{ totals: Measures }>(`/api/v1/tallies?${period}`);
  const coverage = await get<{
    counties: { code: string; events: number; activeSocialWorkers: number }[];
  }>(`/api/v1/tallies/coverage?${period}`);
  const row = coverage.counties.find((c) => c.code === county);
  expect(row?.events, `coverage events ${from}…${to}`).toBe(totals.events);
  expect(row?.activeSocialWorkers, `coverage social workers ${from}…${to}`).toBe(
    totals.activeSocialWorkers,
  );
  if (summaryYear === undefined) return;
  const summary = await get<Record<string, number>>(
    `/api/v1/tallies/pilot-summary?region=${county}&year=${summaryYear}`,
  );
  expect(summary, `pilot summary ${summaryYear}`).toMatchObject({
    events: totals.events,
    personTimes: totals.personTimes,
    volunteers: totals.uniqueVolunteers,
    volunteerHours: totals.volunteerHours,
    socialWorkers: totals.activeSocialWorkers,
  });
}

describe("tallies are exact", () => {
  const runs: { county: string; sent: SentOutcome[] }[] = [];

  it("equal the sums of the signed-off outcomes, for any grouping, after corrections and across Asia/Shanghai month boundaries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventSpec, { minLength: 1, maxLength: 6 }),
        fc.array(querySpec, { minLength: 2, maxLength: 3 }),
        async (specs, queries) => {
          const county = COUNTIES[nextCounty++];
          if (!county) throw new Error("out of unused counties: lower numRuns");
          const fixture = await makeFixture(county, 2);

          // Social workers: the preferred one unless it is busy then (the database refuses
          // overlapping events for one social worker), else the next, else a new one.
          const preferred = Math.max(...specs.map((s) => s.worker)) + 1;
          const workers = await makeWorkers(county, preferred);
          const spare: Worker[] = [];
          const assigned: Worker[] = [];
          for (const spec of specs) {
            const start = spec.start;
            const end = start + EVENT_HOURS * 3_600_000;
            const free = (w: Worker) => w.busy.every((b) => b.end <= start || b.start >= end);
            let worker = [workers[spec.worker], ...workers, ...spare].find(
              (w): w is Worker => w !== undefined && free(w),
            );
            if (!worker) {
              [worker] = await makeWorkers(county, 1);
              if (!worker) throw new Error("no worker");
              spare.push(worker);
            }
            worker.busy.push({ start, end });
            assigned.push(worker);
          }
          const eventIds = await withDb(async (db) => {
            const rows = await db
              .insert(events)
              .values(
                specs.map((spec, i) => ({
                  communityId: fixture.communities[spec.community]?.id as string,
                  serviceType: spec.serviceType,
                  title: unique("活动-"),
                  leadSocialWorkerId: assigned[i]?.id as string,
                  startsAt: new Date(spec.start),
                  endsAt: new Date(spec.start + EVENT_HOURS * 3_600_000),
                  capacity: 10,
                })),
              )
              .returning({ id: events.id });
            return rows.map((r) => r.id);
          });

          // Record, re-record, sign off and correct, each event's steps in order, the events
          // side by side.
          const sent: SentOutcome[] = [];
          await Promise.all(
            specs.map(async (spec, i) => {
              const steps = spec.outcome;
              if (!steps) return;
              const eventId = eventIds[i] as string;
              const community = fixture.communities[spec.community];
              const lead = assigned[i];
              if (!community || !lead) throw new Error("fixture");
              const path = `/api/v1/events/${eventId}/outcome`;
              const put = async (v: Version, token: string, status: number, reason?: string) => {
                const { body, recorded } = versionBody(v, fixture);
                const response = await call("PUT", path, {
                  token,
                  json: reason ? { ...body, reason } : body,
                });
                expect(response.status, await response.clone().text()).toBe(status);
                return recorded;
              };
              const recorderToken =
                steps.recorder === "lead" ? lead.token : community.coordinator.token;
              let recorded = await put(steps.first, recorderToken, 201);
              if (steps.before) {
                const other = steps.recorder === "lead" ? community.coordinator.token : lead.token;
                recorded = await put(steps.before, other, 200);
              }
              if (steps.signOff) {
                const signed = await call("POST", `${path}/sign-off`, { token: lead.token });
                expect(signed.status).toBe(200);
                if (steps.correction)
                  recorded = await put(steps.correction, admin.token, 200, "recounted");
              }
              sent.push({
                eventId,
                communityId: community.id,
                code: community.regionCode,
                month: shanghaiMonthOf(spec.start),
                serviceType: spec.serviceType,
                lead: lead.id,
                ...recorded,
                signedOff: steps.signOff,
              });
            }),
          );
          runs.push({ county, sent });

          for (const q of queries) {
            const { from, to } = q.period;
            const region =
              q.scope === "county" ? county : (fixture.communities[0]?.regionCode as string);
            const awaiting = sent.filter(
              (o) => !o.signedOff && o.code.startsWith(region) && o.month >= from && o.month <= to,
            ).length;
            const level = q.scope === "county" ? q.level : undefined;
            await checkTally(
              admin.token,
              sent,
              { region, from, to, dims: q.dims, level },
              // The county's child communities are the directory's: exactly this run's two.
              { awaiting, regionCount: q.scope === "community" ? 1 : level ? undefined : 2 },
            );
          }
          // Always: every month around the period, by service type and target group.
          await checkTally(
            admin.token,
            sent,
            {
              region: county,
              from: "2020-10",
              to: "2021-04",
              dims: ["month", "serviceType", "targetGroup"],
            },
            { awaiting: sent.filter((o) => !o.signedOff).length },
          );

          // Coverage and the pilot summary agree with the tallies, for each period asked and
          // each whole year; then again after a month is closed (its unsigned outcomes left
          // out) and a correction is booked as an adjustment in the current month.
          for (const q of queries) await checkAgreement(county, q.period.from, q.period.to);
          for (const year of [2020, 2021])
            await checkAgreement(county, `${year}-01`, `${year}-12`, year);
          const signed = sent.find((o) => o.signedOff && o.eventId);
          if (signed) {
            const lock = await call("POST", "/api/v1/period-locks", {
              token: admin.token,
              json: { region: county, month: signed.month, excludeUnsigned: true },
            });
            expect(lock.status, await lock.clone().text()).toBe(201);
            const unsigned = sent.filter((o) => !o.signedOff && o.month === signed.month);
            expect(((await lock.json()) as { excluded: number }).excluded).toBe(unsigned.length);
            const adjusted = await call(
              "POST",
              `/api/v1/events/${signed.eventId}/outcome/adjustments`,
              {
                token: admin.token,
                json: { personTimes: { residents: 2 }, volunteerHoursDelta: 0.5, reason: "补录" },
              },
            );
            expect(adjusted.status, await adjusted.clone().text()).toBe(201);
            const now = shanghaiMonthOf(Date.now());
            await checkAgreement(county, signed.month, signed.month);
            await checkAgreement(county, `${now.slice(0, 4)}-01`, now, Number(now.slice(0, 4)));
            for (const year of [2020, 2021])
              await checkAgreement(county, `${year}-01`, `${year}-12`, year);
          }
        },
      ),
      { numRuns: 15, endOnFailure: true },
    );
    expect(runs.length).toBeGreaterThanOrEqual(15);
    // The data really had corrections, unsigned outcomes and both sides of the boundaries.
    const all = runs.flatMap((r) => r.sent);
    expect(all.some((o) => o.signedOff)).toBe(true);
    expect(all.some((o) => !o.signedOff)).toBe(true);
  });
});

// --- fixed data: city → counties → communities, province → cities ----------------------------

describe("tallies by child region", () => {
  const sent: SentOutcome[] = [];
  let fixtures: Record<string, Fixture>;

  beforeAll(async () => {
    // 鞍山: 铁东区 (two communities), 铁西区, 海城市; nobody else uses 2103 or these months.
    fixtures = {
      "210302": await makeFixture("210302", 2),
      "210303": await makeFixture("210303", 1),
      "210381": await makeFixture("210381", 1),
    };
    const plan: {
      county: string;
      community: number;
      start: string;
      serviceType: ServiceType;
      personTimes: Partial<Record<TargetGroup, number>>;
      volunteers: number[];
      signOff: boolean;
    }[] = [
      // Last second of June and first second of July in Shanghai.
      {
        county: "210302",
        community: 0,
        start: "2018-06-30T15:59:59Z",
        serviceType: "first_aid",
        personTimes: { elderly: 20, residents: 5 },
        volunteers: [0, 1],
        signOff: true,
      },
      {
        county: "210302",
        community: 1,
        start: "2018-06-30T16:00:00Z",
        serviceType: "first_aid",
        personTimes: { children: 12 },
        volunteers: [1],
        signOff: true,
      },
      {
        county: "210302",
        community: 1,
        start: "2018-07-15T02:00:00Z",
        serviceType: "lecture",
        personTimes: { residents: 40 },
        volunteers: [],
        signOff: false,
      },
      {
        county: "210303",
        community: 0,
        start: "2018-08-31T15:59:59Z",
        serviceType: "mediation",
        personTimes: { delivery_rider: 9, courier: 3 },
        volunteers: [2],
        signOff: true,
      },
      // September in Shanghai, outside June … August.
      {
        county: "210381",
        community: 0,
        start: "2018-08-31T16:00:00Z",
        serviceType: "mediation",
        personTimes: { elderly: 100 },
        volunteers: [0],
        signOff: true,
      },
      {
        county: "210381",
        community: 0,
        start: "2018-06-01T01:00:00Z",
        serviceType: "recreation",
        personTimes: { disabled: 7 },
        volunteers: [0, 3],
        signOff: true,
      },
    ];
    const workers = await makeWorkers("210302", plan.length);
    for (const [i, p] of plan.entries()) {
      const fixture = fixtures[p.county] as Fixture;
      const community = fixture.communities[p.community];
      const worker = workers[i];
      if (!community || !worker) throw new Error("fixture");
      const start = Date.parse(p.start);
      const [event] = await withDb((db) =>
        db
          .insert(events)
          .values({
            communityId: community.id,
            serviceType: p.serviceType,
            title: unique("活动-"),
            leadSocialWorkerId: worker.id,
            startsAt: new Date(start),
            endsAt: new Date(start + EVENT_HOURS * 3_600_000),
            capacity: 10,
          })
          .returning({ id: events.id }),
      );
      const { body, recorded } = versionBody(
        { personTimes: p.personTimes, volunteers: p.volunteers, walkIns: 1, halfHours: undefined },
        fixture,
      );
      const put = await call("PUT", `/api/v1/events/${event?.id}/outcome`, {
        token: worker.token,
        json: body,
      });
      expect(put.status).toBe(201);
      if (p.signOff) {
        const signed = await call("POST", `/api/v1/events/${event?.id}/outcome/sign-off`, {
          token: worker.token,
        });
        expect(signed.status).toBe(200);
      }
      sent.push({
        communityId: community.id,
        code: community.regionCode,
        month: shanghaiMonthOf(start),
        serviceType: p.serviceType,
        lead: worker.id,
        ...recorded,
        signedOff: p.signOff,
      });
    }
  });

  it("breaks a city down to all its counties, zero-filled", async () => {
    const body = await checkTally(
      admin.token,
      sent,
      { region: "210300", from: "2018-06", to: "2018-08", dims: ["region"] },
      { awaiting: 1, regionCount: 7 },
    );
    expect(body.level).toBe("county");
    const row = (code: string) => body.rows.find((r) => r.region?.code === code);
    expect(row("210302")).toMatchObject({ events: 2, personTimes: 37, communitiesReached: 2 });
    expect(row("210303")).toMatchObject({ events: 1, personTimes: 12 });
    expect(row("210381")).toMatchObject({ events: 1, personTimes: 7 });
    expect(row("210302")?.region?.name).toBe("铁东区");
    expect(row("210311")).toMatchObject({ events: 0, personTimes: 0 });
    expect(body.totals.personTimes).toBe(56);
  });

  it("breaks a city down to communities with level=community, and a county to its communities", async () => {
    await checkTally(
      admin.token,
      sent,
      {
        region: "210300",
        from: "2018-06",
        to: "2018-08",
        dims: ["region", "month"],
        level: "community",
      },
      { awaiting: 1, regionCount: 4 },
    );
    const body = await checkTally(
      admin.token,
      sent,
      { region: "210302", from: "2018-06", to: "2018-08", dims: ["region", "targetGroup"] },
      { awaiting: 1, regionCount: 2 },
    );
    expect(body.level).toBe("community");
  });

  it("breaks the province down to cities, and to counties", async () => {
    const body = await checkTally(
      admin.token,
      sent,
      { region: "210000", from: "2018-06", to: "2018-08", dims: ["region", "serviceType"] },
      { awaiting: 1, regionCount: 14 },
    );
    expect(body.level).toBe("city");
    await checkTally(
      admin.token,
      sent,
      { region: "210000", from: "2018-06", to: "2018-08", dims: ["region"], level: "county" },
      { awaiting: 1, regionCount: 100 },
    );
  });

  it("counts June's last second in June and July's first second in July", async () => {
    const response = await call(
      "GET",
      "/api/v1/tallies?region=210302&from=2018-06&to=2018-07&groupBy=month,targetGroup",
      { token: admin.token },
    );
    const body = (await response.json()) as TallyBody;
    const cell = (month: string, group: string) =>
      body.rows.find((r) => r.month === month && r.targetGroup === group)?.personTimes;
    expect(cell("2018-06", "elderly")).toBe(20);
    expect(cell("2018-06", "children")).toBe(0);
    expect(cell("2018-07", "children")).toBe(12);
    expect(cell("2018-07", "elderly")).toBe(0);
  });

  it("gives the same answer to a city department as to an admin", async () => {
    const department = await makeActor({ role: "department", regionCode: "210300" });
    await checkTally(
      department.token,
      sent,
      { region: "210300", from: "2018-06", to: "2018-09", dims: ["month", "region"] },
      { awaiting: 1, regionCount: 7 },
    );
  });
});

// --- the rollups against a rebuild from the records ------------------------------------------

class Rollback extends Error {}

type Snapshot = Record<
  "tally_rollup" | "tally_group_rollup" | "tally_social_workers" | "tally_volunteers",
  string[]
>;

/** The rollup rows of our communities, as sorted lines, leaving out rows that are all zero. */
async function snapshot(db: Queryable): Promise<Snapshot> {
  const ids = ourCommunities;
  const nonZero = (values: unknown[]) => values.some((v) => Number(v) !== 0);
  const lines = (rows: { key: unknown[]; values: unknown[] }[]) =>
    rows
      .filter((r) => nonZero(r.values))
      .map((r) => [...r.key, ...r.values.map(Number)].join(" "))
      .sort();
  const rollup = await db.select().from(tallyRollup).where(inArray(tallyRollup.communityId, ids));
  const groups = await db
    .select()
    .from(tallyGroupRollup)
    .where(inArray(tallyGroupRollup.communityId, ids));
  const workers = await db
    .select()
    .from(tallySocialWorkers)
    .where(inArray(tallySocialWorkers.communityId, ids));
  const vols = await db
    .select()
    .from(tallyVolunteers)
    .where(inArray(tallyVolunteers.communityId, ids));
  return {
    tally_rollup: lines(
      rollup.map((r) => ({
        key: [r.communityId, r.regionCode, r.month, r.serviceType, r.adjustment],
        values: [r.events, r.personTimes, r.volunteersAttended, r.volunteerHours],
      })),
    ),
    tally_group_rollup: lines(
      groups.map((r) => ({
        key: [r.communityId, r.regionCode, r.month, r.serviceType, r.targetGroup, r.adjustment],
        values: [r.events, r.personTimes],
      })),
    ),
    tally_social_workers: lines(
      workers.map((r) => ({
        key: [r.communityId, r.regionCode, r.month, r.serviceType, r.socialWorkerId],
        values: [r.events],
      })),
    ),
    tally_volunteers: lines(
      vols.map((r) => ({
        key: [r.communityId, r.regionCode, r.month, r.serviceType, r.volunteerKey],
        values: [r.events],
      })),
    ),
  };
}

describe("the trigger-kept rollups", () => {
  it("equal a fresh tally_rebuild() from the outcome records", async () => {
    expect(ourCommunities.length).toBeGreaterThan(0);
    let kept: Snapshot | undefined;
    let rebuilt: Snapshot | undefined;
    await withDb(async (db) => {
      await db
        .transaction(async (tx) => {
          // Writers to the rollups wait until the rollback; taken in the order the triggers
          // write them, so no deadlock with a concurrent outcome write.
          // A fold's lock first (migration 0037): a fold holding it would wait for these tables.
          await tx.execute("SELECT tally_fold_lock()");
          await tx.execute(
            "LOCK TABLE tally_rollup, tally_group_rollup, tally_social_workers, tally_volunteers, tally_key_changes IN SHARE ROW EXCLUSIVE MODE",
          );
          // The keys' changes appended since the last fold count once folded (migration 0037).
          await tx.execute("SELECT tally_fold_keys()");
          kept = await snapshot(tx);
          await tx.execute("SELECT tally_rebuild()");
          rebuilt = await snapshot(tx);
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
    });
    expect(kept?.tally_rollup.length).toBeGreaterThan(0);
    expect(kept?.tally_volunteers.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  });
});
