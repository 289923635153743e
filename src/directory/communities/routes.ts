import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireAuth, requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { findCommunity, listCommunities } from "./queries";
import { CreateCommunity, ListCommunitiesQuery, UpdateCommunity } from "./schemas";
import { addCommunity, changeCommunity, deactivateCommunity } from "./service";

const tags = ["directory"];
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
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", ListCommunitiesQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listCommunities(c.var.db, c.var.principal.scope, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:id",
    describeRoute({ summary: "Get a community", tags }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const community = await findCommunity(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("param").id,
      );
      if (!community) throw notFound(entity.label);
      return c.json(community);
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Add a community",
      description:
        "`regionCode` is the community's 12-digit GB/T 2260 code; the county is derived from it and `name` defaults to the region's name.",
      tags,
    }),
    requireRole("admin"),
    validate("json", CreateCommunity),
    async (c) => c.json(await addCommunity(actorOf(c), c.req.valid("json")), 201),
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a community", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateCommunity),
    async (c) =>
      c.json(await changeCommunity(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a community (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) => c.json(await deactivateCommunity(actorOf(c), c.req.valid("param").id)),
  );
