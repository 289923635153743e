import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { lookupHash } from "../../lib/personal-data";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { findVolunteer, listVolunteers } from "./queries";
import { CreateVolunteer, ListVolunteersQuery, LookupVolunteer, UpdateVolunteer } from "./schemas";
import { addVolunteer, changeVolunteer, deactivateVolunteer } from "./service";

const tags = ["directory"];
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
    }),
    requireRole("admin", "department"),
    validate("query", ListVolunteersQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listVolunteers(c.var.db, c.var.principal.scope, query, undefined);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/lookup",
    describeRoute({
      summary: "Find the volunteer with a mobile number",
      description:
        "Compares the keyed hash; the number travels in the body so no URL log holds it.",
      tags,
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
      return c.json({ data: toPage(rows, 1, 0).data });
    },
  )
  .get(
    "/:id",
    describeRoute({ summary: "Get a volunteer", tags }),
    requireRole("admin", "department"),
    validate("param", IdParam),
    async (c) => {
      const volunteer = await findVolunteer(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!volunteer) throw notFound(entity.label);
      return c.json(volunteer);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a volunteer",
      description: "The mobile number is stored encrypted and shown masked (`138****5678`).",
      tags,
    }),
    requireRole("admin"),
    validate("json", CreateVolunteer),
    async (c) => c.json(await addVolunteer(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a volunteer", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateVolunteer),
    async (c) =>
      c.json(await changeVolunteer(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a volunteer (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) => c.json(await deactivateVolunteer(actorOf(c), c.req.valid("param").id)),
  );
