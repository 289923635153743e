import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../../auth/middleware";
import { organisations } from "../../db/schema";
import type { AppEnv } from "../../env";
import { changeWithAudit, createWithAudit } from "../../lib/audit";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import {
  assertRegionExists,
  findOrganisation,
  listOrganisations,
  organisationColumns,
} from "./queries";
import { CreateOrganisation, ListOrganisationsQuery, UpdateOrganisation } from "./schemas";

const tags = ["directory"];
const entity = { entity: "organisation", label: "organisation" };

/** 高校 / 社工机构 / 志愿服务组织: admins write; every signed-in role reads (they serve all counties). */
export const organisationRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List organisations",
      description:
        "`region` at any level includes everything below it; `q` matches part of the name.",
      tags,
    }),
    validate("query", ListOrganisationsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listOrganisations(c.var.db, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:id",
    describeRoute({ summary: "Get an organisation", tags }),
    validate("param", IdParam),
    async (c) => {
      const organisation = await findOrganisation(c.var.db, c.req.valid("param").id);
      if (!organisation) throw notFound(entity.label);
      return c.json(organisation);
    },
  )
  .post(
    "/",
    describeRoute({ summary: "Add an organisation", tags }),
    requireRole("admin"),
    validate("json", CreateOrganisation),
    async (c) => {
      const input = c.req.valid("json");
      await assertRegionExists(c.var.db, input.regionCode);
      const [created] = await createWithAudit(c, entity.entity, (tx) =>
        tx.insert(organisations).values(input).returning(organisationColumns),
      );
      return c.json(created, 201);
    },
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change an organisation", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateOrganisation),
    async (c) => {
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      await assertRegionExists(c.var.db, changes.regionCode);
      return c.json(await updateOrganisation(c, id, "update", changes));
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate an organisation (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      c.json(await updateOrganisation(c, c.req.valid("param").id, "deactivate", { active: false })),
  );

function updateOrganisation(
  c: Parameters<typeof changeWithAudit>[0],
  id: string,
  action: string,
  changes: Partial<typeof organisations.$inferInsert>,
) {
  return changeWithAudit(c, {
    ...entity,
    action,
    entityId: id,
    find: (tx) => findOrganisation(tx, id, { forUpdate: true }),
    apply: async (tx) => {
      const [after] = await tx
        .update(organisations)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(organisations.id, id))
        .returning(organisationColumns);
      return after;
    },
  });
}
