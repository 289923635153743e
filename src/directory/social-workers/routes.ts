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
import { socialWorkerImport } from "./import";
import { findSocialWorker, listSocialWorkers } from "./queries";
import {
  CreateSocialWorker,
  ListSocialWorkersQuery,
  SocialWorkerOut,
  UpdateSocialWorker,
} from "./schemas";
import { addSocialWorker, changeSocialWorker, deactivateSocialWorker } from "./service";

const tags = ["directory"];
const SocialWorkerOutPage = Page(SocialWorkerOut);
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
      responses: responses(ok("A page of social workers", SocialWorkerOutPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "social_worker"),
    validate("query", ListSocialWorkersQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listSocialWorkers(c.var.db, c.var.principal.scope, query);
      return reply(c, SocialWorkerOutPage, toPage(rows, query.limit, query.offset));
    },
  )
  .route("/import", importRoutes(socialWorkerImport))
  .get(
    "/:id",
    describeRoute({
      summary: "Get a social worker",
      tags,
      responses: responses(ok("The social worker", SocialWorkerOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "social_worker"),
    validate("param", IdParam),
    async (c) => {
      const worker = await findSocialWorker(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!worker) throw notFound(entity.label);
      return reply(c, SocialWorkerOut, worker);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a social worker",
      tags,
      responses: responses(created("The new social worker", SocialWorkerOut), {
        auth: true,
        roles: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("json", CreateSocialWorker),
    async (c) =>
      reply(c, SocialWorkerOut, await addSocialWorker(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a social worker",
      tags,
      responses: responses(ok("The social worker as it now is", SocialWorkerOut), {
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
    validate("json", UpdateSocialWorker),
    async (c) =>
      reply(
        c,
        SocialWorkerOut,
        await changeSocialWorker(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
      ),
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Deactivate a social worker (kept for history)",
      tags,
      responses: responses(ok("The deactivated social worker", SocialWorkerOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      reply(c, SocialWorkerOut, await deactivateSocialWorker(actorOf(c), c.req.valid("param").id)),
  );
