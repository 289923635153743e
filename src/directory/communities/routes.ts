import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../../auth/middleware";
import { communities } from "../../db/schema";
import type { AppEnv } from "../../env";
import { changeWithAudit, createWithAudit } from "../../lib/audit";
import { AppError, notFound } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import { IdParam } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { communityColumns, findCommunity, findCommunityRegion, listCommunities } from "./queries";
import { CreateCommunity, ListCommunitiesQuery, UpdateCommunity } from "./schemas";

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
    async (c) => {
      const input = c.req.valid("json");
      const region = await findCommunityRegion(c.var.db, input.regionCode);
      if (!region) {
        throw new AppError("VALIDATION_FAILED", "the request refers to unknown records", {
          issues: [{ path: "regionCode", message: "no community-level region has this code" }],
        });
      }
      const [created] = await createWithAudit(c, entity.entity, (tx) =>
        tx
          .insert(communities)
          .values({
            ...input,
            name: input.name ?? region.name,
            // The first six digits of a community code are its county's code.
            countyCode: input.regionCode.slice(0, 6),
          })
          .returning(communityColumns),
      );
      return c.json(created, 201);
    },
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change a community", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", UpdateCommunity),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await updateCommunity(c, id, "update", c.req.valid("json")));
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Deactivate a community (kept for history)", tags }),
    requireRole("admin"),
    validate("param", IdParam),
    async (c) =>
      c.json(await updateCommunity(c, c.req.valid("param").id, "deactivate", { active: false })),
  );

function updateCommunity(
  c: Parameters<typeof changeWithAudit>[0],
  id: string,
  action: string,
  changes: Partial<typeof communities.$inferInsert>,
) {
  return changeWithAudit(c, {
    ...entity,
    action,
    entityId: id,
    find: (tx) => findCommunity(tx, c.var.principal.scope, id, { forUpdate: true }),
    apply: async (tx) => {
      const [after] = await tx
        .update(communities)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(communities.id, id))
        .returning(communityColumns);
      return after;
    },
  });
}
