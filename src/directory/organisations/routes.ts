import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { findOrganisation, listOrganisations } from "./queries";
import { CreateOrganisation, ListOrganisationsQuery, UpdateOrganisation } from "./schemas";
import { addOrganisation, changeOrganisation, deactivateOrganisation } from "./service";

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
    async (c) => c.json(await addOrganisation(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change an organisation", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateOrganisation),
    async (c) =>
      c.json(await changeOrganisation(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate an organisation (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) => c.json(await deactivateOrganisation(actorOf(c), c.req.valid("param").id)),
  );
