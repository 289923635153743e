import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { created, ok, Page, reply, responses } from "../../lib/responses";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { importRoutes } from "../imports/routes";
import { volunteerTeamImport } from "./import";
import { findVolunteerTeam, listVolunteerTeams } from "./queries";
import {
  CreateVolunteerTeam,
  ListVolunteerTeamsQuery,
  UpdateVolunteerTeam,
  VolunteerTeamOut,
} from "./schemas";
import { addVolunteerTeam, changeVolunteerTeam, deactivateVolunteerTeam } from "./service";

const tags = ["directory"];
const VolunteerTeamOutPage = Page(VolunteerTeamOut);
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
      responses: responses(ok("A page of volunteer teams", VolunteerTeamOutPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("query", ListVolunteerTeamsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listVolunteerTeams(c.var.db, c.var.principal.scope, query);
      return reply(c, VolunteerTeamOutPage, toPage(rows, query.limit, query.offset));
    },
  )
  .route("/import", importRoutes(volunteerTeamImport))
  .get(
    "/:id",
    describeRoute({
      summary: "Get a volunteer team",
      tags,
      responses: responses(ok("The volunteer team", VolunteerTeamOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("param", IdParam),
    async (c) => {
      const team = await findVolunteerTeam(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!team) throw notFound(entity.label);
      return reply(c, VolunteerTeamOut, team);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a volunteer team",
      tags,
      responses: responses(created("The new volunteer team", VolunteerTeamOut), {
        auth: true,
        roles: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("json", CreateVolunteerTeam),
    async (c) =>
      reply(c, VolunteerTeamOut, await addVolunteerTeam(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a volunteer team",
      tags,
      responses: responses(ok("The volunteer team as it now is", VolunteerTeamOut), {
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
    validate("json", UpdateVolunteerTeam),
    async (c) =>
      reply(
        c,
        VolunteerTeamOut,
        await changeVolunteerTeam(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
      ),
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Deactivate a volunteer team (kept for history)",
      tags,
      responses: responses(ok("The deactivated volunteer team", VolunteerTeamOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      reply(
        c,
        VolunteerTeamOut,
        await deactivateVolunteerTeam(actorOf(c), c.req.valid("param").id),
      ),
  );
