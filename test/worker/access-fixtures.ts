/**
 * Fixtures for test/worker/access-control.test.ts: the same small world in three places, so
 * every route can be asked about an object inside and outside each caller's scope.
 *
 * - A1: community a1 in 沈河区 (210103), inside city A (沈阳 210100) and county A1
 * - A2: community a2 in 大东区 (210104), inside city A but outside county A1
 * - B:  community b1 in 大连 中山区 (210202), outside both
 *
 * Each place has a social worker, a volunteer team, a directory volunteer, an open and a withdrawn
 * need, a future event with one checked-in sign-up, a past event with a signed-off outcome, an empty
 * matching run and a closed month. Built once; nothing here is shared with other test files.
 */
import { eq } from "drizzle-orm";
import { accounts, calendarFeeds, stations } from "../../src/db/schema";
import { randomToken, sha256Hex } from "../../src/lib/personal-data";
import { submitRequest } from "../../src/requests/service";
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
  places,
  unique,
} from "./factories";
import { asCaller, call, onItsDay, withDb } from "./helpers";
import { makeStaffLogin, signIn } from "./web-helpers";

export type Role =
  | "anonymous"
  | "admin"
  | "deptCity"
  | "deptCounty"
  | "coordA1"
  | "sw1"
  | "revoked";

/** Every caller the table asks about, in the order the report lists them. */
export const ROLES: Role[] = [
  "anonymous",
  "admin",
  "deptCity",
  "deptCounty",
  "coordA1",
  "sw1",
  "revoked",
];

/** The signed-in roles (a revoked token and no token are the other two). */
export const STAFF: Role[] = ["admin", "deptCity", "deptCounty", "coordA1", "sw1"];

export type Loc = "A1" | "A2" | "B";
export const LOCS: Loc[] = ["A1", "A2", "B"];

export const COUNTY: Record<Loc, string> = {
  A1: places.shenhe,
  A2: places.dadong,
  B: places.zhongshan,
};

/** Period of the empty matching runs: later than any day factories.futureDay() hands out. */
export const EMPTY_RUN_PERIOD = {
  from: "2099-06-01T00:00:00+08:00",
  to: "2099-06-02T00:00:00+08:00",
};
/** The month closed for each community in the fixtures (reopened by the reopen route's cases). */
export const LOCKED_MONTH = "2020-06";

interface Community {
  id: string;
  regionCode: string;
  name: string;
}
interface Named {
  id: string;
  name: string;
}
export interface Volunteer extends Named {
  mobile: string;
  masked: string;
}
export interface Signup extends Named {
  mobile: string;
  masked: string;
  code: string;
  token: string;
}
export interface Place {
  community: Community;
  worker: Named;
  team: Named;
  volunteer: Volunteer;
  needOpen: { id: string; windowStart: string };
  needWithdrawn: { id: string; windowStart: string };
  eventFuture: { id: string; title: string; startsAt: Date };
  eventPast: { id: string; title: string };
  signup: Signup;
  emptyRun: string;
  /** 问需: a request waiting at the community's desk, one answered, and a station. */
  requestOpen: { id: string; token: string; code: string };
  requestAnswered: { id: string; token: string; code: string };
  station: { id: string; name: string };
}

export interface Fixtures {
  places: Record<Loc, Place>;
  tokens: Record<Role, string | undefined>;
  cookies: Record<Role, string | undefined>;
  accountIds: Record<Role, string | undefined>;
  organisation: Named;
  cityRun: string;
  /** Calendar feeds to revoke: per deleting role, one per place. */
  feeds: { admin: Record<Loc, string>; sw1: Record<Loc, string> };
  /** A feed of a social worker no case touches, for GET /calendar/:file. */
  calendarToken: string;
  disposable: {
    community: string;
    organisation: string;
    socialWorker: string;
    team: string;
    volunteer: string;
    account: string;
    token: string;
  };
  needDay: string;
}

let mobileCounter = 0;
/** A fresh mainland mobile number, unlikely to be used by another test file. */
export function freshMobile(): string {
  mobileCounter += 1;
  const tail = `${Math.floor(Math.random() * 1e6)}`.padStart(6, "0");
  return `139${String(mobileCounter % 100).padStart(2, "0")}${tail}`;
}

export const mask = (mobile: string) => `${mobile.slice(0, 3)}****${mobile.slice(7)}`;

async function ok<T>(response: Response, status: number, what: string): Promise<T> {
  if (response.status !== status) {
    throw new Error(`fixture ${what}: ${response.status} ${await response.text()}`);
  }
  return (status === 204 ? undefined : await response.json()) as T;
}

function pastDay(): string {
  // 2021-01-01 .. 2022-12-31: old enough to record outcomes, clear of the closed 2020 months.
  const offset = Math.floor(Math.random() * 729);
  return new Date(Date.UTC(2021, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

function dayIn2098(): string {
  const offset = Math.floor(Math.random() * 360);
  return new Date(Date.UTC(2098, 0, 2) + offset * 86_400_000).toISOString().slice(0, 10);
}

async function feedFor(socialWorkerId: string): Promise<{ id: string; token: string }> {
  const token = randomToken(32);
  const tokenHash = await sha256Hex(token);
  return withDb(async (db) => {
    const [row] = await db
      .insert(calendarFeeds)
      .values({ socialWorkerId, tokenHash })
      .returning({ id: calendarFeeds.id });
    if (!row) throw new Error("no feed");
    return { id: row.id, token };
  });
}

async function buildPlace(
  loc: Loc,
  admin: Actor,
  needDay: string,
): Promise<
  Omit<Place, "signup" | "emptyRun" | "requestOpen" | "requestAnswered" | "station"> & {
    pastStart: Date;
  }
> {
  const county = COUNTY[loc];
  const community = await makeCommunity(county, { isPilot: true });
  const worker = await makeSocialWorker(county, {
    certificateLevel: "senior",
    skills: ["counselling", "elderly_care"],
  });
  const team = await makeTeam(county, { skills: ["counselling", "elderly_care"] });
  const mobile = freshMobile();
  const volunteer = await ok<{ id: string; name: string }>(
    await call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name: unique(`志愿者${loc}-`), mobile, teamId: team.id },
    }),
    201,
    `volunteer ${loc}`,
  );
  const windows = [{ start: at(`${needDay} 09:00`), end: at(`${needDay} 17:00`) }];
  const needOpen = await makeNeed(community.id, { windows });
  const needWithdrawn = await makeNeed(community.id, { windows, status: "withdrawn" });
  const future = futureDay();
  const eventFuture = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    teamIds: [team.id],
    start: at(`${future} 09:00`),
    end: at(`${future} 11:00`),
  });
  const past = pastDay();
  const pastStart = at(`${past} 10:00`);
  const eventPast = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    teamIds: [team.id],
    start: pastStart,
    end: at(`${past} 12:00`),
  });
  return {
    community: { id: community.id, regionCode: community.regionCode, name: community.name },
    worker: { id: worker.id, name: worker.name },
    team: { id: team.id, name: team.name },
    volunteer: { id: volunteer.id, name: volunteer.name, mobile, masked: mask(mobile) },
    needOpen: { id: needOpen.id, windowStart: windows[0]?.start.toISOString() ?? "" },
    needWithdrawn: { id: needWithdrawn.id, windowStart: windows[0]?.start.toISOString() ?? "" },
    eventFuture: { id: eventFuture.id, title: eventFuture.title, startsAt: eventFuture.startsAt },
    eventPast: { id: eventPast.id, title: eventPast.title },
    pastStart,
  };
}

/** A request from the public form's service, at the community's desk. */
async function makeRequest(communityId: string, stationId: string, loc: Loc) {
  const made = await asCaller((caller) =>
    submitRequest(caller, {
      communityId,
      stationId,
      askerKind: "delivery_rider",
      kind: "first_aid",
      description: unique(`需求${loc}-`),
      mobile: freshMobile(),
      consent: true,
    }),
  );
  return { id: made.request.id, token: made.token, code: made.trackingCode };
}

/** Builds the whole world through the factories and the API itself. */
export async function buildFixtures(): Promise<Fixtures> {
  const admin = await makeActor({ role: "admin" });
  const needDay = dayIn2098();
  const built = {} as Record<Loc, Awaited<ReturnType<typeof buildPlace>>>;
  for (const loc of LOCS) built[loc] = await buildPlace(loc, admin, needDay);
  const a1 = built.A1;

  const deptCity = await makeActor({ role: "department", regionCode: places.shenyang });
  const deptCounty = await makeActor({ role: "department", regionCode: places.shenhe });
  const coordA1 = await makeActor({ role: "coordinator", communityId: a1.community.id });
  const leads: Record<Loc, Actor> = {
    A1: await makeActor({ role: "social_worker", socialWorkerId: a1.worker.id }),
    A2: await makeActor({ role: "social_worker", socialWorkerId: built.A2.worker.id }),
    B: await makeActor({ role: "social_worker", socialWorkerId: built.B.worker.id }),
  };
  // The revoked caller is an admin whose token was revoked through the accounts API.
  const revoked = await makeActor({ role: "admin" });
  await ok(
    await call("DELETE", `/api/v1/tokens/${revoked.tokenId}`, { token: admin.token }),
    200,
    "revoke token",
  );

  const placesOut = {} as Record<Loc, Place>;
  for (const loc of LOCS) {
    const place = built[loc];
    // A sign-up through the public API, checked in by an admin (attended: it cannot be cancelled).
    const mobile = freshMobile();
    const name = unique(`报名${loc}-`);
    const created = await ok<{
      signup: { id: string; confirmationCode: string };
      manageToken: string;
    }>(
      await call("POST", `/api/v1/events/${place.eventFuture.id}/signups`, {
        json: { name, mobile, consent: true },
      }),
      201,
      `sign-up ${loc}`,
    );
    await ok(
      await call("POST", `/api/v1/events/${place.eventFuture.id}/checkin`, {
        token: admin.token,
        json: { code: created.signup.confirmationCode },
        headers: onItsDay(place.eventFuture),
      }),
      200,
      `check-in ${loc}`,
    );
    // The past event's outcome, recorded by an admin and signed off by its lead.
    await ok(
      await call("PUT", `/api/v1/events/${place.eventPast.id}/outcome`, {
        token: admin.token,
        json: { personTimes: { elderly: 5 }, volunteersAttended: 1 },
      }),
      201,
      `outcome ${loc}`,
    );
    await ok(
      await call("POST", `/api/v1/events/${place.eventPast.id}/outcome/sign-off`, {
        token: leads[loc].token,
      }),
      200,
      `sign-off ${loc}`,
    );
    const run = await ok<{ id: string; needs: number }>(
      await call("POST", "/api/v1/matching/runs", {
        token: admin.token,
        json: { regionCode: COUNTY[loc], ...EMPTY_RUN_PERIOD },
      }),
      201,
      `empty run ${loc}`,
    );
    if (run.needs !== 0) throw new Error(`the empty run of ${loc} found ${run.needs} needs`);
    await ok(
      await call("POST", "/api/v1/period-locks", {
        token: admin.token,
        json: { region: place.community.regionCode, month: LOCKED_MONTH },
      }),
      201,
      `period lock ${loc}`,
    );
    const station = await withDb(async (db) => {
      const [row] = await db
        .insert(stations)
        .values({
          communityId: place.community.id,
          kind: "love_station",
          name: unique(`驿站${loc}-`),
        })
        .returning({ id: stations.id, name: stations.name });
      if (!row) throw new Error("no station");
      return row;
    });
    const requestOpen = await makeRequest(place.community.id, station.id, loc);
    const requestAnswered = await makeRequest(place.community.id, station.id, loc);
    await ok(
      await call("POST", `/api/v1/requests/${requestAnswered.id}/answer`, {
        token: admin.token,
        json: { reply: "已答复" },
      }),
      200,
      `answer request ${loc}`,
    );
    const { pastStart: _pastStart, ...rest } = place;
    placesOut[loc] = {
      ...rest,
      requestOpen,
      requestAnswered,
      station,
      signup: {
        id: created.signup.id,
        name,
        mobile,
        masked: mask(mobile),
        code: created.signup.confirmationCode,
        token: created.manageToken,
      },
      emptyRun: run.id,
    };
  }

  // A run over city A in the needs' period: a1's and a2's open needs are in it.
  const nextDay = new Date(Date.parse(`${needDay}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const cityRun = await ok<{ id: string }>(
    await call("POST", "/api/v1/matching/runs", {
      token: admin.token,
      json: {
        regionCode: places.shenyang,
        from: `${needDay}T00:00:00+08:00`,
        to: `${nextDay}T00:00:00+08:00`,
      },
    }),
    201,
    "city run",
  );

  const feeds = { admin: {} as Record<Loc, string>, sw1: {} as Record<Loc, string> };
  for (const loc of LOCS) {
    feeds.admin[loc] = (await feedFor(placesOut[loc].worker.id)).id;
    feeds.sw1[loc] = (await feedFor(placesOut[loc].worker.id)).id;
  }
  const calendarWorker = await makeSocialWorker(places.zhongshan);
  const calendarToken = (await feedFor(calendarWorker.id)).token;

  const organisation = await makeOrganisation("agency");
  const disposableTeam = await makeTeam(places.dadong);
  const disposableVolunteer = await ok<{ id: string }>(
    await call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name: unique("待删志愿者-"), mobile: freshMobile(), teamId: disposableTeam.id },
    }),
    201,
    "disposable volunteer",
  );
  const disposableAccount = await makeActor({ role: "department", regionCode: places.dalian });
  const disposable = {
    community: (await makeCommunity(places.dadong)).id,
    organisation: (await makeOrganisation("university")).id,
    socialWorker: (await makeSocialWorker(places.dadong)).id,
    team: disposableTeam.id,
    volunteer: disposableVolunteer.id,
    account: disposableAccount.accountId,
    token: disposableAccount.tokenId,
  };

  // Staff sessions for the pages: the same roles, signed in through the login form.
  const logins = {
    admin: await makeStaffLogin({ role: "admin" }),
    deptCity: await makeStaffLogin({ role: "department", regionCode: places.shenyang }),
    deptCounty: await makeStaffLogin({ role: "department", regionCode: places.shenhe }),
    coordA1: await makeStaffLogin({ role: "coordinator", communityId: a1.community.id }),
    sw1: await makeStaffLogin({ role: "social_worker", socialWorkerId: a1.worker.id }),
    revoked: await makeStaffLogin({ role: "admin" }),
  };
  const cookies: Record<Role, string | undefined> = {
    anonymous: undefined,
    admin: await signIn(logins.admin),
    deptCity: await signIn(logins.deptCity),
    deptCounty: await signIn(logins.deptCounty),
    coordA1: await signIn(logins.coordA1),
    sw1: await signIn(logins.sw1),
    revoked: await signIn(logins.revoked),
  };
  // The web counterpart of a revoked token: the account is deactivated after signing in.
  await withDb((db) =>
    db.update(accounts).set({ active: false }).where(eq(accounts.id, logins.revoked.accountId)),
  );

  return {
    places: placesOut,
    tokens: {
      anonymous: undefined,
      admin: admin.token,
      deptCity: deptCity.token,
      deptCounty: deptCounty.token,
      coordA1: coordA1.token,
      sw1: leads.A1.token,
      revoked: revoked.token,
    },
    cookies,
    accountIds: {
      anonymous: undefined,
      admin: admin.accountId,
      deptCity: deptCity.accountId,
      deptCounty: deptCounty.accountId,
      coordA1: coordA1.accountId,
      sw1: leads.A1.accountId,
      revoked: revoked.accountId,
    },
    organisation: { id: organisation.id, name: organisation.name },
    cityRun: cityRun.id,
    feeds,
    calendarToken,
    disposable,
    needDay,
  };
}

/** What must never reach a caller who cannot see `loc`: ids, names, codes, titles. */
export function identifiersOf(place: Place): { kind: "directory" | "owned"; value: string }[] {
  return [
    { kind: "owned", value: place.community.id },
    { kind: "owned", value: place.community.regionCode },
    { kind: "directory", value: place.worker.id },
    { kind: "directory", value: place.worker.name },
    { kind: "directory", value: place.team.id },
    { kind: "directory", value: place.team.name },
    { kind: "owned", value: place.volunteer.id },
    { kind: "owned", value: place.volunteer.name },
    { kind: "owned", value: place.needOpen.id },
    { kind: "owned", value: place.needWithdrawn.id },
    { kind: "owned", value: place.eventFuture.id },
    { kind: "owned", value: place.eventFuture.title },
    { kind: "owned", value: place.eventPast.id },
    { kind: "owned", value: place.eventPast.title },
    { kind: "owned", value: place.signup.id },
    { kind: "owned", value: place.signup.name },
    { kind: "owned", value: place.signup.code },
    { kind: "owned", value: place.emptyRun },
    { kind: "owned", value: place.requestOpen.id },
    { kind: "owned", value: place.requestOpen.code },
    { kind: "owned", value: place.requestAnswered.id },
    { kind: "owned", value: place.station.id },
    { kind: "owned", value: place.station.name },
  ];
}
