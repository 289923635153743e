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
import { findOrganisation, listOrganisations } from "./queries";
import {
  CreateOrganisation,
  ListOrganisationsQuery,
  OrganisationOut,
  UpdateOrganisation,
} from "./schemas";
import { addOrganisation, changeOrganisation, deactivateOrganisation } from "./service";

const tags = ["directory"];
const OrganisationOutPage = Page(OrganisationOut);
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
      responses: responses(ok("A page of organisations", OrganisationOutPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    validate("query", ListOrganisationsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listOrganisations(c.var.db, query);
      return reply(c, OrganisationOutPage, toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get an organisation",
      tags,
      responses: responses(ok("The organisation", OrganisationOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    validate("param", IdParam),
    async (c) => {
      const organisation = await findOrganisation(c.var.db, c.req.valid("param").id);
      if (!organisation) throw notFound(entity.label);
      return reply(c, OrganisationOut, organisation);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add an organisation",
      tags,
      responses: responses(created("The new organisation", OrganisationOut), {
        auth: true,
        roles: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("json", CreateOrganisation),
    async (c) =>
      reply(c, OrganisationOut, await addOrganisation(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change an organisation",
      tags,
      responses: responses(ok("The organisation as it now is", OrganisationOut), {
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
    validate("json", UpdateOrganisation),
    async (c) =>
      reply(
        c,
        OrganisationOut,
        await changeOrganisation(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
      ),
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Deactivate an organisation (kept for history)",
      tags,
      responses: responses(ok("The deactivated organisation", OrganisationOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      reply(c, OrganisationOut, await deactivateOrganisation(actorOf(c), c.req.valid("param").id)),
  );
