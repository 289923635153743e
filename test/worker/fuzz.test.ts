import { env } from "cloudflare:test";
import { and, eq, inArray, like, notInArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { uniqueSymbol } from "hono-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import {
  apiTokens,
  auditLog,
  calendarFeeds,
  communities,
  events,
  matchingRuns,
  needs,
  outcomeAdjustments,
  outcomes,
  periodLocks,
  regions,
  signups,
} from "../../src/db/schema";
import { codeToStatus } from "../../src/lib/errors";
import { submitRequest } from "../../src/requests/service";
import { fetchWorker } from "./contract-setup";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeOrganisation,
  makeSocialWorker,
  makeTeam,
  unique,
} from "./factories";
import {
  almostValidFrom,
  type Hints,
  hostileFrom,
  hostileSegment,
  hostileValue,
  instant,
  type JsonSchema,
  nastyTexts,
  SCRIPT,
  validFrom,
} from "./fuzz-arbitraries";
import { asCaller, call, withDb } from "./helpers";
import { freshMobile, signupFields, submitSignup } from "./public-helpers";
import { getPage, makeStaffLogin, needFormFields, postForm, signIn } from "./web-helpers";

/**
 * Property-based fuzzing of every write route of the JSON API (issue 6, "Bad input, generated"),
 * from each route's own valibot schema as hono-openapi registered it, plus the HTML forms.
 *
 * For every generated request: never a 5xx; every 4xx in the one error shape with no stack trace
 * or database text; a body the schema rejects is a 400 with issues; nothing stored (scoped row
 * counts and the fixtures' audit trail unchanged) unless the answer was 2xx. Pages never carry a
 * raw `<script` that was sent.
 *
 * Reproduce a failure with the seed and path fast-check prints: `fc.assert(…, { seed, path })`.
 */

// Runs per route and kind. Totals are printed at the end ("inputs generated"). The PostgreSQL
// pass (`npm run test:postgres`, after `npm test` in CI) draws half as many fresh inputs: every
// request there costs a server process, and its job is the database's own answers.
const SHARE = env.TEST_DATABASE_KIND === "postgres" ? 0.5 : 1;
const RUNS = Object.fromEntries(
  Object.entries({ valid: 12, almost: 10, hostile: 8, none: 12, csv: 15, path: 120, page: 25 }).map(
    ([kind, runs]) => [kind, Math.ceil(runs * SHARE)],
  ),
) as Record<"valid" | "almost" | "hostile" | "none" | "csv" | "path" | "page", number>;

/** An ordinary county no other test uses, so locks and bookings here disturb nobody. */
const COUNTY = "210423";

// ---------------------------------------------------------------------------------------------
// The routes, from the app itself
// ---------------------------------------------------------------------------------------------

interface Validator {
  target: string;
  validate: (value: unknown) => unknown;
  toJSONSchema: (options?: object) => Promise<{ schema: JsonSchema } | JsonSchema>;
}

interface WriteRoute {
  key: string;
  method: string;
  path: string;
  json?: Validator;
  params: boolean;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Every write route under /api/v1, with the json validator hono-openapi attached to it. */
function writeRoutes(): WriteRoute[] {
  const byKey = new Map<string, WriteRoute>();
  for (const route of createApp().routes) {
    if (!WRITE_METHODS.has(route.method) || !route.path.startsWith("/api/v1/")) continue;
    const key = `${route.method} ${route.path}`;
    const entry = byKey.get(key) ?? {
      key,
      method: route.method,
      path: route.path,
      params: route.path.includes("/:"),
    };
    const meta = (route.handler as unknown as Record<symbol, Validator | undefined>)[uniqueSymbol];
    if (meta?.target === "json") entry.json = meta;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

async function jsonSchemaOf(validator: Validator): Promise<JsonSchema> {
  const result = await validator.toJSONSchema({ errorMode: "ignore" });
  return ("schema" in result ? result.schema : result) as JsonSchema;
}

async function schemaAccepts(validator: Validator, body: unknown): Promise<boolean> {
  const result = (await validator.validate(body)) as { issues?: unknown[] };
  return !result.issues;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

interface Fixtures {
  admin: Actor;
  spareAdmin: Actor;
  coordinator: Actor;
  department: Actor;
  lead: Actor;
  communityId: string;
  spareCommunityId: string;
  workerId: string;
  spareWorkerId: string;
  teamId: string;
  spareTeamId: string;
  organisationId: string;
  spareOrganisationId: string;
  volunteerId: string;
  futureEventId: string;
  rescheduleEventId: string;
  cancelEventId: string;
  acceptEventId: string;
  declineEventId: string;
  pastEventId: string;
  needId: string;
  acceptNeedId: string;
  withdrawNeedId: string;
  feedId: string;
  runId: string;
  manageToken: string;
  confirmationCode: string;
  acceptStart: string;
  freeCommunityCode: string;
  coordinatorCookie: string;
  /** 问需: one request per routing route, at the coordinator's desk. */
  acceptRequestId: string;
  answerRequestId: string;
  forwardRequestId: string;
}

let fx: Fixtures;

async function makeRequest(communityId: string): Promise<string> {
  const made = await asCaller((caller) =>
    submitRequest(caller, {
      communityId,
      askerKind: "resident",
      kind: "elderly_care",
      description: "楼道灯坏了，老人夜里出门不方便。",
      consent: false,
    }),
  );
  return made.request.id;
}

async function created(response: Response): Promise<{ id: string } & Record<string, unknown>> {
  if (response.status !== 201)
    throw new Error(`fixture failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function makeFixtures(): Promise<Fixtures> {
  const community = await makeCommunity(COUNTY, { isPilot: true });
  const spareCommunity = await makeCommunity(COUNTY);
  const worker = await makeSocialWorker(COUNTY, {
    certificateLevel: "senior",
    skills: ["counselling", "first_aid", "elderly_care"],
  });
  const spareWorker = await makeSocialWorker(COUNTY);
  const team = await makeTeam(COUNTY, { skills: ["first_aid", "counselling", "elderly_care"] });
  const spareTeam = await makeTeam(COUNTY);
  const organisation = await makeOrganisation();
  const spareOrganisation = await makeOrganisation();
  const [admin, spareAdmin, coordinator, department, lead] = await Promise.all([
    makeActor({ role: "admin" }),
    makeActor({ role: "admin" }),
    makeActor({ role: "coordinator", communityId: community.id }),
    makeActor({ role: "department", regionCode: COUNTY }),
    makeActor({ role: "social_worker", socialWorkerId: worker.id }),
  ]);
  const event = async (day: string, capacity = 10_000) =>
    makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      teamIds: [team.id],
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
      capacity,
    });
  const [futureEvent, rescheduleEvent, cancelEvent, acceptEvent, declineEvent] = [
    await event(futureDay()),
    await event(futureDay()),
    await event(futureDay()),
    await event(futureDay()),
    await event(futureDay()),
  ];
  const pastEvent = await event("2023-06-14");
  const [need, acceptNeed, withdrawNeed] = [
    await makeNeed(community.id),
    await makeNeed(community.id, { serviceType: "counselling" }),
    await makeNeed(community.id),
  ];
  const volunteer = await created(
    await call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name: unique("志愿者-"), mobile: freshMobile(), teamId: team.id },
    }),
  );
  const feed = await created(
    await call("POST", "/api/v1/calendar-feeds", { token: lead.token, json: {} }),
  );
  const from = new Date(Date.now() + 86_400_000);
  const run = await created(
    await call("POST", "/api/v1/matching/runs", {
      token: department.token,
      json: {
        regionCode: COUNTY,
        from: from.toISOString(),
        to: new Date(from.getTime() + 30 * 86_400_000).toISOString(),
      },
    }),
  );
  const signup = await call("POST", `/api/v1/events/${futureEvent.id}/signups`, {
    json: { name: "张志愿", mobile: freshMobile(), consent: true },
  });
  const { manageToken } = (await signup.json()) as { manageToken: string };
  const second = await call("POST", `/api/v1/events/${futureEvent.id}/signups`, {
    json: { name: "李志愿", mobile: freshMobile(), consent: true },
  });
  const { signup: checkinSignup } = (await second.json()) as {
    signup: { confirmationCode: string };
  };
  const [free] = await withDb((db) =>
    db
      .select({ code: regions.code })
      .from(regions)
      .where(
        and(
          eq(regions.level, "community"),
          like(regions.code, `${COUNTY}%`),
          notInArray(regions.code, db.select({ code: communities.regionCode }).from(communities)),
        ),
      )
      .limit(1),
  );
  const coordinatorCookie = await signIn(
    await makeStaffLogin({ role: "coordinator", communityId: community.id }),
  );
  return {
    admin,
    spareAdmin,
    coordinator,
    department,
    lead,
    communityId: community.id,
    spareCommunityId: spareCommunity.id,
    workerId: worker.id,
    spareWorkerId: spareWorker.id,
    teamId: team.id,
    spareTeamId: spareTeam.id,
    organisationId: organisation.id,
    spareOrganisationId: spareOrganisation.id,
    volunteerId: volunteer.id,
    futureEventId: futureEvent.id,
    rescheduleEventId: rescheduleEvent.id,
    cancelEventId: cancelEvent.id,
    acceptEventId: acceptEvent.id,
    declineEventId: declineEvent.id,
    pastEventId: pastEvent.id,
    needId: need.id,
    acceptNeedId: acceptNeed.id,
    withdrawNeedId: withdrawNeed.id,
    feedId: feed.id,
    runId: run.id,
    manageToken,
    confirmationCode: checkinSignup.confirmationCode,
    acceptStart: acceptNeed.windowStart.toISOString(),
    freeCommunityCode: free?.code ?? `${COUNTY}100001`,
    coordinatorCookie,
    acceptRequestId: await makeRequest(community.id),
    answerRequestId: await makeRequest(community.id),
    forwardRequestId: await makeRequest(community.id),
  };
}

/**
 * Everything a request from the fuzz could have stored, scoped to this file's fixtures so tests
 * running in parallel do not move it: the fixtures' audit trail (every staff write is audited,
 * updates included) and the rows hung on the fixtures.
 */
async function storedCount(): Promise<number> {
  const accountIds = [fx.admin, fx.spareAdmin, fx.coordinator, fx.department, fx.lead].map(
    (a) => a.accountId,
  );
  const eventIds = [
    fx.futureEventId,
    fx.rescheduleEventId,
    fx.cancelEventId,
    fx.acceptEventId,
    fx.declineEventId,
    fx.pastEventId,
  ];
  const communityIds = [fx.communityId, fx.spareCommunityId];
  return withDb(async (db) => {
    const result = await db.execute<{ n: string }>(sql`select
      (select count(*) from ${auditLog} where ${inArray(auditLog.accountId, accountIds)})
      + (select count(*) from ${apiTokens} where ${inArray(apiTokens.accountId, accountIds)})
      + (select count(*) from ${signups} where ${inArray(signups.eventId, eventIds)})
      + (select count(*) from ${signups} where ${inArray(signups.eventId, eventIds)} and ${signups.status} = 'cancelled')
      + (select count(*) from ${outcomes} where ${inArray(outcomes.eventId, eventIds)})
      + (select count(*) from ${outcomeAdjustments} where ${inArray(outcomeAdjustments.eventId, eventIds)})
      + (select count(*) from ${events} where ${inArray(events.communityId, communityIds)})
      + (select coalesce(sum(${events.revision}), 0) from ${events} where ${inArray(events.communityId, communityIds)})
      + (select count(*) from ${needs} where ${inArray(needs.communityId, communityIds)})
      + (select count(*) from ${matchingRuns} where ${inArray(matchingRuns.createdBy, accountIds)})
      + (select count(*) from ${calendarFeeds} where ${calendarFeeds.socialWorkerId} = ${fx.workerId})
      + (select count(*) from ${periodLocks} where ${like(periodLocks.regionCode, `${COUNTY}%`)})
      as n`);
    return Number(result.rows[0]?.n ?? 0);
  });
}

// ---------------------------------------------------------------------------------------------
// Which actor, path and hints for each write route
// ---------------------------------------------------------------------------------------------

type Who = "admin" | "coordinator" | "department" | "lead" | "public";

interface Target {
  who: Who;
  /** The concrete path, with fixture ids for the parameters. */
  path: string;
  body: "json" | "csv" | "none";
  hints?: Hints;
}

const mobile = fc.oneof(
  fc.integer({ min: 0, max: 99_999_999 }).map((n) => `13${n % 10}${String(n).padStart(8, "0")}`),
  fc.constantFrom("+86 138 0013 8000", "0086-139-1234-5678", "(139) 1234 5678", "12345678901"),
);

/**
 * The fuzz table. Keyed by "METHOD /api/v1/path" as the app lists its routes: a new write route
 * without an entry here fails the first test.
 */
const targets: Record<string, (f: Fixtures) => Target> = {
  "POST /api/v1/communities": (f) => ({
    who: "admin",
    path: "/api/v1/communities",
    body: "json",
    hints: {
      byName: {
        regionCode: fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constant(f.freeCommunityCode)),
      },
    },
  }),
  "PATCH /api/v1/communities/:id": (f) => ({
    who: "admin",
    path: `/api/v1/communities/${f.spareCommunityId}`,
    body: "json",
  }),
  "DELETE /api/v1/communities/:id": (f) => ({
    who: "admin",
    path: `/api/v1/communities/${f.spareCommunityId}`,
    body: "none",
  }),
  "POST /api/v1/organisations": () => ({
    who: "admin",
    path: "/api/v1/organisations",
    body: "json",
    hints: { byName: { regionCode: fc.constantFrom(COUNTY, "210000", "999999", null) } },
  }),
  "PATCH /api/v1/organisations/:id": (f) => ({
    who: "admin",
    path: `/api/v1/organisations/${f.spareOrganisationId}`,
    body: "json",
    hints: { byName: { regionCode: fc.constantFrom(COUNTY, "210000", "999999", null) } },
  }),
  "DELETE /api/v1/organisations/:id": (f) => ({
    who: "admin",
    path: `/api/v1/organisations/${f.spareOrganisationId}`,
    body: "none",
  }),
  "POST /api/v1/social-workers/import": () => ({
    who: "admin",
    path: "/api/v1/social-workers/import",
    body: "csv",
  }),
  "POST /api/v1/social-workers": (f) => ({
    who: "admin",
    path: "/api/v1/social-workers",
    body: "json",
    hints: {
      ids: [f.organisationId],
      byName: { homeCountyCode: fc.constantFrom(COUNTY, "210101", "219999") },
    },
  }),
  "PATCH /api/v1/social-workers/:id": (f) => ({
    who: "admin",
    path: `/api/v1/social-workers/${f.spareWorkerId}`,
    body: "json",
    hints: {
      ids: [f.organisationId],
      byName: { homeCountyCode: fc.constantFrom(COUNTY, "219999") },
    },
  }),
  "DELETE /api/v1/social-workers/:id": (f) => ({
    who: "admin",
    path: `/api/v1/social-workers/${f.spareWorkerId}`,
    body: "none",
  }),
  "POST /api/v1/volunteer-teams/import": () => ({
    who: "admin",
    path: "/api/v1/volunteer-teams/import",
    body: "csv",
  }),
  "POST /api/v1/volunteer-teams": (f) => ({
    who: "admin",
    path: "/api/v1/volunteer-teams",
    body: "json",
    hints: { ids: [f.organisationId], byName: { countyCode: fc.constantFrom(COUNTY, "219999") } },
  }),
  "PATCH /api/v1/volunteer-teams/:id": (f) => ({
    who: "admin",
    path: `/api/v1/volunteer-teams/${f.spareTeamId}`,
    body: "json",
    hints: { ids: [f.organisationId], byName: { countyCode: fc.constantFrom(COUNTY, "219999") } },
  }),
  "DELETE /api/v1/volunteer-teams/:id": (f) => ({
    who: "admin",
    path: `/api/v1/volunteer-teams/${f.spareTeamId}`,
    body: "none",
  }),
  "POST /api/v1/volunteers/lookup": () => ({
    who: "admin",
    path: "/api/v1/volunteers/lookup",
    body: "json",
    hints: { byName: { mobile } },
  }),
  "POST /api/v1/volunteers": (f) => ({
    who: "admin",
    path: "/api/v1/volunteers",
    body: "json",
    hints: { ids: [f.spareTeamId], byName: { mobile } },
  }),
  "PATCH /api/v1/volunteers/:id": (f) => ({
    who: "admin",
    path: `/api/v1/volunteers/${f.volunteerId}`,
    body: "json",
    hints: { ids: [f.spareTeamId], byName: { mobile } },
  }),
  "DELETE /api/v1/volunteers/:id": (f) => ({
    who: "admin",
    path: `/api/v1/volunteers/${f.volunteerId}`,
    body: "none",
  }),
  "POST /api/v1/needs": (f) => ({
    who: "coordinator",
    path: "/api/v1/needs",
    body: "json",
    hints: { ids: [f.communityId] },
  }),
  "PATCH /api/v1/needs/:id": (f) => ({
    who: "coordinator",
    path: `/api/v1/needs/${f.needId}`,
    body: "json",
  }),
  "POST /api/v1/needs/:id/withdraw": (f) => ({
    who: "coordinator",
    path: `/api/v1/needs/${f.withdrawNeedId}/withdraw`,
    body: "none",
  }),
  "POST /api/v1/needs/:id/accept": (f) => ({
    who: "coordinator",
    path: `/api/v1/needs/${f.acceptNeedId}/accept`,
    body: "json",
    hints: {
      ids: [f.workerId, f.teamId],
      byName: { start: fc.oneof(fc.constant(f.acceptStart), instant) },
    },
  }),
  "POST /api/v1/events/:id/signups": (f) => ({
    who: "public",
    path: `/api/v1/events/${f.futureEventId}/signups`,
    body: "json",
    hints: { byName: { mobile } },
  }),
  "POST /api/v1/signups/manage/:token/cancel": (f) => ({
    who: "public",
    path: `/api/v1/signups/manage/${f.manageToken}/cancel`,
    body: "none",
  }),
  "POST /api/v1/events/:id/checkin": (f) => ({
    who: "coordinator",
    path: `/api/v1/events/${f.futureEventId}/checkin`,
    body: "json",
    hints: {
      byName: {
        code: fc.oneof(
          fc.constant(f.confirmationCode),
          fc.constant(f.confirmationCode.toLowerCase().split("").join(" ")),
          fc.stringMatching(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/),
          fc.stringMatching(/^[a-z0-9 ]{4,10}$/),
        ),
      },
    },
  }),
  "PUT /api/v1/events/:id/outcome": (f) => ({
    who: "coordinator",
    path: `/api/v1/events/${f.pastEventId}/outcome`,
    body: "json",
    hints: { ids: [f.volunteerId] },
  }),
  "POST /api/v1/events/:id/outcome/sign-off": (f) => ({
    who: "lead",
    path: `/api/v1/events/${f.pastEventId}/outcome/sign-off`,
    body: "none",
  }),
  "POST /api/v1/events/:id/outcome/adjustments": (f) => ({
    who: "admin",
    path: `/api/v1/events/${f.pastEventId}/outcome/adjustments`,
    body: "json",
  }),
  "POST /api/v1/events/:id/reschedule": (f) => ({
    who: "coordinator",
    path: `/api/v1/events/${f.rescheduleEventId}/reschedule`,
    body: "json",
  }),
  "PATCH /api/v1/events/:id": (f) => ({
    who: "coordinator",
    path: `/api/v1/events/${f.futureEventId}`,
    body: "json",
  }),
  "POST /api/v1/events/:id/cancel": (f) => ({
    who: "coordinator",
    path: `/api/v1/events/${f.cancelEventId}/cancel`,
    body: "json",
  }),
  "POST /api/v1/events/:id/accept": (f) => ({
    who: "lead",
    path: `/api/v1/events/${f.acceptEventId}/accept`,
    body: "none",
  }),
  "POST /api/v1/events/:id/decline": (f) => ({
    who: "lead",
    path: `/api/v1/events/${f.declineEventId}/decline`,
    body: "json",
  }),
  "POST /api/v1/requests/:id/accept": (f) => ({
    who: "coordinator",
    path: `/api/v1/requests/${f.acceptRequestId}/accept`,
    body: "json",
  }),
  "POST /api/v1/requests/:id/answer": (f) => ({
    who: "coordinator",
    path: `/api/v1/requests/${f.answerRequestId}/answer`,
    body: "json",
  }),
  "POST /api/v1/requests/:id/forward": (f) => ({
    who: "coordinator",
    path: `/api/v1/requests/${f.forwardRequestId}/forward`,
    body: "json",
    hints: { ids: [f.spareCommunityId, f.communityId] },
  }),
  "POST /api/v1/stations": (f) => ({
    who: "coordinator",
    path: "/api/v1/stations",
    body: "json",
    hints: { ids: [f.communityId, f.spareCommunityId] },
  }),
  "POST /api/v1/calendar-feeds": (f) => ({
    who: "lead",
    path: "/api/v1/calendar-feeds",
    body: "json",
    hints: { ids: [f.workerId] },
  }),
  "DELETE /api/v1/calendar-feeds/:id": (f) => ({
    who: "lead",
    path: `/api/v1/calendar-feeds/${f.feedId}`,
    body: "none",
  }),
  "POST /api/v1/matching/runs": () => ({
    who: "department",
    path: "/api/v1/matching/runs",
    body: "json",
    hints: { byName: { regionCode: fc.constantFrom(COUNTY, "210000", "210100", "999999999999") } },
  }),
  "POST /api/v1/matching/runs/:id/accept": (f) => ({
    who: "coordinator",
    path: `/api/v1/matching/runs/${f.runId}/accept`,
    body: "json",
    hints: { ids: [f.needId, f.acceptNeedId] },
  }),
  "POST /api/v1/period-locks": () => ({
    who: "department",
    path: "/api/v1/period-locks",
    body: "json",
    hints: {
      byName: {
        region: fc.constantFrom(COUNTY, "210000", "999999"),
        // Months far from the fixtures' events, so locks do not freeze the outcome fuzz.
        month: fc.oneof(
          fc.stringMatching(/^20[4-9]\d-(0[1-9]|1[0-2])$/),
          fc.constantFrom("2025-13", "2025-00", "0000-01"),
        ),
      },
    },
  }),
  "POST /api/v1/period-locks/:region/:month/reopen": () => ({
    who: "admin",
    path: `/api/v1/period-locks/${COUNTY}/2044-01/reopen`,
    body: "json",
  }),
  "POST /api/v1/accounts": (f) => ({
    who: "admin",
    path: "/api/v1/accounts",
    body: "json",
    hints: {
      ids: [f.spareCommunityId, f.spareWorkerId],
      byName: { regionCode: fc.constantFrom(COUNTY, "210000", "999999") },
    },
  }),
  "POST /api/v1/accounts/:id/tokens": (f) => ({
    who: "admin",
    path: `/api/v1/accounts/${f.spareAdmin.accountId}/tokens`,
    body: "json",
  }),
  "DELETE /api/v1/tokens/:id": (f) => ({
    who: "admin",
    path: `/api/v1/tokens/${f.spareAdmin.tokenId}`,
    body: "none",
  }),
};

function tokenOf(who: Who): string | undefined {
  if (who === "public") return undefined;
  return fx[who].token;
}

// ---------------------------------------------------------------------------------------------
// What every answer must look like
// ---------------------------------------------------------------------------------------------

/** Text that would mean a stack trace, a source path or the database's own words got out. */
const LEAKS =
  /syntax error|violates|relation "|column "|at Object\.|node_modules|\.ts:\d|\.js:\d|\n\s+at |Failed query|invalid input syntax|duplicate key|invalid byte sequence|unsupported Unicode|NeonDbError|DrizzleQueryError|PostgresError|TypeError|RangeError|SyntaxError|undefined is not|Cannot read prop/i;

const ERROR_CODES = new Set(Object.keys(codeToStatus));

const counts = {
  requests: 0,
  byKind: {} as Record<string, number>,
  byRoute: {} as Record<string, number>,
  byStatus: {} as Record<number, number>,
  /** Requests a route answered 2xx: proof that generated input reached the handler and database. */
  accepted: {} as Record<string, number>,
};

function counted(route: string, kind: string) {
  counts.requests++;
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
  counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
}

/** Never a 5xx; errors in the one shape, without leaks; returns the parsed error, if any. */
async function expectWellFormed(
  response: Response,
  sent: string,
): Promise<{ code: string; issues: unknown[] } | undefined> {
  const text = await response.text();
  counts.byStatus[response.status] = (counts.byStatus[response.status] ?? 0) + 1;
  expect(response.status, `${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text).not.toMatch(LEAKS);
  if (response.status < 400) return undefined;
  expect(response.headers.get("Content-Type") ?? "").toContain("application/json");
  const body = JSON.parse(text) as {
    error: { code: string; message: string; issues: unknown[]; requestId: string };
  };
  expect(Object.keys(body)).toEqual(["error"]);
  const { code, message, issues, requestId } = body.error;
  expect(ERROR_CODES.has(code), `unknown code ${code}`).toBe(true);
  expect(codeToStatus[code as keyof typeof codeToStatus]).toBe(response.status);
  expect(typeof message).toBe("string");
  expect(Array.isArray(issues)).toBe(true);
  expect(typeof requestId === "string" && requestId.length > 0).toBe(true);
  // The error never echoes what was sent: no reflected markup, no 100 KB string back.
  if (sent.includes("<script")) expect(text).not.toContain("<script");
  expect(text.length).toBeLessThan(20_000);
  return { code, issues };
}

function send(method: string, path: string, who: Who, json: unknown): Promise<Response> {
  return call(method, path, { token: tokenOf(who), json });
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const routes = writeRoutes();
const started = Date.now();

beforeAll(async () => {
  fx = await makeFixtures();
});

afterAll(() => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `[fuzz] inputs generated: ${counts.requests} requests over ${routes.length} write routes ` +
      `in ${seconds} s; by kind ${JSON.stringify(counts.byKind)}; ` +
      `answers by status ${JSON.stringify(counts.byStatus)}`,
  );
  const neverAccepted = routes.map((r) => r.key).filter((key) => !counts.accepted[key]);
  console.log(
    `[fuzz] 2xx by route ${JSON.stringify(counts.accepted)}; never 2xx: ${JSON.stringify(neverAccepted)}`,
  );
});

describe("the fuzz table", () => {
  it("has an entry for every write route the app lists (a new route must be added here)", () => {
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.map((r) => r.key).filter((key) => !targets[key]);
    expect(missing).toEqual([]);
    const stale = Object.keys(targets).filter((key) => !routes.some((r) => r.key === key));
    expect(stale).toEqual([]);
  });

  it("knows the schema of every JSON write route", () => {
    for (const route of routes) {
      const target = targets[route.key]?.(fx);
      if (target?.body === "json") expect(route.json, route.key).toBeDefined();
    }
  });
});

/** One generated request: sends it, checks the answer, and that a refusal stored nothing. */
async function exercise(
  route: WriteRoute,
  target: Target,
  kind: string,
  body: unknown,
  state: { baseline: number },
) {
  counted(route.key, kind);
  const sent = body === undefined ? "" : JSON.stringify(body);
  // Counted right before the request, so that nothing earlier can land in between.
  state.baseline = await storedCount();
  const response = await send(route.method, target.path, target.who, body);
  const error = await expectWellFormed(response, sent);
  // Judged on what went over the wire: JSON turns Infinity and NaN into null, drops undefined.
  const wire: unknown = sent === "" ? undefined : JSON.parse(sent);
  if (route.json && target.body === "json" && !(await schemaAccepts(route.json, wire))) {
    // What the route's own schema refuses is a 400 with the field paths, before any handler.
    expect(response.status, sent.slice(0, 200)).toBe(400);
    expect(error?.code).toBe("VALIDATION_FAILED");
    expect(error?.issues.length).toBeGreaterThan(0);
  }
  if (response.ok) counts.accepted[route.key] = (counts.accepted[route.key] ?? 0) + 1;
  const now = await storedCount();
  if (response.ok) state.baseline = now;
  else
    expect(
      now,
      `a refused ${route.key} (${response.status}) stored something: ${sent.slice(0, 300)}`,
    ).toBe(state.baseline);
}

describe("every JSON write route, from its own schema", () => {
  for (const route of routes) {
    const factory = targets[route.key];
    if (!factory) continue;
    it(`${route.key}`, async () => {
      const target = factory(fx);
      const state = { baseline: await storedCount() };
      if (target.body === "json" && route.json) {
        const schema = await jsonSchemaOf(route.json);
        const hints = target.hints ?? {};
        const kinds: [string, fc.Arbitrary<unknown>, number][] = [
          ["valid", validFrom(schema, hints), RUNS.valid],
          ["almost-valid", almostValidFrom(schema, hints), RUNS.almost],
          ["hostile", hostileFrom(schema, hints), RUNS.hostile],
        ];
        for (const [kind, arbitrary, numRuns] of kinds) {
          await fc.assert(
            fc.asyncProperty(arbitrary, (body) => exercise(route, target, kind, body, state)),
            { numRuns },
          );
        }
      } else if (target.body === "none") {
        // No body expected: whatever comes is ignored or refused, never a crash.
        await fc.assert(
          fc.asyncProperty(fc.option(hostileValue, { nil: undefined }), (body) =>
            exercise(route, target, "no-body", body, state),
          ),
          { numRuns: RUNS.none },
        );
      } else {
        await fc.assert(
          fc.asyncProperty(csvBody, async (csv) => {
            counted(route.key, "csv");
            const response = await call(route.method, target.path, {
              token: tokenOf(target.who),
              csv,
            });
            await expectWellFormed(response, csv);
            const now = await storedCount();
            if (response.ok) state.baseline = now;
            else expect(now).toBe(state.baseline);
          }),
          { numRuns: RUNS.csv },
        );
      }
    });
  }
});

const csvHeaders = [
  "name,certificate_level,skills,home_county_code,organisation,weekly_capacity",
  "姓名,证书等级,技能,所在县区代码,所属机构,每周可服务场次",
  "name,organisation,skills,county_code,size,leader_name",
  "队伍名称,所属组织,技能,所在县区代码,人数,队长",
  "",
  "\ufeffname",
  "a,a,a,a",
];
const csvCell = fc.oneof(
  fc.constantFrom(
    ...nastyTexts,
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1)",
    '"unterminated',
    '""',
    "a\nb",
    COUNTY,
    "senior",
    "3",
  ),
  fc.string({ maxLength: 20 }),
);
const csvBody = fc
  .tuple(
    fc.constantFrom(...csvHeaders),
    fc.array(fc.array(csvCell, { minLength: 1, maxLength: 8 }), { maxLength: 6 }),
    fc.constantFrom("\n", "\r\n", "\r"),
  )
  .map(([header, rows, eol]) => [header, ...rows.map((row) => row.join(","))].join(eol));

describe("hostile path parameters", () => {
  it("answers every write route with a bad id, token or month in the error shape", async () => {
    const withParams = routes.filter((r) => r.params && targets[r.key]);
    const state = { baseline: await storedCount() };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withParams.map((r) => r.key)),
        hostileSegment,
        fc.option(hostileValue, { nil: undefined }),
        async (key, segment, body) => {
          const route = withParams.find((r) => r.key === key) as WriteRoute;
          counted(route.key, "path");
          const target = targets[route.key]?.(fx) as Target;
          // Replace the first parameter of the route's own path with the hostile segment.
          const parts = route.path.split("/");
          const concrete = target.path.split("/");
          const index = parts.findIndex((p) => p.startsWith(":"));
          concrete[index] = segment;
          const response = await call(route.method, concrete.join("/"), {
            token: tokenOf(target.who),
            json: body,
          });
          await expectWellFormed(response, body === undefined ? "" : JSON.stringify(body));
          const now = await storedCount();
          if (response.ok) state.baseline = now;
          else expect(now).toBe(state.baseline);
        },
      ),
      { numRuns: RUNS.path },
    );
  });
});

describe("limits on the body", () => {
  it("answers 413 for a body over 2 MB on every write route", async () => {
    const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024 + 10) });
    for (const route of routes) {
      const target = targets[route.key]?.(fx) as Target;
      counted(route.key, "413");
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      const token = tokenOf(target.who);
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetchWorker(`http://shuangyi.test${target.path}`, {
        method: route.method,
        headers,
        body: big,
      });
      expect(response.status, route.key).toBe(413);
      const error = await expectWellFormed(response, "");
      expect(error?.code).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  it("answers 413 for an oversized body sent without a length (chunked)", async () => {
    const chunk = new TextEncoder().encode(`"${"y".repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 3 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    counted("POST /api/v1/events/:id/signups", "413");
    const response = await fetchWorker(
      `http://shuangyi.test/api/v1/events/${fx.futureEventId}/signups`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: stream },
    );
    expect(response.status).toBe(413);
    await expectWellFormed(response, "");
  });

  it("answers 415 for a body that is not JSON (nor CSV for imports) on every write route", async () => {
    const wrongTypes = [
      "text/plain",
      "application/xml",
      "text/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/vnd.api+json",
      "application/json-patch+json",
      "text/html",
      "",
    ];
    const state = { baseline: await storedCount() };
    for (const route of routes) {
      if (route.method === "DELETE") continue; // no body is read or checked on a DELETE
      const target = targets[route.key]?.(fx) as Target;
      for (const contentType of wrongTypes) {
        counted(route.key, "415");
        const headers: Record<string, string> = {};
        if (contentType) headers["Content-Type"] = contentType;
        const token = tokenOf(target.who);
        if (token) headers.Authorization = `Bearer ${token}`;
        const response = await fetchWorker(`http://shuangyi.test${target.path}`, {
          method: route.method,
          headers,
          // A Blob without a type, so that "" really sends no Content-Type.
          body: new Blob(['<?xml version="1.0"?><a>1</a>']),
        });
        expect(response.status, `${route.key} with ${contentType || "no type"}`).toBe(415);
        const error = await expectWellFormed(response, "");
        expect(error?.code).toBe("UNSUPPORTED_MEDIA_TYPE");
      }
    }
    expect(await storedCount()).toBe(state.baseline);
  });

  it("answers 415 for CSV sent to a route that only takes JSON", async () => {
    const state = { baseline: await storedCount() };
    const failures: string[] = [];
    for (const route of routes) {
      const target = targets[route.key]?.(fx) as Target;
      if (target.body !== "json") continue;
      counted(route.key, "415");
      const response = await call(route.method, target.path, {
        token: tokenOf(target.who),
        csv: "reason\nfrom a spreadsheet\n",
      });
      await expectWellFormed(response, "");
      if (response.status !== 415) failures.push(`${route.key} → ${response.status}`);
    }
    const stored = await storedCount();
    expect({ failures, storedDelta: stored - state.baseline }).toEqual({
      failures: [],
      storedDelta: 0,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The pages: what was typed is always shown escaped
// ---------------------------------------------------------------------------------------------

const markupTexts = nastyTexts.filter((s) => s.includes("<"));
const hostileName = fc.oneof(
  fc.constantFrom(...nastyTexts),
  fc.constantFrom(...markupTexts).map((s) => `李${s}`),
  fc
    .tuple(fc.constantFrom(...markupTexts), fc.string({ maxLength: 20 }))
    .map(([a, b]) => `${b}${a}`),
  fc.constantFrom("x".repeat(2000), `${SCRIPT}`.repeat(40)),
);

/** The raw markup of any sent text must not be on the page (only its escaped form). */
function expectEscaped(html: string, sent: string[]) {
  expect(html.toLowerCase()).not.toContain("<script");
  for (const text of sent) {
    for (const raw of ["<script", "<img src=x", "</textarea><script"]) {
      if (text.includes(raw)) expect(html).not.toContain(raw);
    }
  }
  expect(html).not.toMatch(LEAKS);
}

async function signupsOf(eventId: string): Promise<number> {
  return withDb(async (db) => {
    const result = await db.execute<{ n: string }>(
      sql`select count(*) as n from ${signups} where ${signups.eventId} = ${eventId}`,
    );
    return Number(result.rows[0]?.n ?? 0);
  });
}

describe("the pages escape what was typed", () => {
  it("public sign-up form: hostile names and numbers", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileName,
        fc.oneof(fc.constant(undefined), fc.constantFrom(...nastyTexts), fc.constant("12345")),
        fc.constantFrom<string | null>("yes", null, "no", SCRIPT),
        fc.array(fc.constantFrom("first_aid", SCRIPT, "counselling"), { maxLength: 3 }),
        async (name, badMobile, consent, skills) => {
          counted("POST /events/:id/signup", "page");
          const before = await signupsOf(fx.futureEventId);
          const fields = signupFields({
            name,
            mobile: badMobile ?? freshMobile(),
            consent,
            skills,
          });
          const response = await submitSignup(fx.futureEventId, fields);
          let html = await response.text();
          expect(response.status, html.slice(0, 300)).toBeLessThan(500);
          // A stored sign-up answers 303 to its private page, which shows the name.
          const location = response.headers.get("Location");
          if (response.status === 303 && location) {
            const url = new URL(location);
            html = await (await getPage(`${url.pathname}${url.search}`)).text();
          }
          expectEscaped(html, [name, badMobile ?? "", consent ?? "", ...skills]);
          if (response.status >= 400) expect(await signupsOf(fx.futureEventId)).toBe(before);
        },
      ),
      { numRuns: RUNS.page },
    );
  });

  it("finding one's sign-ups: hostile numbers and codes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileName, fc.constantFrom("", "1381234567", "+86 138 0000 0000")),
        fc.oneof(fc.constantFrom(...nastyTexts), fc.constantFrom("", "12345", "１２３４５６")),
        async (mobile, code) => {
          counted("POST /find", "page");
          const asked = await postForm("/find", [["mobile", mobile]]);
          const html = await asked.text();
          expect(asked.status, html.slice(0, 300)).toBeLessThan(500);
          expectEscaped(html, [mobile]);
          counted("POST /find/:token", "page");
          const location = asked.headers.get("Location") ?? "";
          const flow = /^\/find\/[A-Za-z0-9_-]+$/.exec(location)?.[0];
          const tried = await postForm(flow ?? `/find/${"A".repeat(32)}`, [["code", code]]);
          const page = await tried.text();
          expect(tried.status, page.slice(0, 300)).toBeLessThan(500);
          expectEscaped(page, [code]);
        },
      ),
      { numRuns: RUNS.page },
    );
  });

  it("staff need form: hostile notes and fields, on the form and on the need page", async () => {
    const day = futureDay();
    await fc.assert(
      fc.asyncProperty(
        hostileName,
        fc.option(
          fc.constantFrom("expectedPeople", "durationMinutes", "serviceType", "windowDate"),
          {
            nil: undefined,
          },
        ),
        fc.constantFrom(...nastyTexts),
        async (notes, broken, junk) => {
          counted("POST /staff/needs/new", "page");
          const overrides: Record<string, string> = { notes };
          if (broken) overrides[broken] = junk;
          const response = await postForm("/staff/needs/new", needFormFields(day, overrides), {
            cookie: fx.coordinatorCookie,
          });
          const sent = [notes, junk];
          if (response.status === 303) {
            const location = response.headers.get("Location") ?? "";
            const page = await getPage(location, { cookie: fx.coordinatorCookie });
            expect(page.status).toBe(200);
            expectEscaped(await page.text(), sent);
          } else {
            const html = await response.text();
            expect(response.status, html.slice(0, 300)).toBeLessThan(500);
            expectEscaped(html, sent);
          }
        },
      ),
      { numRuns: RUNS.page },
    );
  });

  it("staff outcome form: hostile remarks and numbers, on the form and the saved page", async () => {
    const path = `/staff/events/${fx.pastEventId}/outcome`;
    await fc.assert(
      fc.asyncProperty(
        hostileName,
        fc.oneof(
          fc.integer({ min: 0, max: 500 }).map(String),
          fc.constantFrom(...nastyTexts, "-1", "1e308", "2.5"),
        ),
        fc.constantFrom("", "2", "2.5", "2.25", "-0", "1e308", SCRIPT),
        async (remarks, elderly, hours) => {
          counted("POST /staff/events/:id/outcome", "page");
          const response = await postForm(
            path,
            [
              ["pt_elderly", elderly],
              ["volunteerHours", hours],
              ["volunteersAttended", "3"],
              ["remarks", remarks],
              ["reason", remarks],
            ],
            { cookie: fx.coordinatorCookie },
          );
          const sent = [remarks, elderly, hours];
          if (response.status === 303) {
            const page = await getPage(path, { cookie: fx.coordinatorCookie });
            expect(page.status).toBe(200);
            expectEscaped(await page.text(), sent);
          } else {
            const html = await response.text();
            expect(response.status, html.slice(0, 300)).toBeLessThan(500);
            expectEscaped(html, sent);
          }
        },
      ),
      { numRuns: RUNS.page },
    );
  });

  it("staff event page forms: hostile details on the form, the staff page and the public page", async () => {
    const path = `/staff/events/${fx.futureEventId}`;
    await fc.assert(
      fc.asyncProperty(
        hostileName,
        hostileName,
        fc.constantFrom(...nastyTexts),
        fc.constantFrom("details", "settings", "reschedule", "cancel"),
        async (description, meetingPoint, junk, form) => {
          counted(`POST /staff/events/:id/${form}`, "page");
          const fields: [string, string][] =
            form === "details"
              ? [
                  ["title", junk],
                  ["description", description],
                  ["meetingPoint", meetingPoint],
                  ["contact", junk],
                ]
              : [
                  ["capacity", junk],
                  ["closesDate", junk],
                  ["date", junk],
                  ["start", "09:00"],
                  ["end", "10:00"],
                  ["reason", form === "cancel" ? "" : description],
                ];
          const response = await postForm(`${path}/${form}`, fields, {
            cookie: fx.coordinatorCookie,
          });
          const sent = [description, meetingPoint, junk];
          const pages =
            response.status === 303
              ? [
                  await getPage(path, { cookie: fx.coordinatorCookie }),
                  await getPage(`/events/${fx.futureEventId}`),
                ]
              : [response];
          for (const page of pages) {
            const html = await page.text();
            expect(page.status, html.slice(0, 300)).toBeLessThan(500);
            expectEscaped(html, sent);
          }
        },
      ),
      { numRuns: RUNS.page },
    );
  });

  it("staff check-in form: hostile codes are shown back escaped", async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, async (code) => {
        counted("POST /staff/events/:id/checkin", "page");
        const response = await postForm(
          `/staff/events/${fx.futureEventId}/checkin`,
          [["code", code]],
          {
            cookie: fx.coordinatorCookie,
          },
        );
        const html = await response.text();
        expect(response.status, html.slice(0, 300)).toBeLessThan(500);
        expectEscaped(html, [code]);
      }),
      { numRuns: RUNS.page },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// What the fuzz found: the minimal cases, kept as plain tests (they fail until src is fixed)
// ---------------------------------------------------------------------------------------------

describe("findings of the fuzz, minimal cases", () => {
  it("a NUL character in free text is a 400, not a 500 (Postgres refuses \\u0000 in text)", async () => {
    // Found by seed -1256780242: {"name":"\u0000","kind":"university"}.
    const before = await storedCount();
    const response = await call("POST", "/api/v1/organisations", {
      token: fx.admin.token,
      json: { name: "王\u0000五", kind: "university" },
    });
    expect(response.status).toBe(400);
    await expectWellFormed(response, "");
    expect(await storedCount()).toBe(before);
  });

  it("a NUL character in the public sign-up form is refused, not a 500 page", async () => {
    const response = await submitSignup(fx.futureEventId, signupFields({ name: "王\u0000五" }));
    expect(response.status).toBeLessThan(500);
  });

  it("a lone surrogate in text that goes into jsonb (audit, notes) is a 400, not a 500", async () => {
    // Found: POST /events/:id/cancel {"reason":"lone \ud800 high"}; PUT outcome notes[].text.
    const response = await call("POST", `/api/v1/accounts/${fx.spareAdmin.accountId}/tokens`, {
      token: fx.admin.token,
      json: { label: "lone \ud800 high" },
    });
    expect(response.status).toBe(400);
    await expectWellFormed(response, "");
  });

  it("a month in year 0000 is a 400, not a 500 (Postgres has no year 0)", async () => {
    // Found: POST /period-locks {"region":"210423","month":"0000-01"}.
    const response = await call("POST", "/api/v1/period-locks", {
      token: fx.department.token,
      json: { region: COUNTY, month: "0000-01" },
    });
    expect(response.status).toBe(400);
    await expectWellFormed(response, "");
  });

  it("validation messages do not echo the value that was sent", async () => {
    // valibot's default messages end in `but received "<the input>"`.
    const response = await call("PATCH", `/api/v1/events/${fx.futureEventId}`, {
      token: fx.coordinator.token,
      json: { title: 42, capacity: SCRIPT, signupClosesAt: "13800138000" },
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain("<script");
    expect(text).not.toContain("13800138000");
  });

  it("a CSV body to a JSON-only route is a 415, not read as {} and acted on", async () => {
    // Found: POST /calendar-feeds, /accounts/:id/tokens (201) and /matching/runs/:id/accept (200)
    // all succeeded with a text/csv body, which hono's json validator reads as `{}`.
    const before = await storedCount();
    const response = await call("POST", `/api/v1/accounts/${fx.spareAdmin.accountId}/tokens`, {
      token: fx.admin.token,
      csv: "label\nfrom a spreadsheet\n",
    });
    expect(response.status).toBe(415);
    expect(await storedCount()).toBe(before);
  });
});
