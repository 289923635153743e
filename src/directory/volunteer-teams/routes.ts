import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../../auth/middleware";
import { volunteerTeams } from "../../db/schema";
import type { AppEnv } from "../../env";
import { changeWithAudit, createWithAudit } from "../../lib/audit";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { importRoutes } from "../imports/routes";
import { assertReferences } from "../references";
import { volunteerTeamImport } from "./import";
import { findVolunteerTeam, listVolunteerTeams, volunteerTeamColumns } from "./queries";
import { CreateVolunteerTeam, ListVolunteerTeamsQuery, UpdateVolunteerTeam } from "./schemas";

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
    async (c) => {
      const input = c.req.valid("json");
      await assertReferences(c.var.db, {
        countyField: "countyCode",
        countyCode: input.countyCode,
        organisationId: input.organisationId,
      });
      const [created] = await createWithAudit(c, entity.entity, (tx) =>
        tx.insert(volunteerTeams).values(input).returning(volunteerTeamColumns),
      );
      return c.json(created, 201);
    },
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a volunteer team", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateVolunteerTeam),
    async (c) => {
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      await assertReferences(c.var.db, {
        countyField: "countyCode",
        countyCode: changes.countyCode,
        organisationId: changes.organisationId,
      });
      return c.json(await updateVolunteerTeam(c, id, "update", changes));
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a volunteer team (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      c.json(
        await updateVolunteerTeam(c, c.req.valid("param").id, "deactivate", { active: false }),
      ),
  );

function updateVolunteerTeam(
  c: Parameters<typeof changeWithAudit>[0],
  id: string,
  action: string,
  changes: Partial<typeof volunteerTeams.$inferInsert>,
) {
  return changeWithAudit(c, {
    ...entity,
    action,
    entityId: id,
    find: (tx) => findVolunteerTeam(tx, c.var.principal.scope, id, { forUpdate: true }),
    apply: async (tx) => {
      const [after] = await tx
        .update(volunteerTeams)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(volunteerTeams.id, id))
        .returning(volunteerTeamColumns);
      return after;
    },
  });
}
