/**
 * Access control, proven for every route (issue 6): a table generated from the app's own route
 * list. Every /api/v1 route × every role × objects inside and outside the caller's scope, with the
 * exact status, no out-of-scope identifier in any body, masked mobiles everywhere but the
 * volunteer's private link, and strict bodies (mass assignment refused). Then the staff pages
 * (cookie sessions) and the public routes the same way. If a route is added to the app and not to
 * the table (or the other way round), the first test fails.
 *
 * Places and roles: see test/worker/access-fixtures.ts.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { needs } from "../../src/db/schema";
import {
  buildFixtures,
  COUNTY,
  EMPTY_RUN_PERIOD,
  type Fixtures,
  freshMobile,
  identifiersOf,
  LOCKED_MONTH,
  LOCS,
  type Loc,
  ROLES,
  type Role,
  STAFF,
} from "./access-fixtures";
import { places } from "./factories";
import { call, withDb } from "./helpers";
import { getPage, needFormFields, postForm } from "./web-helpers";

// ---------------------------------------------------------------------------------------------
// Who sees what
// ---------------------------------------------------------------------------------------------

/** Roles that see a region-scoped object (directory rows by county) of a place. */
const regionSees = (loc: Loc): Role[] =>
  ({
    A1: ["admin", "deptCity", "deptCounty"] as Role[],
    A2: ["admin", "deptCity"] as Role[],
    B: ["admin"] as Role[],
  })[loc];
/** …a community-owned object (community, need, matching run of its county). */
const communitySees = (loc: Loc): Role[] =>
  loc === "A1" ? [...regionSees(loc), "coordA1"] : regionSees(loc);
/** …an event (or its outcome and sign-ups): also the lead social worker. */
const eventSees = (loc: Loc): Role[] =>
  loc === "A1" ? [...communitySees(loc), "sw1"] : communitySees(loc);
/** …a social worker: also themself. */
const workerSees = (loc: Loc): Role[] =>
  loc === "A1" ? [...regionSees(loc), "sw1"] : regionSees(loc);

/** The places whose identifiers must never reach a role. */
const HIDDEN_PLACES: Record<Role, Loc[]> = {
  anonymous: ["A1", "A2", "B"],
  revoked: ["A1", "A2", "B"],
  admin: [],
  deptCity: ["B"],
  deptCounty: ["A2", "B"],
  coordA1: ["A2", "B"],
  sw1: ["A2", "B"],
};

/** Fields that must never leave the server, whatever the route. */
const INTERNAL_FIELDS = [
  "mobileHash",
  "mobileCiphertext",
  "manageTokenHash",
  "tokenHash",
  "passwordHash",
];

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface Target {
  label: string;
  /** Roles for which the object is inside their scope. */
  sees: Role[];
  loc?: Loc;
}

interface Sent {
  path: string;
  json?: unknown;
  csv?: string;
}

interface CheckContext {
  f: Fixtures;
  role: Role;
  target: Target;
  status: number;
  text: string;
  visible: boolean;
}

interface ApiSpec {
  /** "public": no credentials needed (a token, even a revoked one, changes nothing). */
  allowed: Role[] | "authenticated" | "public";
  targets?: (f: Fixtures) => Target[];
  send: (f: Fixtures, target: Target, role: Role) => Sent;
  /** Status for an allowed role and a visible target. */
  ok: number | ((role: Role, target: Target) => number);
  /** Status for an allowed role and a target outside its scope (404 unless a list filter). */
  hidden?: number;
  check?: (ctx: CheckContext) => string | undefined;
  /** Matching proposes social workers and teams of any county: they are not secrets here. */
  crossDirectory?: boolean;
  /** Public reference data (regions): region codes are not secrets here. */
  reference?: boolean;
  /** The one full mobile number this response may hold (the owner's private link). */
  ownMobile?: (f: Fixtures, target: Target) => string | undefined;
}

const ALL_STAFF = STAFF;
const ADMIN: Role[] = ["admin"];
const READERS: Role[] = ["admin", "deptCity", "deptCounty"];
const COMMUNITY_STAFF: Role[] = ["admin", "coordA1"];
const ONE: Target[] = [{ label: "-", sees: ALL_STAFF }];
const RANDOM_UUID = "7d8f6a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a";

const per =
  (sees: (loc: Loc) => Role[]) =>
  (_f: Fixtures): Target[] =>
    LOCS.map((loc) => ({ label: loc, loc, sees: sees(loc) }));
const everyone = (_loc: Loc) => ALL_STAFF;
const P = (f: Fixtures, t: Target) => f.places[t.loc ?? "A1"];

/** For list routes filtered to one place: the object is listed iff the role sees it. */
function listed(idOf: (ctx: CheckContext) => string[]) {
  return (ctx: CheckContext) => {
    if (ctx.status !== 200) return undefined;
    const ids = idOf(ctx);
    const present = ids.filter((id) => ctx.text.includes(id));
    if (ctx.visible && present.length !== ids.length)
      return `expected ${ids.join(", ")} to be listed`;
    if (!ctx.visible && present.length > 0) return `listed out-of-scope ${present.join(", ")}`;
    return undefined;
  };
}

/** The masked mobile must show where a sign-up or volunteer is returned to staff. */
const showsMask = (maskOf: (ctx: CheckContext) => string) => (ctx: CheckContext) =>
  ctx.status >= 200 && ctx.status < 300 && ctx.visible && !ctx.text.includes(maskOf(ctx))
    ? `expected the masked mobile ${maskOf(ctx)}`
    : undefined;

const validNeed = (communityId: string) => ({
  communityId,
  serviceType: "counselling",
  targetGroups: ["elderly"],
  expectedPeople: 10,
  windows: [{ start: "2099-03-01T09:00:00+08:00", end: "2099-03-01T12:00:00+08:00" }],
  durationMinutes: 60,
  volunteersNeeded: 2,
});
const validOutcome = { personTimes: { elderly: 3 }, volunteersAttended: 1 };

const API: Record<string, ApiSpec> = {
  // Regions: public reference data for every signed-in role.
  "GET /api/v1/regions": {
    allowed: "authenticated",
    send: () => ({ path: "/api/v1/regions?parent=210100" }),
    ok: 200,
    reference: true,
  },
  "GET /api/v1/regions/:code": {
    allowed: "authenticated",
    targets: per(everyone),
    send: (_f, t) => ({ path: `/api/v1/regions/${COUNTY[t.loc ?? "A1"]}` }),
    ok: 200,
    reference: true,
  },

  // Communities.
  "GET /api/v1/communities": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/communities?region=${P(f, t).community.regionCode}` }),
    ok: 200,
    hidden: 200,
    check: listed(({ f, target }) => [P(f, target).community.id]),
  },
  "GET /api/v1/communities/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/communities/${P(f, t).community.id}` }),
    ok: 200,
  },
  "POST /api/v1/communities": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/communities", json: {} }),
    ok: 400,
  },
  "PATCH /api/v1/communities/:id": {
    allowed: ADMIN,
    targets: per(communitySees),
    send: (f, t) => ({
      path: `/api/v1/communities/${P(f, t).community.id}`,
      json: { isPilot: true },
    }),
    ok: 200,
  },
  "DELETE /api/v1/communities/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/communities/${f.disposable.community}` }),
    ok: 200,
  },

  // Organisations: every signed-in role reads them (no personal data, no scope).
  "GET /api/v1/organisations": {
    allowed: "authenticated",
    send: () => ({ path: "/api/v1/organisations" }),
    ok: 200,
  },
  "GET /api/v1/organisations/:id": {
    allowed: "authenticated",
    send: (f) => ({ path: `/api/v1/organisations/${f.organisation.id}` }),
    ok: 200,
  },
  "POST /api/v1/organisations": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/organisations", json: {} }),
    ok: 400,
  },
  "PATCH /api/v1/organisations/:id": {
    allowed: ADMIN,
    send: (f) => ({
      path: `/api/v1/organisations/${f.organisation.id}`,
      json: { name: f.organisation.name },
    }),
    ok: 200,
  },
  "DELETE /api/v1/organisations/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/organisations/${f.disposable.organisation}` }),
    ok: 200,
  },

  // Social workers.
  "GET /api/v1/social-workers": {
    allowed: ["admin", "deptCity", "deptCounty", "sw1"],
    targets: per(workerSees),
    send: (_f, t) => ({ path: `/api/v1/social-workers?region=${COUNTY[t.loc ?? "A1"]}&limit=500` }),
    ok: 200,
    hidden: 200,
  },
  // Imports: admins anywhere, departments within their region (rows outside it are refused).
  "POST /api/v1/social-workers/import": {
    allowed: READERS,
    send: () => ({ path: "/api/v1/social-workers/import", csv: "" }),
    ok: 400,
  },
  "GET /api/v1/social-workers/import/template": {
    allowed: READERS,
    send: () => ({ path: "/api/v1/social-workers/import/template" }),
    ok: 200,
  },
  "GET /api/v1/social-workers/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "sw1"],
    targets: per(workerSees),
    send: (f, t) => ({ path: `/api/v1/social-workers/${P(f, t).worker.id}` }),
    ok: 200,
  },
  "POST /api/v1/social-workers": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/social-workers", json: {} }),
    ok: 400,
  },
  "PATCH /api/v1/social-workers/:id": {
    allowed: ADMIN,
    targets: per(workerSees),
    send: (f, t) => ({
      path: `/api/v1/social-workers/${P(f, t).worker.id}`,
      json: { name: P(f, t).worker.name },
    }),
    ok: 200,
  },
  "DELETE /api/v1/social-workers/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/social-workers/${f.disposable.socialWorker}` }),
    ok: 200,
  },

  // Volunteer teams.
  "GET /api/v1/volunteer-teams": {
    allowed: READERS,
    targets: per(regionSees),
    send: (_f, t) => ({
      path: `/api/v1/volunteer-teams?region=${COUNTY[t.loc ?? "A1"]}&limit=500`,
    }),
    ok: 200,
    hidden: 200,
  },
  // Imports: admins anywhere, departments within their region (rows outside it are refused).
  "POST /api/v1/volunteer-teams/import": {
    allowed: READERS,
    send: () => ({ path: "/api/v1/volunteer-teams/import", csv: "" }),
    ok: 400,
  },
  "GET /api/v1/volunteer-teams/import/template": {
    allowed: READERS,
    send: () => ({ path: "/api/v1/volunteer-teams/import/template" }),
    ok: 200,
  },
  "GET /api/v1/volunteer-teams/:id": {
    allowed: READERS,
    targets: per(regionSees),
    send: (f, t) => ({ path: `/api/v1/volunteer-teams/${P(f, t).team.id}` }),
    ok: 200,
  },
  "POST /api/v1/volunteer-teams": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/volunteer-teams", json: {} }),
    ok: 400,
  },
  "PATCH /api/v1/volunteer-teams/:id": {
    allowed: ADMIN,
    targets: per(regionSees),
    send: (f, t) => ({
      path: `/api/v1/volunteer-teams/${P(f, t).team.id}`,
      json: { name: P(f, t).team.name },
    }),
    ok: 200,
  },
  "DELETE /api/v1/volunteer-teams/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/volunteer-teams/${f.disposable.team}` }),
    ok: 200,
  },

  // Volunteers (personal data): masked mobiles only.
  "GET /api/v1/volunteers": {
    allowed: READERS,
    targets: per(regionSees),
    send: (f, t) => ({ path: `/api/v1/volunteers?teamId=${P(f, t).team.id}` }),
    ok: 200,
    hidden: 200,
    check: (ctx) =>
      listed(({ f, target }) => [P(f, target).volunteer.id])(ctx) ??
      showsMask(({ f, target }) => P(f, target).volunteer.masked)(ctx),
  },
  "POST /api/v1/volunteers/lookup": {
    allowed: READERS,
    targets: per(regionSees),
    send: (f, t) => ({
      path: "/api/v1/volunteers/lookup",
      json: { mobile: P(f, t).volunteer.mobile },
    }),
    ok: 200,
    hidden: 200,
    check: (ctx) =>
      listed(({ f, target }) => [P(f, target).volunteer.id])(ctx) ??
      showsMask(({ f, target }) => P(f, target).volunteer.masked)(ctx),
  },
  "GET /api/v1/volunteers/:id": {
    allowed: READERS,
    targets: per(regionSees),
    send: (f, t) => ({ path: `/api/v1/volunteers/${P(f, t).volunteer.id}` }),
    ok: 200,
    check: showsMask(({ f, target }) => P(f, target).volunteer.masked),
  },
  "POST /api/v1/volunteers": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/volunteers", json: {} }),
    ok: 400,
  },
  "PATCH /api/v1/volunteers/:id": {
    allowed: ADMIN,
    targets: per(regionSees),
    send: (f, t) => ({
      path: `/api/v1/volunteers/${P(f, t).volunteer.id}`,
      json: { name: P(f, t).volunteer.name },
    }),
    ok: 200,
    check: showsMask(({ f, target }) => P(f, target).volunteer.masked),
  },
  "DELETE /api/v1/volunteers/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/volunteers/${f.disposable.volunteer}` }),
    ok: 200,
  },

  // Needs.
  "GET /api/v1/needs": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/needs?communityId=${P(f, t).community.id}` }),
    ok: 200,
    hidden: 200,
    check: listed(({ f, target }) => [P(f, target).needOpen.id, P(f, target).needWithdrawn.id]),
  },
  "POST /api/v1/needs": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    // In scope: an incomplete body (400, nothing stored). Outside: a valid need for that community.
    send: (f, t, role) => ({
      path: "/api/v1/needs",
      json: communitySees(t.loc ?? "A1").includes(role)
        ? { communityId: P(f, t).community.id }
        : validNeed(P(f, t).community.id),
    }),
    ok: 400,
  },
  "GET /api/v1/needs/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/needs/${P(f, t).needOpen.id}` }),
    ok: 200,
  },
  "PATCH /api/v1/needs/:id": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    // A withdrawn need: in scope the change is refused as a conflict, after the scope check.
    send: (f, t) => ({ path: `/api/v1/needs/${P(f, t).needWithdrawn.id}`, json: { notes: "改" } }),
    ok: 409,
  },
  "POST /api/v1/needs/:id/withdraw": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/needs/${P(f, t).needWithdrawn.id}/withdraw` }),
    ok: 409,
  },
  "GET /api/v1/needs/:id/candidates": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/needs/${P(f, t).needOpen.id}/candidates` }),
    ok: 200,
    crossDirectory: true,
  },
  "POST /api/v1/needs/:id/accept": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => ({
      path: `/api/v1/needs/${P(f, t).needWithdrawn.id}/accept`,
      json: {
        socialWorkerId: P(f, t).worker.id,
        teamId: P(f, t).team.id,
        start: P(f, t).needWithdrawn.windowStart,
      },
    }),
    ok: 409,
    crossDirectory: true,
  },

  // Events. The past events are completed (outcome signed off): changes are 409 in scope.
  "GET /api/v1/events": {
    allowed: "authenticated",
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events?communityId=${P(f, t).community.id}` }),
    ok: 200,
    hidden: 200,
    check: listed(({ f, target }) => [P(f, target).eventFuture.id, P(f, target).eventPast.id]),
  },
  "GET /api/v1/events/:id": {
    allowed: "authenticated",
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventFuture.id}` }),
    ok: 200,
  },
  "POST /api/v1/events/:id/reschedule": {
    allowed: COMMUNITY_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventPast.id}/reschedule`,
      json: { start: "2099-01-05T10:00:00+08:00", reason: "测试" },
    }),
    ok: 409,
  },
  "PATCH /api/v1/events/:id": {
    allowed: COMMUNITY_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventPast.id}`, json: { title: "改名" } }),
    ok: 409,
  },
  "POST /api/v1/events/:id/cancel": {
    allowed: COMMUNITY_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventPast.id}/cancel`,
      json: { reason: "测试" },
    }),
    ok: 409,
  },
  "POST /api/v1/events/:id/accept": {
    allowed: ["sw1"],
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventPast.id}/accept` }),
    ok: 409,
  },
  "POST /api/v1/events/:id/decline": {
    allowed: ["sw1"],
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventPast.id}/decline`, json: {} }),
    ok: 409,
  },
  "POST /api/v1/events/:id/checkin": {
    allowed: ["admin", "coordA1", "sw1"],
    targets: per(eventSees),
    // The code of the event's own, already attended sign-up: 200 again in scope, nothing changes.
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventFuture.id}/checkin`,
      json: { code: P(f, t).signup.code },
    }),
    ok: 200,
    check: showsMask(({ f, target }) => P(f, target).signup.masked),
  },
  "GET /api/v1/events/:id/signups": {
    allowed: ["admin", "coordA1", "sw1"],
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventFuture.id}/signups` }),
    ok: 200,
    check: showsMask(({ f, target }) => P(f, target).signup.masked),
  },
  "POST /api/v1/events/:id/signups": {
    allowed: "public",
    targets: () => [
      { label: "incomplete form", sees: ALL_STAFF },
      { label: "unknown event", sees: ALL_STAFF },
      { label: "existing mobile", sees: ALL_STAFF },
    ],
    send: (f, t) => {
      const a1 = f.places.A1;
      if (t.label === "incomplete form")
        return { path: `/api/v1/events/${a1.eventFuture.id}/signups`, json: {} };
      if (t.label === "unknown event")
        return {
          path: `/api/v1/events/${RANDOM_UUID}/signups`,
          json: { name: "某人", mobile: freshMobile(), consent: true },
        };
      // Someone who knows another person's mobile number signs up with it under another name.
      return {
        path: `/api/v1/events/${a1.eventFuture.id}/signups`,
        json: { name: "冒名者", mobile: a1.signup.mobile, consent: true },
      };
    },
    ok: (_role, t) =>
      t.label === "incomplete form" ? 400 : t.label === "unknown event" ? 404 : 200,
    check: ({ f, target, text }) => {
      if (target.label !== "existing mobile") return undefined;
      // Only its status may show (as on the web form); the id alone opens nothing.
      const own = f.places.A1.signup;
      const leaked = [own.name, own.code, own.masked, own.token].filter((value) =>
        text.includes(value),
      );
      return leaked.length > 0
        ? `the existing sign-up's ${leaked.join(", ")} shown to whoever knows the mobile`
        : undefined;
    },
  },
  "GET /api/v1/events/:id/outcome": {
    allowed: "authenticated",
    targets: per(eventSees),
    send: (f, t) => ({ path: `/api/v1/events/${P(f, t).eventPast.id}/outcome` }),
    ok: 200,
  },
  "PUT /api/v1/events/:id/outcome": {
    allowed: ["admin", "coordA1", "sw1"],
    targets: per(eventSees),
    // The future event: in scope it is refused (not started yet), after the scope check.
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventFuture.id}/outcome`,
      json: validOutcome,
    }),
    ok: 409,
  },
  "POST /api/v1/events/:id/outcome/sign-off": {
    allowed: ["sw1", "admin"],
    targets: per(eventSees),
    // Already signed off: signing again is a harmless 200 (an admin signs with a reason).
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventPast.id}/outcome/sign-off`,
      json: { reason: "代为确认" },
    }),
    ok: 200,
  },
  "POST /api/v1/events/:id/outcome/adjustments": {
    allowed: ADMIN,
    targets: per(eventSees),
    // Its month is open: adjustments are only for closed months (409), so nothing is booked.
    send: (f, t) => ({
      path: `/api/v1/events/${P(f, t).eventPast.id}/outcome/adjustments`,
      json: { volunteersAttendedDelta: 1, reason: "测试" },
    }),
    ok: 409,
  },

  // Calendar feeds (revoking runs before creating: creating revokes the worker's other feeds).
  "DELETE /api/v1/calendar-feeds/:id": {
    allowed: ["admin", "sw1"],
    targets: per(workerSees),
    send: (f, t, role) => ({
      path: `/api/v1/calendar-feeds/${f.feeds[role === "sw1" ? "sw1" : "admin"][t.loc ?? "A1"]}`,
    }),
    ok: 200,
  },
  "POST /api/v1/calendar-feeds": {
    allowed: ["admin", "sw1"],
    targets: per(workerSees),
    send: (f, t) => ({
      path: "/api/v1/calendar-feeds",
      json: { socialWorkerId: P(f, t).worker.id },
    }),
    ok: 201,
  },

  // Matching.
  "POST /api/v1/matching/runs": {
    allowed: READERS,
    targets: per(regionSees),
    send: (_f, t) => ({
      path: "/api/v1/matching/runs",
      json: { regionCode: COUNTY[t.loc ?? "A1"], ...EMPTY_RUN_PERIOD },
    }),
    ok: 201,
    crossDirectory: true,
  },
  "GET /api/v1/matching/runs/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: (f) => [
      ...per(communitySees)(f),
      { label: "city A run", sees: ["admin", "deptCity", "coordA1"] },
    ],
    send: (f, t) => ({
      path: `/api/v1/matching/runs/${t.loc ? P(f, t).emptyRun : f.cityRun}`,
    }),
    ok: 200,
    crossDirectory: true,
    // The city run holds a1's and a2's needs: a department sees both, a1's coordinator only a1's.
    check: ({ f, role, target, status, text }) => {
      if (target.loc || status !== 200) return undefined;
      const a1 = text.includes(f.places.A1.needOpen.id);
      const a2 = text.includes(f.places.A2.needOpen.id);
      if (!a1) return "the city run should show a1's need";
      if (role !== "coordA1" && !a2) return "the city run should show a2's need";
      return undefined;
    },
  },
  "POST /api/v1/matching/runs/:id/accept": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    // The runs have empty plans: accepting books nothing (200, booked 0).
    send: (f, t) => ({ path: `/api/v1/matching/runs/${P(f, t).emptyRun}/accept`, json: {} }),
    ok: 200,
    crossDirectory: true,
  },

  // Tallies.
  "GET /api/v1/tallies": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/api/v1/tallies${regionQuery(f, t)}` }),
    ok: 200,
  },
  // Bulk outcome records: scoped like the tallies.
  "GET /api/v1/outcomes": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/api/v1/outcomes${regionQuery(f, t)}` }),
    ok: 200,
  },
  "GET /api/v1/outcomes/export": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/api/v1/outcomes/export${regionQuery(f, t, "year=2025")}` }),
    ok: 200,
  },
  "GET /api/v1/tallies/coverage": {
    allowed: READERS,
    targets: () => regionTargets(false),
    send: (f, t) => ({ path: `/api/v1/tallies/coverage${regionQuery(f, t)}` }),
    ok: 200,
  },
  "GET /api/v1/tallies/pilot-summary": {
    allowed: READERS,
    targets: () => regionTargets(false),
    send: (f, t) => ({ path: `/api/v1/tallies/pilot-summary${regionQuery(f, t, "year=2025")}` }),
    ok: 200,
  },

  // Closed months.
  "GET /api/v1/period-locks": {
    allowed: READERS,
    targets: () => regionTargets(false),
    send: (f, t) => ({ path: `/api/v1/period-locks${regionQuery(f, t)}` }),
    ok: 200,
  },
  "POST /api/v1/period-locks": {
    allowed: READERS,
    targets: per(regionSees),
    // Each role closes its own 2020 month of the place's community, so every case is a first (201).
    send: (f, t, role) => ({
      path: "/api/v1/period-locks",
      json: {
        region: P(f, t).community.regionCode,
        month: `2020-0${ROLES.indexOf(role) + 1}`,
      },
    }),
    ok: 201,
  },
  "POST /api/v1/period-locks/:region/:month/reopen": {
    allowed: ADMIN,
    targets: per(regionSees),
    send: (f, t) => ({
      path: `/api/v1/period-locks/${P(f, t).community.regionCode}/${LOCKED_MONTH}/reopen`,
      json: { reason: "测试" },
    }),
    ok: 204,
  },

  // Accounts and tokens: admin only.
  "GET /api/v1/accounts": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/accounts" }),
    ok: 200,
  },
  "POST /api/v1/accounts": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/accounts", json: {} }),
    ok: 400,
  },
  "POST /api/v1/accounts/:id/tokens": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/accounts/${f.disposable.account}/tokens`, json: {} }),
    ok: 201,
  },
  "GET /api/v1/accounts/:id/tokens": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/accounts/${f.disposable.account}/tokens` }),
    ok: 200,
  },
  "DELETE /api/v1/tokens/:id": {
    allowed: ADMIN,
    send: (f) => ({ path: `/api/v1/tokens/${f.disposable.token}` }),
    ok: 200,
  },

  // The audit log: admin only (its entries are masked; the body scan below checks that too).
  "GET /api/v1/audit-log": {
    allowed: ADMIN,
    send: () => ({ path: "/api/v1/audit-log?limit=200" }),
    ok: 200,
  },

  // The volunteer's private link (public; the token is the credential).
  "GET /api/v1/signups/manage/:token": {
    allowed: "public",
    targets: () => [
      { label: "own token", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
      { label: "malformed token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({ path: `/api/v1/signups/manage/${manageToken(f, t)}` }),
    ok: (_role, t) => (t.label === "own token" ? 200 : 404),
    check: ({ f, target, text }) => {
      const mobile = f.places.A1.signup.mobile;
      const masked = `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
      return target.label === "own token" && !text.includes(masked)
        ? "the owner's link should show the mobile masked"
        : undefined;
    },
  },
  "POST /api/v1/signups/manage/:token/cancel": {
    allowed: "public",
    targets: () => [
      { label: "own token (attended)", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({ path: `/api/v1/signups/manage/${manageToken(f, t)}/cancel` }),
    ok: (_role, t) => (t.label === "unknown token" ? 404 : 409),
  },

  // 问需: requests at the desks, and stations.
  "GET /api/v1/requests": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    send: () => ({ path: "/api/v1/requests?limit=500" }),
    ok: 200,
  },
  "GET /api/v1/requests/figures": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/api/v1/requests/figures${regionQuery(f, t)}` }),
    ok: 200,
  },
  "GET /api/v1/requests/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/api/v1/requests/${P(f, t).requestOpen.id}` }),
    ok: 200,
  },
  "POST /api/v1/requests/:id/accept": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => {
      const { communityId: _c, ...need } = validNeed(P(f, t).community.id);
      return { path: `/api/v1/requests/${P(f, t).requestAnswered.id}/accept`, json: need };
    },
    ok: 409,
  },
  "POST /api/v1/requests/:id/answer": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({
      path: `/api/v1/requests/${P(f, t).requestAnswered.id}/answer`,
      json: { reply: "再次答复" },
    }),
    ok: 409,
  },
  "POST /api/v1/requests/:id/forward": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    // To the desk it is already at: a conflict, and nothing moves.
    send: (f, t) => ({
      path: `/api/v1/requests/${P(f, t).requestOpen.id}/forward`,
      json: { communityId: P(f, t).community.id, reason: "同一社区" },
    }),
    ok: 409,
  },
  "GET /api/v1/stations": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    send: () => ({ path: "/api/v1/stations" }),
    ok: 200,
  },
  "POST /api/v1/stations": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => ({
      path: "/api/v1/stations",
      json: { communityId: P(f, t).community.id, kind: "drivers_home", name: "司机之家" },
    }),
    ok: 201,
  },
};

function manageToken(f: Fixtures, t: Target): string {
  if (t.label.startsWith("own token")) return f.places.A1.signup.token;
  if (t.label === "unknown token") return "x".repeat(43);
  return "not-a-token!";
}

/** Tally-like routes: the caller's own region, a1's community, and the three counties. */
function regionTargets(withCommunity: boolean): Target[] {
  return [
    { label: "own region", sees: ALL_STAFF },
    ...(withCommunity ? [{ label: "community a1", sees: communitySees("A1") }] : []),
    ...LOCS.map((loc) => ({ label: `county ${loc}`, loc, sees: regionSees(loc) })),
  ];
}

function regionQuery(f: Fixtures, t: Target, extra?: string): string {
  const region =
    t.label === "own region"
      ? undefined
      : t.label === "community a1"
        ? f.places.A1.community.regionCode
        : COUNTY[t.loc ?? "A1"];
  const params = [region ? `region=${region}` : "", extra ?? ""].filter(Boolean).join("&");
  return params ? `?${params}` : "";
}

// ---------------------------------------------------------------------------------------------
// Staff pages and public pages
// ---------------------------------------------------------------------------------------------

interface PageSpec {
  allowed: Role[] | "public";
  targets?: (f: Fixtures) => Target[];
  send: (f: Fixtures, target: Target, role: Role) => { path: string; form?: [string, string][] };
  ok: number | ((role: Role, target: Target) => number);
  check?: (ctx: CheckContext) => string | undefined;
  crossDirectory?: boolean;
  ownMobile?: (f: Fixtures, target: Target) => string | undefined;
  /** Public pages are only asked anonymously. */
  roles?: Role[];
}

const TALLY_READERS: Role[] = ["admin", "deptCity", "deptCounty", "coordA1"];
const EVENT_STAFF: Role[] = ["admin", "coordA1", "sw1"];
const IMPORTERS: Role[] = ["admin", "deptCity", "deptCounty"];

/** A page that lists sign-ups must show them masked. */
const pageShowsMask = showsMask(({ f, target }) => P(f, target).signup.masked);

/**
 * The staff lists (every need or event in reach, paged): `roles` find their own objects of A1 on
 * the first page; the leak scan proves no other community's or region's is there. (An admin's
 * first page holds whatever every test file made, so it is only scanned.)
 */
const listsOwn =
  (roles: Role[], idsOf: (f: Fixtures, target: Target) => string[]) => (ctx: CheckContext) => {
    if (ctx.status !== 200 || !roles.includes(ctx.role)) return undefined;
    const missing = idsOf(ctx.f, ctx.target).filter((id) => !ctx.text.includes(id));
    return missing.length > 0 ? `expected ${missing.join(", ")} to be listed` : undefined;
  };
/** One target per view of a list, each seen by every role the route allows. */
const views =
  (...labels: string[]) =>
  () =>
    labels.map((label) => ({ label, sees: ALL_STAFF }));

const PAGES: Record<string, PageSpec> = {
  "GET /staff/login": { allowed: "public", send: () => ({ path: "/staff/login" }), ok: 200 },
  "POST /staff/login": {
    allowed: "public",
    send: () => ({
      path: "/staff/login",
      form: [
        ["loginName", "nobody-here"],
        ["password", "wrong"],
      ],
    }),
    ok: 401,
  },
  "POST /staff/logout": {
    allowed: "public",
    send: () => ({ path: "/staff/logout", form: [] }),
    ok: 303,
  },
  "GET /staff": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1", "sw1"],
    send: () => ({ path: "/staff" }),
    // A department's work is the dashboard: it is sent there.
    ok: (role) => (role === "deptCity" || role === "deptCounty" ? 303 : 200),
  },
  "GET /staff/needs": {
    allowed: COMMUNITY_STAFF,
    targets: views("to work on", "ended", "all"),
    send: (_f, t) => ({
      path: t.label === "to work on" ? "/staff/needs" : `/staff/needs?status=${t.label}`,
    }),
    ok: 200,
    check: listsOwn(["coordA1"], (f, t) => {
      const { needOpen, needWithdrawn } = f.places.A1;
      if (t.label === "to work on") return [needOpen.id];
      return t.label === "ended" ? [needWithdrawn.id] : [needOpen.id, needWithdrawn.id];
    }),
  },
  "GET /staff/needs/new": {
    allowed: COMMUNITY_STAFF,
    send: () => ({ path: "/staff/needs/new" }),
    ok: 200,
  },
  "POST /staff/needs/new": {
    allowed: COMMUNITY_STAFF,
    send: () => ({ path: "/staff/needs/new", form: [] }),
    ok: 400,
  },
  "GET /staff/needs/:id": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => ({ path: `/staff/needs/${P(f, t).needOpen.id}` }),
    ok: 200,
    crossDirectory: true,
  },
  "POST /staff/needs/:id/accept": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    send: (f, t) => ({ path: `/staff/needs/${P(f, t).needWithdrawn.id}/accept`, form: [] }),
    ok: 400,
    crossDirectory: true,
  },
  "GET /staff/events": {
    allowed: EVENT_STAFF,
    targets: views("upcoming", "past"),
    send: (_f, t) => ({ path: t.label === "past" ? "/staff/events?when=past" : "/staff/events" }),
    ok: 200,
    check: listsOwn(["coordA1", "sw1"], (f, t) => [
      t.label === "past" ? f.places.A1.eventPast.id : f.places.A1.eventFuture.id,
    ]),
  },
  "GET /staff/events/:id/checkin": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventFuture.id}/checkin` }),
    ok: 200,
    check: pageShowsMask,
  },
  "POST /staff/events/:id/checkin": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({
      path: `/staff/events/${P(f, t).eventFuture.id}/checkin`,
      form: [["code", ""]],
    }),
    ok: 400,
    check: pageShowsMask,
  },
  "GET /staff/events/:id/outcome": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventPast.id}/outcome` }),
    ok: 200,
  },
  "POST /staff/events/:id/outcome": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventPast.id}/outcome`, form: [] }),
    ok: 400,
  },
  "POST /staff/events/:id/outcome/sign-off": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventPast.id}/outcome/sign-off`, form: [] }),
    // Only the lead signs off (already signed: back to the page); the others see a 403 there.
    ok: (role) => (role === "sw1" ? 303 : 403),
  },
  // The event page: its staff read it; changes are the community staff's (refused forms here:
  // nothing changes), answers the lead's (on the past event: 409, or a refused form).
  "GET /staff/events/:id": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventFuture.id}` }),
    ok: 200,
    check: pageShowsMask,
  },
  "GET /staff/events/:id/poster": {
    allowed: EVENT_STAFF,
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventFuture.id}/poster` }),
    ok: 200,
  },
  ...Object.fromEntries(
    (
      [
        ["details", [["title", ""]]],
        ["settings", [["capacity", "0"]]],
        ["reschedule", []],
        ["cancel", []],
      ] as [string, [string, string][]][]
    ).map(([action, form]): [string, PageSpec] => [
      `POST /staff/events/:id/${action}`,
      {
        allowed: COMMUNITY_STAFF,
        targets: per(eventSees),
        send: (f, t) => ({ path: `/staff/events/${P(f, t).eventFuture.id}/${action}`, form }),
        ok: 400,
        check: pageShowsMask,
      },
    ]),
  ),
  "POST /staff/events/:id/accept": {
    allowed: ["sw1"],
    targets: per(eventSees),
    send: (f, t) => ({ path: `/staff/events/${P(f, t).eventPast.id}/accept`, form: [] }),
    ok: 409,
  },
  "POST /staff/events/:id/decline": {
    allowed: ["sw1"],
    targets: per(eventSees),
    send: (f, t) => ({
      path: `/staff/events/${P(f, t).eventFuture.id}/decline`,
      form: [["reason", "x".repeat(501)]],
    }),
    ok: 400,
  },
  "GET /staff/needs/:id/confirm": {
    allowed: COMMUNITY_STAFF,
    targets: per(communitySees),
    // No pick in the query: the need page again, saying so.
    send: (f, t) => ({ path: `/staff/needs/${P(f, t).needOpen.id}/confirm` }),
    ok: 400,
    crossDirectory: true,
  },
  "GET /staff/calendar": { allowed: ["sw1"], send: () => ({ path: "/staff/calendar" }), ok: 200 },
  "POST /staff/calendar": {
    allowed: ["sw1"],
    send: () => ({ path: "/staff/calendar", form: [] }),
    ok: 200,
  },
  "POST /staff/calendar/revoke": {
    allowed: ["sw1"],
    send: () => ({ path: "/staff/calendar/revoke", form: [] }),
    ok: 303,
  },
  "GET /staff/tallies": {
    allowed: TALLY_READERS,
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/staff/tallies${regionQuery(f, t)}` }),
    ok: 200,
  },
  "GET /staff/imports": {
    allowed: IMPORTERS,
    send: () => ({ path: "/staff/imports" }),
    ok: 200,
  },
  "GET /staff/imports/:resource/template": {
    allowed: IMPORTERS,
    send: () => ({ path: "/staff/imports/volunteer-teams/template" }),
    ok: 200,
  },
  // No file / no previewed table: the form again with the reason (400), nothing stored.
  "POST /staff/imports/:resource/preview": {
    allowed: IMPORTERS,
    send: () => ({ path: "/staff/imports/social-workers/preview", form: [] }),
    ok: 400,
  },
  "POST /staff/imports/:resource/confirm": {
    allowed: IMPORTERS,
    send: () => ({ path: "/staff/imports/social-workers/confirm", form: [] }),
    ok: 400,
  },
  "GET /staff/periods": {
    allowed: ["admin", "deptCity", "deptCounty"],
    targets: () => regionTargets(false),
    send: (f, t) => ({ path: `/staff/periods${regionQuery(f, t)}` }),
    ok: 200,
  },
  // No region or month: the form again with the reason (400), nothing closed.
  "POST /staff/periods": {
    allowed: ["admin", "deptCity", "deptCounty"],
    send: () => ({ path: "/staff/periods", form: [] }),
    ok: 400,
  },
  "GET /staff/tallies/export": {
    allowed: TALLY_READERS,
    targets: () => regionTargets(true),
    send: (f, t) => ({ path: `/staff/tallies/export${regionQuery(f, t, "table=month")}` }),
    ok: 200,
  },
  "GET /staff/requests": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    send: () => ({ path: "/staff/requests" }),
    ok: 200,
  },
  "GET /staff/requests/posters": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    send: () => ({ path: "/staff/requests/posters" }),
    ok: 200,
  },
  "GET /staff/requests/:id": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/staff/requests/${P(f, t).requestOpen.id}` }),
    ok: 200,
  },
  // An empty reply or no destination: the page again with the reason (400), nothing changed.
  "POST /staff/requests/:id/answer": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/staff/requests/${P(f, t).requestOpen.id}/answer`, form: [] }),
    ok: 400,
  },
  "POST /staff/requests/:id/forward": {
    allowed: ["admin", "deptCity", "deptCounty", "coordA1"],
    targets: per(communitySees),
    send: (f, t) => ({ path: `/staff/requests/${P(f, t).requestOpen.id}/forward`, form: [] }),
    ok: 400,
  },

  // Public: volunteers' pages, the calendar feed, health and documentation.
  "GET /": { allowed: "public", send: () => ({ path: "/" }), ok: 200 },
  // Development only: ENVIRONMENT is "test" here, so it does not exist.
  "GET /dev/messages": { allowed: "public", send: () => ({ path: "/dev/messages" }), ok: 404 },
  "GET /find": { allowed: "public", send: () => ({ path: "/find" }), ok: 200 },
  "POST /find": {
    allowed: "public",
    send: () => ({ path: "/find", form: [["mobile", "12"]] }),
    ok: 400,
  },
  "GET /find/:token": {
    allowed: "public",
    send: () => ({ path: `/find/${"A".repeat(32)}` }),
    ok: 404,
  },
  "POST /find/:token": {
    allowed: "public",
    send: () => ({ path: `/find/${"A".repeat(32)}`, form: [["code", "123456"]] }),
    ok: 404,
  },
  "GET /healthz": { allowed: "public", send: () => ({ path: "/healthz" }), ok: 200 },
  "GET /openapi.json": { allowed: "public", send: () => ({ path: "/openapi.json" }), ok: 200 },
  "GET /docs": { allowed: "public", send: () => ({ path: "/docs" }), ok: 200 },
  "GET /events": { allowed: "public", send: () => ({ path: "/events" }), ok: 200 },
  "GET /events/:id": {
    allowed: "public",
    targets: () => publicEventTargets,
    send: (f, t) => ({ path: `/events/${publicEventId(f, t)}` }),
    ok: (_role, t) => (t.label === "event" ? 200 : 404),
  },
  "GET /events/:id/qr.svg": {
    allowed: "public",
    targets: () => publicEventTargets,
    send: (f, t) => ({ path: `/events/${publicEventId(f, t)}/qr.svg` }),
    ok: (_role, t) => (t.label === "event" ? 200 : 404),
  },
  "GET /e/:code": {
    allowed: "public",
    targets: () => publicEventTargets,
    send: (f, t) => ({ path: `/e/${publicEventId(f, t).slice(0, 8)}` }),
    ok: (_role, t) => (t.label === "event" ? 302 : 404),
  },
  "GET /events/:id/signup": {
    allowed: "public",
    send: (f) => ({ path: `/events/${f.places.A1.eventFuture.id}/signup` }),
    ok: 303,
  },
  "POST /events/:id/signup": {
    allowed: "public",
    targets: () => publicEventTargets,
    send: (f, t) => ({ path: `/events/${publicEventId(f, t)}/signup`, form: [] }),
    ok: (_role, t) => (t.label === "event" ? 400 : 404),
  },
  "GET /signups/:token": {
    allowed: "public",
    targets: () => [
      { label: "own token", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
      { label: "malformed token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({ path: `/signups/${manageToken(f, t)}` }),
    ok: (_role, t) => (t.label === "own token" ? 200 : 404),
    check: ({ f, target, text }) => {
      const mobile = f.places.A1.signup.mobile;
      const masked = `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
      return target.label === "own token" && !text.includes(masked)
        ? "the owner's link should show the mobile masked"
        : undefined;
    },
  },
  "GET /signups/:token/event.ics": {
    allowed: "public",
    targets: () => [
      { label: "own token", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({ path: `/signups/${manageToken(f, t)}/event.ics` }),
    ok: (_role, t) => (t.label === "own token" ? 200 : 404),
  },
  "GET /signups/:token/cancel": {
    allowed: "public",
    send: (f) => ({ path: `/signups/${f.places.A1.signup.token}/cancel` }),
    ok: 303,
  },
  "POST /signups/:token/cancel": {
    allowed: "public",
    targets: () => [
      { label: "own token (attended)", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({ path: `/signups/${manageToken(f, t)}/cancel`, form: [] }),
    ok: (_role, t) => (t.label === "unknown token" ? 404 : 409),
    ownMobile: (f, t) => (t.label === "unknown token" ? undefined : f.places.A1.signup.mobile),
  },
  "GET /ask": {
    allowed: "public",
    targets: () => [
      { label: "station", sees: ALL_STAFF },
      { label: "no place", sees: ALL_STAFF },
      { label: "unknown place", sees: ALL_STAFF },
    ],
    send: (f, t) => ({
      path:
        t.label === "station"
          ? `/ask?s=${f.places.B.station.id}`
          : t.label === "no place"
            ? "/ask"
            : `/ask?c=${RANDOM_UUID}`,
    }),
    ok: (_role, t) => (t.label === "unknown place" ? 404 : 200),
  },
  "POST /ask": { allowed: "public", send: () => ({ path: "/ask", form: [] }), ok: 400 },
  "GET /ask/qr.svg": {
    allowed: "public",
    targets: () => [
      { label: "community", sees: ALL_STAFF },
      { label: "unknown place", sees: ALL_STAFF },
    ],
    send: (f, t) => ({
      path: `/ask/qr.svg?c=${t.label === "community" ? f.places.B.community.id : RANDOM_UUID}`,
    }),
    ok: (_role, t) => (t.label === "community" ? 200 : 404),
  },
  "GET /requests/:token": {
    allowed: "public",
    targets: () => [
      { label: "own token", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
      { label: "malformed token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({
      path: `/requests/${
        t.label === "own token"
          ? f.places.A1.requestOpen.token
          : t.label === "unknown token"
            ? "x".repeat(43)
            : "not-a-token!"
      }`,
    }),
    ok: (_role, t) => (t.label === "own token" ? 200 : 404),
  },
  "GET /requests/:token/rating": {
    allowed: "public",
    send: (f) => ({ path: `/requests/${f.places.A1.requestOpen.token}/rating` }),
    ok: 303,
  },
  // No rating chosen: the progress page again with the reason.
  "POST /requests/:token/rating": {
    allowed: "public",
    targets: () => [
      { label: "own token", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
    ],
    send: (f, t) => ({
      path: `/requests/${t.label === "own token" ? f.places.A1.requestAnswered.token : "x".repeat(43)}/rating`,
      form: [],
    }),
    ok: (_role, t) => (t.label === "own token" ? 400 : 404),
  },
  "GET /calendar/:file": {
    allowed: "public",
    targets: () => [
      { label: "feed", sees: ALL_STAFF },
      { label: "unknown token", sees: ALL_STAFF },
      { label: "malformed", sees: ALL_STAFF },
    ],
    send: (f, t) => ({
      path: `/calendar/${
        t.label === "feed"
          ? `${f.calendarToken}.ics`
          : t.label === "unknown token"
            ? `${"A".repeat(43)}.ics`
            : "nope.txt"
      }`,
    }),
    ok: (_role, t) => (t.label === "feed" ? 200 : 404),
  },
};

const publicEventTargets: Target[] = [
  { label: "event", sees: ALL_STAFF },
  { label: "unknown id", sees: ALL_STAFF },
  { label: "not an id", sees: ALL_STAFF },
];
function publicEventId(f: Fixtures, t: Target): string {
  if (t.label === "event") return f.places.B.eventFuture.id;
  return t.label === "unknown id" ? RANDOM_UUID : "not-an-id";
}

/** `app.use()` / `.all("*")` entries: middleware and catch-alls, not routes of their own. */
const MIDDLEWARE_PATHS = new Set([
  "/",
  "/*",
  "/api/*",
  "/api/v1/*",
  "/api/v1/accounts/*",
  "/api/v1/audit-log/*",
  "/api/v1/calendar-feeds/*",
  "/api/v1/communities/*",
  "/api/v1/events/*",
  "/api/v1/matching/*",
  "/api/v1/needs/*",
  "/api/v1/outcomes/*",
  "/api/v1/organisations/*",
  "/api/v1/outcomes/*",
  "/api/v1/period-locks/*",
  "/api/v1/regions/*",
  "/api/v1/requests/*",
  "/api/v1/stations/*",
  "/api/v1/social-workers/*",
  "/api/v1/tallies/*",
  "/api/v1/tokens/*",
  "/api/v1/volunteer-teams/*",
  "/api/v1/volunteers/*",
  "/ask",
  "/ask/*",
  "/calendar/*",
  "/dev/*",
  "/e/*",
  "/events/*",
  "/find",
  "/find/*",
  "/healthz",
  "/requests/*",
  "/signups/*",
  "/staff/*",
  "/staff/calendar/*",
  "/staff/events/*",
  "/staff/needs/*",
  "/staff/requests/*",
  "/staff/periods/*",
]);

// ---------------------------------------------------------------------------------------------
// Running cases
// ---------------------------------------------------------------------------------------------

let f: Fixtures;
const counts = { api: 0, pages: 0, massAssignment: 0, other: 0 };
const rolesSeen = new Set<Role>();
const routesChecked = new Set<string>();

function secretsFor(role: Role, options: { crossDirectory?: boolean; reference?: boolean }) {
  const secrets: { label: string; value: string }[] = [];
  for (const loc of HIDDEN_PLACES[role]) {
    for (const item of identifiersOf(f.places[loc])) {
      if (options.crossDirectory && item.kind === "directory") continue;
      if (options.reference && /^\d{12}$/.test(item.value)) continue;
      secrets.push({ label: `${loc}:${item.value}`, value: item.value });
    }
  }
  return secrets;
}

function allMobiles(): string[] {
  return LOCS.flatMap((loc) => [f.places[loc].volunteer.mobile, f.places[loc].signup.mobile]);
}

/** Field-level and leak checks shared by every response. */
function scanBody(
  text: string,
  role: Role,
  options: {
    crossDirectory?: boolean;
    reference?: boolean;
    ownMobile?: string;
    leaks: boolean;
    /** What the request itself sent (an id in the URL may be echoed, e.g. in a language link). */
    sent: string;
  },
): string[] {
  const problems: string[] = [];
  if (options.leaks) {
    for (const secret of secretsFor(role, options)) {
      if (options.sent.includes(secret.value)) continue;
      if (text.includes(secret.value)) problems.push(`leaks out-of-scope ${secret.label}`);
    }
  }
  for (const mobile of allMobiles()) {
    if (mobile !== options.ownMobile && text.includes(mobile))
      problems.push(`shows the full mobile ${mobile}`);
  }
  for (const field of INTERNAL_FIELDS) {
    if (text.includes(`"${field}"`)) problems.push(`returns the internal field ${field}`);
  }
  return problems;
}

/** Runs `jobs` with a few at a time; returns the problems found, one line each. */
async function pool(jobs: (() => Promise<string[]>)[], width = 6): Promise<string[]> {
  const problems: string[] = [];
  let next = 0;
  const workers = Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job) problems.push(...(await job()));
    }
  });
  await Promise.all(workers);
  return problems;
}

function expectedApiStatus(spec: ApiSpec, role: Role, target: Target): number {
  const ok = typeof spec.ok === "number" ? spec.ok : spec.ok(role, target);
  if (spec.allowed === "public") return ok;
  if (role === "anonymous" || role === "revoked") return 401;
  const allowed = spec.allowed === "authenticated" ? ALL_STAFF : spec.allowed;
  if (!allowed.includes(role)) return 403;
  if (!target.sees.includes(role)) return spec.hidden ?? 404;
  return ok;
}

const ERROR_CODES: Record<number, string> = {
  400: "VALIDATION_FAILED",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
};

async function runApiRoute(key: string, spec: ApiSpec): Promise<string[]> {
  const [method = "GET"] = key.split(" ");
  const targets = spec.targets?.(f) ?? ONE;
  const jobs = ROLES.flatMap((role) =>
    targets.map((target) => async () => {
      const sent = spec.send(f, target, role);
      const response = await call(method, sent.path, {
        token: f.tokens[role],
        json: sent.json,
        csv: sent.csv,
      });
      const text = await response.text();
      counts.api++;
      rolesSeen.add(role);
      const expected = expectedApiStatus(spec, role, target);
      const where = `${role} × ${target.label}`;
      const problems: string[] = [];
      if (response.status !== expected) {
        problems.push(`expected ${expected}, got ${response.status}: ${text.slice(0, 160)}`);
      } else if (ERROR_CODES[expected] && !text.includes(`"code":"${ERROR_CODES[expected]}"`)) {
        problems.push(`status ${expected} without error code ${ERROR_CODES[expected]}`);
      }
      problems.push(
        ...scanBody(text, role, {
          crossDirectory: spec.crossDirectory,
          reference: spec.reference,
          ownMobile: spec.ownMobile?.(f, target),
          leaks: spec.allowed !== "public",
          sent: sent.path + JSON.stringify(sent.json ?? ""),
        }),
      );
      const visible =
        spec.allowed === "public" ||
        (target.sees.includes(role) && expected < 400) ||
        role === "admin";
      const extra = spec.check?.({ f, role, target, status: response.status, text, visible });
      if (extra) problems.push(extra);
      return problems.map((problem) => `${where}: ${problem}`);
    }),
  );
  // Cases of one route run one after another where they write; reads go a few at a time.
  return pool(jobs, method === "GET" ? 6 : 3);
}

function expectedPage(
  spec: PageSpec,
  role: Role,
  target: Target,
): { status: number; location?: RegExp } {
  const ok = typeof spec.ok === "number" ? spec.ok : spec.ok(role, target);
  if (spec.allowed === "public") return { status: ok };
  if (role === "anonymous") return { status: 303, location: /^\/staff\/login(\?|$)/ };
  if (role === "revoked") return { status: 303, location: /^\/staff\/login\?expired=1/ };
  if (!spec.allowed.includes(role)) return { status: 403 };
  if (!target.sees.includes(role)) return { status: 404 };
  return { status: ok };
}

async function runPage(key: string, spec: PageSpec): Promise<string[]> {
  const [method = "GET"] = key.split(" ");
  const targets = spec.targets?.(f) ?? ONE;
  // Public pages are for anyone: asked without a session (a session changes nothing there).
  const roles = spec.allowed === "public" ? (["anonymous"] as Role[]) : ROLES;
  const jobs = roles.flatMap((role) =>
    targets.map((target) => async () => {
      const sent = spec.send(f, target, role);
      const cookie = f.cookies[role];
      const response =
        method === "POST"
          ? await postForm(sent.path, sent.form ?? [], { cookie })
          : await getPage(sent.path, { cookie });
      const text = await response.text();
      counts.pages++;
      rolesSeen.add(role);
      const expected = expectedPage(spec, role, target);
      const where = `${role} × ${target.label}`;
      const problems: string[] = [];
      if (response.status !== expected.status) {
        problems.push(`expected ${expected.status}, got ${response.status}`);
      } else if (expected.location) {
        const location = response.headers.get("Location") ?? "";
        if (!expected.location.test(location)) problems.push(`redirected to ${location}`);
      }
      const documentation = key === "GET /openapi.json" || key === "GET /docs";
      problems.push(
        ...(documentation
          ? []
          : scanBody(text, role, {
              crossDirectory: spec.crossDirectory,
              ownMobile: spec.ownMobile?.(f, target),
              leaks: spec.allowed !== "public",
              sent: sent.path,
            })),
      );
      const visible = target.sees.includes(role) && expected.status < 400;
      const extra = spec.check?.({ f, role, target, status: response.status, text, visible });
      if (extra) problems.push(extra);
      return problems.map((problem) => `${where}: ${problem}`);
    }),
  );
  return pool(jobs, method === "GET" ? 4 : 3);
}

// ---------------------------------------------------------------------------------------------
// Mass assignment: strict bodies refuse fields the caller may not set
// ---------------------------------------------------------------------------------------------

interface MassCase {
  route: string;
  role: Role;
  path: (f: Fixtures) => string;
  body: (f: Fixtures) => Record<string, unknown>;
}

const A1 = () => f.places.A1;
const B = () => f.places.B;
/** Built when the test runs: the cases refer to the fixtures. */
const massCases = (): MassCase[] => [
  {
    route: "POST /api/v1/requests/:id/answer",
    role: "coordA1",
    path: () => `/api/v1/requests/${A1().requestOpen.id}/answer`,
    body: () => ({ reply: "好", status: "resolved" }),
  },
  {
    route: "POST /api/v1/requests/:id/forward",
    role: "coordA1",
    path: () => `/api/v1/requests/${A1().requestOpen.id}/forward`,
    body: () => ({ communityId: null, reason: "x", deskRegionCode: "210202" }),
  },
  {
    route: "POST /api/v1/requests/:id/accept",
    role: "coordA1",
    path: () => `/api/v1/requests/${A1().requestOpen.id}/accept`,
    body: () => ({ ...validNeed(B().community.id) }),
  },
  {
    route: "POST /api/v1/stations",
    role: "coordA1",
    path: () => "/api/v1/stations",
    body: () => ({ kind: "love_station", name: "x", id: A1().station.id }),
  },
  ...[
    { id: RANDOM_UUID },
    { countyCode: places.zhongshan },
    { createdAt: "2020-01-01T00:00:00Z" },
  ].map(
    (extra): MassCase => ({
      route: "PATCH /api/v1/communities/:id",
      role: "admin",
      path: () => `/api/v1/communities/${A1().community.id}`,
      body: () => ({ isPilot: true, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/communities",
    role: "admin",
    path: () => "/api/v1/communities",
    body: () => ({ regionCode: A1().community.regionCode, id: RANDOM_UUID }),
  },
  {
    route: "POST /api/v1/organisations",
    role: "admin",
    path: () => "/api/v1/organisations",
    body: () => ({ name: "机构X", kind: "agency", createdBy: RANDOM_UUID }),
  },
  {
    route: "PATCH /api/v1/organisations/:id",
    role: "admin",
    path: () => `/api/v1/organisations/${f.organisation.id}`,
    body: () => ({ name: f.organisation.name, id: RANDOM_UUID }),
  },
  {
    route: "POST /api/v1/social-workers",
    role: "admin",
    path: () => "/api/v1/social-workers",
    body: () => ({
      name: "社工X",
      certificateLevel: "junior",
      homeCountyCode: places.shenhe,
      active: false,
      id: RANDOM_UUID,
    }),
  },
  ...[{ id: RANDOM_UUID }, { accountId: RANDOM_UUID }, { role: "admin" }].map(
    (extra): MassCase => ({
      route: "PATCH /api/v1/social-workers/:id",
      role: "admin",
      path: () => `/api/v1/social-workers/${A1().worker.id}`,
      body: () => ({ name: A1().worker.name, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/volunteer-teams",
    role: "admin",
    path: () => "/api/v1/volunteer-teams",
    body: () => ({ name: "队X", countyCode: places.shenhe, id: RANDOM_UUID }),
  },
  {
    route: "PATCH /api/v1/volunteer-teams/:id",
    role: "admin",
    path: () => `/api/v1/volunteer-teams/${A1().team.id}`,
    body: () => ({ name: A1().team.name, createdAt: "2020-01-01T00:00:00Z" }),
  },
  {
    route: "POST /api/v1/volunteers",
    role: "admin",
    path: () => "/api/v1/volunteers",
    body: () => ({ name: "X", mobile: freshMobile(), mobileHash: "0".repeat(64) }),
  },
  ...[{ mobileCiphertext: "x" }, { mobileMasked: "138****0000" }, { id: RANDOM_UUID }].map(
    (extra): MassCase => ({
      route: "PATCH /api/v1/volunteers/:id",
      role: "admin",
      path: () => `/api/v1/volunteers/${A1().volunteer.id}`,
      body: () => ({ name: A1().volunteer.name, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/volunteers/lookup",
    role: "deptCounty",
    path: () => "/api/v1/volunteers/lookup",
    body: () => ({ mobile: A1().volunteer.mobile, region: "210000" }),
  },
  ...[{ status: "scheduled" }, { createdBy: RANDOM_UUID }, { id: RANDOM_UUID }].map(
    (extra): MassCase => ({
      route: "POST /api/v1/needs",
      role: "coordA1",
      path: () => "/api/v1/needs",
      body: () => ({ ...validNeed(A1().community.id), ...extra }),
    }),
  ),
  ...[{ communityId: B().community.id }, { status: "closed" }, { windowStart: "2099-01-01" }].map(
    (extra): MassCase => ({
      route: "PATCH /api/v1/needs/:id",
      role: "coordA1",
      path: () => `/api/v1/needs/${A1().needOpen.id}`,
      body: () => ({ notes: "x", ...extra }),
    }),
  ),
  ...[{ matchScore: 100 }, { needId: RANDOM_UUID }, { communityId: B().community.id }].map(
    (extra): MassCase => ({
      route: "POST /api/v1/needs/:id/accept",
      role: "coordA1",
      path: () => `/api/v1/needs/${A1().needOpen.id}/accept`,
      body: () => ({
        socialWorkerId: A1().worker.id,
        teamId: A1().team.id,
        start: A1().needOpen.windowStart,
        ...extra,
      }),
    }),
  ),
  ...[
    { status: "completed" },
    { communityId: B().community.id },
    { leadSocialWorkerId: B().worker.id },
    { startsAt: "2099-01-01T00:00:00Z" },
  ].map(
    (extra): MassCase => ({
      route: "PATCH /api/v1/events/:id",
      role: "coordA1",
      path: () => `/api/v1/events/${A1().eventFuture.id}`,
      body: () => ({ title: A1().eventFuture.title, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/events/:id/reschedule",
    role: "coordA1",
    path: () => `/api/v1/events/${A1().eventFuture.id}/reschedule`,
    body: () => ({
      start: "2099-02-01T10:00:00+08:00",
      reason: "x",
      leadSocialWorkerId: B().worker.id,
    }),
  },
  {
    route: "POST /api/v1/events/:id/cancel",
    role: "coordA1",
    path: () => `/api/v1/events/${A1().eventFuture.id}/cancel`,
    body: () => ({ reason: "x", status: "completed" }),
  },
  {
    route: "POST /api/v1/events/:id/decline",
    role: "sw1",
    path: () => `/api/v1/events/${A1().eventFuture.id}/decline`,
    body: () => ({ reason: "x", leadSocialWorkerId: B().worker.id }),
  },
  {
    route: "POST /api/v1/events/:id/checkin",
    role: "coordA1",
    path: () => `/api/v1/events/${A1().eventFuture.id}/checkin`,
    body: () => ({ code: A1().signup.code, status: "attended" }),
  },
  ...[
    { status: "signed_off" },
    { signedOffBy: RANDOM_UUID },
    { communityId: B().community.id },
  ].map(
    (extra): MassCase => ({
      route: "PUT /api/v1/events/:id/outcome",
      role: "sw1",
      path: () => `/api/v1/events/${A1().eventPast.id}/outcome`,
      body: () => ({ ...validOutcome, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/events/:id/outcome/adjustments",
    role: "admin",
    path: () => `/api/v1/events/${A1().eventPast.id}/outcome/adjustments`,
    body: () => ({ volunteersAttendedDelta: 1, reason: "x", month: "2020-01" }),
  },
  ...[{ status: "confirmed" }, { eventId: RANDOM_UUID }, { confirmationCode: "AAAAAA" }].map(
    (extra): MassCase => ({
      route: "POST /api/v1/events/:id/signups",
      role: "anonymous",
      path: () => `/api/v1/events/${A1().eventFuture.id}/signups`,
      body: () => ({ name: "X", mobile: freshMobile(), consent: true, ...extra }),
    }),
  ),
  {
    route: "POST /api/v1/calendar-feeds",
    role: "sw1",
    path: () => "/api/v1/calendar-feeds",
    body: () => ({ socialWorkerId: A1().worker.id, tokenHash: "0".repeat(64) }),
  },
  {
    route: "POST /api/v1/matching/runs",
    role: "deptCounty",
    path: () => "/api/v1/matching/runs",
    body: () => ({ regionCode: places.shenhe, ...EMPTY_RUN_PERIOD, createdBy: RANDOM_UUID }),
  },
  {
    route: "POST /api/v1/matching/runs/:id/accept",
    role: "coordA1",
    path: () => `/api/v1/matching/runs/${A1().emptyRun}/accept`,
    body: () => ({ plan: [] }),
  },
  {
    route: "POST /api/v1/period-locks",
    role: "deptCounty",
    path: () => "/api/v1/period-locks",
    body: () => ({ region: A1().community.regionCode, month: "2020-11", lockedBy: RANDOM_UUID }),
  },
  {
    route: "POST /api/v1/period-locks/:region/:month/reopen",
    role: "admin",
    path: () => `/api/v1/period-locks/${A1().community.regionCode}/2020-12/reopen`,
    body: () => ({ reason: "x", region: "210000" }),
  },
  ...[
    { role: "admin", name: "X", active: false },
    { role: "coordinator", name: "X", communityId: RANDOM_UUID, regionCode: "210000" },
    { role: "department", name: "X", regionCode: "210100", passwordHash: "x" },
    { role: "admin", name: "X", loginName: "x" },
  ].map(
    (body): MassCase => ({
      route: "POST /api/v1/accounts",
      role: "admin",
      path: () => "/api/v1/accounts",
      body: () => body,
    }),
  ),
  {
    route: "POST /api/v1/accounts/:id/tokens",
    role: "admin",
    path: () => `/api/v1/accounts/${f.disposable.account}/tokens`,
    body: () => ({ label: "x", accountId: f.accountIds.admin }),
  },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/** Every handler the app registers, as `METHOD path`, without middleware entries. */
function appRoutes(): { routes: string[]; unknownMiddleware: string[] } {
  const routes = new Set<string>();
  const unknownMiddleware = new Set<string>();
  for (const route of createApp().routes) {
    if (route.method === "ALL") {
      if (!MIDDLEWARE_PATHS.has(route.path)) unknownMiddleware.add(route.path);
      continue;
    }
    routes.add(`${route.method} ${route.path}`);
  }
  return { routes: [...routes].sort(), unknownMiddleware: [...unknownMiddleware].sort() };
}

beforeAll(async () => {
  f = await buildFixtures();
});

afterAll(() => {
  const total = counts.api + counts.pages + counts.massAssignment + counts.other;
  console.log(
    `access control: ${routesChecked.size} routes (${Object.keys(API).length} API, ` +
      `${Object.keys(PAGES).length} pages and public) × ${rolesSeen.size} roles; ` +
      `${counts.api} API route × role × object cases, ${counts.pages} page cases, ` +
      `${counts.massAssignment} mass-assignment cases, ${counts.other} other checks; ${total} in all`,
  );
});

describe("the expectation table", () => {
  it("covers exactly the routes the app registers", () => {
    const { routes, unknownMiddleware } = appRoutes();
    const table = [...Object.keys(API), ...Object.keys(PAGES)].sort();
    expect(unknownMiddleware, "ALL handlers not known as middleware").toEqual([]);
    expect(
      routes.filter((route) => !table.includes(route)),
      "routes without expectations",
    ).toEqual([]);
    expect(
      table.filter((route) => !routes.includes(route)),
      "expectations for routes that do not exist",
    ).toEqual([]);
  });
});

describe("API: every route × role × object in and out of scope", () => {
  for (const [key, spec] of Object.entries(API)) {
    it(key, async () => {
      routesChecked.add(key);
      expect(await runApiRoute(key, spec)).toEqual([]);
    });
  }
});

describe("API: mass assignment is refused (strict bodies)", () => {
  it("every write route refuses fields the caller may not set (400, nothing stored)", async () => {
    const jobs = massCases().map((c) => async () => {
      const body = c.body(f);
      const [method = "POST"] = c.route.split(" ");
      const response = await call(method, c.path(f), { token: f.tokens[c.role], json: body });
      const text = await response.text();
      counts.massAssignment++;
      const extra = Object.keys(body).join(",");
      return response.status === 400 && text.includes('"code":"VALIDATION_FAILED"')
        ? []
        : [`${c.route} as ${c.role} with {${extra}}: expected 400, got ${response.status}`];
    });
    expect(await pool(jobs, 4)).toEqual([]);
  });

  it("a coordinator's need form cannot name another community", async () => {
    const response = await postForm(
      "/staff/needs/new",
      needFormFields(f.needDay, { communityId: f.places.B.community.id }),
      { cookie: f.cookies.coordA1 },
    );
    counts.other++;
    expect(response.status).toBe(303);
    const needId = /\/staff\/needs\/([0-9a-f-]{36})$/.exec(
      response.headers.get("Location") ?? "",
    )?.[1];
    expect(needId).toBeDefined();
    const [row] = await withDb((db) =>
      db
        .select({ communityId: needs.communityId })
        .from(needs)
        .where(eq(needs.id, needId ?? "")),
    );
    expect(row?.communityId).toBe(f.places.A1.community.id);
  });
});

describe("staff pages and public routes", () => {
  for (const [key, spec] of Object.entries(PAGES)) {
    it(key, async () => {
      routesChecked.add(key);
      expect(await runPage(key, spec)).toEqual([]);
    });
  }
});
