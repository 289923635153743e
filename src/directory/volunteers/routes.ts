import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { lookupHash } from "../../lib/personal-data";
import { created, ok, Page, reply, responses } from "../../lib/responses";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { findVolunteer, listVolunteers } from "./queries";
import {
  CreateVolunteer,
  ListVolunteersQuery,
  LookupVolunteer,
  UpdateVolunteer,
  VolunteerOut,
} from "./schemas";
import { addVolunteer, changeVolunteer, deactivateVolunteer } from "./service";

const tags = ["directory"];
const VolunteerOutPage = Page(VolunteerOut);
const VolunteerList = v.object({ data: v.array(VolunteerOut) });
const entity = { entity: "volunteer", label: "volunteer" };

/**
 * 志愿者 (personal data, SPEC §6): admins write; departments read the volunteers of teams in their
 * region. The mobile number is only ever shown masked, and the audit log gets the masked shape.
 */
export const volunteerRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List volunteers",
      description: "`region` at any level includes everything below it (by the team's county).",
      tags,
      responses: responses(ok("A page of volunteers", VolunteerOutPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("query", ListVolunteersQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listVolunteers(c.var.db, c.var.principal.scope, query, undefined);
      return reply(c, VolunteerOutPage, toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/lookup",
    describeRoute({
      summary: "Find the volunteer with a mobile number",
      description:
        "Compares the keyed hash; the number travels in the body so no URL log holds it.",
      tags,
      responses: responses(ok("The volunteer with that number, if any", VolunteerList), {
        auth: true,
        roles: true,
        input: true,
        body: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("json", LookupVolunteer),
    async (c) => {
      const mobileHash = await lookupHash(c.var.personalDataKeys, c.req.valid("json").mobile);
      const query = {
        limit: 1,
        offset: 0,
        teamId: undefined,
        region: undefined,
        active: undefined,
      };
      const rows = await listVolunteers(c.var.db, c.var.principal.scope, query, mobileHash);
      c.header("Cache-Control", "no-store");
      return reply(c, VolunteerList, { data: toPage(rows, 1, 0).data });
    },
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get a volunteer",
      tags,
      responses: responses(ok("The volunteer", VolunteerOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("param", IdParam),
    async (c) => {
      const volunteer = await findVolunteer(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!volunteer) throw notFound(entity.label);
      return reply(c, VolunteerOut, volunteer);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a volunteer",
      description: "The mobile number is stored encrypted and shown masked (`138****5678`).",
      tags,
      responses: responses(created("The new volunteer", VolunteerOut), {
        auth: true,
        roles: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("json", CreateVolunteer),
    async (c) => reply(c, VolunteerOut, await addVolunteer(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a volunteer",
      tags,
      responses: responses(ok("The volunteer as it now is", VolunteerOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateVolunteer),
    async (c) =>
      reply(
        c,
        VolunteerOut,
        await changeVolunteer(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
      ),
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Deactivate a volunteer (kept for history)",
      tags,
      responses: responses(ok("The deactivated volunteer", VolunteerOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      reply(c, VolunteerOut, await deactivateVolunteer(actorOf(c), c.req.valid("param").id)),
  );
