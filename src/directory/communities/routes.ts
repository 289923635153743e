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
import { findCommunity, listCommunities } from "./queries";
import { CommunityOut, CreateCommunity, ListCommunitiesQuery, UpdateCommunity } from "./schemas";
import { addCommunity, changeCommunity, deactivateCommunity } from "./service";

const tags = ["directory"];
const CommunityOutPage = Page(CommunityOut);
const entity = { entity: "community", label: "community" };

/** 社区: admins write; departments read their region; a coordinator reads only its own community. */
export const communityRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List communities",
      description:
        "`region` at any level includes everything below it; `pilot=true` lists the 试点社区; `q` matches part of the name.",
      tags,
      responses: responses(ok("A page of communities", CommunityOutPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", ListCommunitiesQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listCommunities(c.var.db, c.var.principal.scope, query);
      return reply(c, CommunityOutPage, toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get a community",
      tags,
      responses: responses(ok("The community", CommunityOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const community = await findCommunity(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!community) throw notFound(entity.label);
      return reply(c, CommunityOut, community);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a community",
      description:
        "`regionCode` is the community's 12-digit GB/T 2260 code; the county is derived from it and `name` defaults to the region's name.",
      tags,
      responses: responses(created("The new community", CommunityOut), {
        auth: true,
        roles: true,
        input: true,
        conflict: true,
        body: true,
      }),
    }),
    requireRole("admin"),
    validate("json", CreateCommunity),
    async (c) => reply(c, CommunityOut, await addCommunity(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a community",
      tags,
      responses: responses(ok("The community as it now is", CommunityOut), {
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
    validate("json", UpdateCommunity),
    async (c) =>
      reply(
        c,
        CommunityOut,
        await changeCommunity(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
      ),
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Deactivate a community (kept for history)",
      tags,
      responses: responses(ok("The deactivated community", CommunityOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      reply(c, CommunityOut, await deactivateCommunity(actorOf(c), c.req.valid("param").id)),
  );
