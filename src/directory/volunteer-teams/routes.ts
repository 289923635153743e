import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { importRoutes } from "../imports/routes";
import { volunteerTeamImport } from "./import";
import { findVolunteerTeam, listVolunteerTeams } from "./queries";
import { CreateVolunteerTeam, ListVolunteerTeamsQuery, UpdateVolunteerTeam } from "./schemas";
import { addVolunteerTeam, changeVolunteerTeam, deactivateVolunteerTeam } from "./service";

const tags = ["directory"];
const entity = { entity: "volunteer_team", label: "volunteer team" };

/** 志愿服务队: admins write; departments read the teams based in their region. */
export const volunteerTeamRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List volunteer teams",
      description: "`region` at any level includes everything below it.",
      tags,
    }),
    requireRole("admin", "department"),
    validate("query", ListVolunteerTeamsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listVolunteerTeams(c.var.db, c.var.principal.scope, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .route("/import", importRoutes(volunteerTeamImport))
  .get(
    "/:id",
    describeRoute({ summary: "Get a volunteer team", tags }),
    requireRole("admin", "department"),
    validate("param", IdParam),
    async (c) => {
      const team = await findVolunteerTeam(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!team) throw notFound(entity.label);
      return c.json(team);
    },
  )
  .post(
    "/",
    describeRoute({ summary: "Add a volunteer team", tags }),
    requireRole("admin"),
    validate("json", CreateVolunteerTeam),
    async (c) => c.json(await addVolunteerTeam(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a volunteer team", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateVolunteerTeam),
    async (c) =>
      c.json(await changeVolunteerTeam(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a volunteer team (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) => c.json(await deactivateVolunteerTeam(actorOf(c), c.req.valid("param").id)),
  );
