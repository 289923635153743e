import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import { socialWorkers } from "../../db/schema";
import type { AppEnv } from "../../env";
import { changeWithAudit, createWithAudit } from "../../lib/audit";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { readCsvBody } from "../csv-body";
import { prepareImport } from "../import";
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
  .post(
    "/import",
    describeRoute({
      summary: "Import social workers from CSV (all rows or none)",
      description:
        "Columns: name/姓名, certificate_level/证书等级, skills/技能 (separated by ; or 、), home_county_code/所在县区代码, organisation/所属机构 (name), weekly_capacity/每周可服务场次. Codes or Chinese labels are accepted.",
      tags,
    }),
    requireRole("admin"),
    async (c) => {
      const rows = await prepareImport(c.var.db, await readCsvBody(c), socialWorkerImport);
      const created = await createWithAudit(actorOf(c), entity.entity, (tx) =>
        tx.insert(socialWorkers).values(rows).returning(),
      );
      return c.json({ imported: created.length, ids: created.map((row) => row.id) }, 201);
    },
  )
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
      const [created] = await createWithAudit(actorOf(c), entity.entity, (tx) =>
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
      return c.json(await updateSocialWorker(actorOf(c), id, "update", changes));
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a social worker (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      c.json(
        await updateSocialWorker(actorOf(c), c.req.valid("param").id, "deactivate", {
          active: false,
        }),
      ),
  );

function updateSocialWorker(
  actor: Parameters<typeof changeWithAudit>[0],
  id: string,
  action: string,
  changes: Partial<typeof socialWorkers.$inferInsert>,
) {
  return changeWithAudit(actor, {
    ...entity,
    action,
    entityId: id,
    find: (tx) => findSocialWorker(tx, actor.principal.scope, id, { forUpdate: true }),
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
