import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../../auth/middleware";
import { socialWorkers } from "../../db/schema";
import type { AppEnv } from "../../env";
import { changeWithAudit, createWithAudit } from "../../lib/audit";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { importRoutes } from "../imports/routes";
import { assertReferences } from "../references";
import { socialWorkerImport } from "./import";
import { findSocialWorker, listSocialWorkers, socialWorkerColumns } from "./queries";
import { CreateSocialWorker, ListSocialWorkersQuery, UpdateSocialWorker } from "./schemas";

const tags = ["directory"];
const entity = { entity: "social_worker", label: "social worker" };

/** 专业社工: admins write; departments read their region; a social worker reads only themself. */
export const socialWorkerRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List social workers",
      description: "`region` at any level includes everything below it.",
      tags,
    }),
    requireRole("admin", "department", "social_worker"),
    validate("query", ListSocialWorkersQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listSocialWorkers(c.var.db, c.var.principal.scope, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .route("/import", importRoutes(socialWorkerImport))
  .get(
    "/:id",
    describeRoute({ summary: "Get a social worker", tags }),
    requireRole("admin", "department", "social_worker"),
    validate("param", IdParam),
    async (c) => {
      const worker = await findSocialWorker(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!worker) throw notFound(entity.label);
      return c.json(worker);
    },
  )
  .post(
    "/",
    describeRoute({ summary: "Add a social worker", tags }),
    requireRole("admin"),
    validate("json", CreateSocialWorker),
    async (c) => {
      const input = c.req.valid("json");
      await assertReferences(c.var.db, {
        countyField: "homeCountyCode",
        countyCode: input.homeCountyCode,
        organisationId: input.organisationId,
      });
      const [created] = await createWithAudit(c, entity.entity, (tx) =>
        tx.insert(socialWorkers).values(input).returning(socialWorkerColumns),
      );
      return c.json(created, 201);
    },
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a social worker", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateSocialWorker),
    async (c) => {
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      await assertReferences(c.var.db, {
        countyField: "homeCountyCode",
        countyCode: changes.homeCountyCode,
        organisationId: changes.organisationId,
      });
      return c.json(await updateSocialWorker(c, id, "update", changes));
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a social worker (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      c.json(await updateSocialWorker(c, c.req.valid("param").id, "deactivate", { active: false })),
  );

function updateSocialWorker(
  c: Parameters<typeof changeWithAudit>[0],
  id: string,
  action: string,
  changes: Partial<typeof socialWorkers.$inferInsert>,
) {
  return changeWithAudit(c, {
    ...entity,
    action,
    entityId: id,
    find: (tx) => findSocialWorker(tx, c.var.principal.scope, id, { forUpdate: true }),
    apply: async (tx) => {
      const [after] = await tx
        .update(socialWorkers)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(socialWorkers.id, id))
        .returning(socialWorkerColumns);
      return after;
    },
  });
}
