import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth } from "../../auth/middleware";
import { regionLevels } from "../../domain/vocabulary";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { paginationQuery, toPage } from "../../lib/pagination";
import { ok, Page, reply, responses } from "../../lib/responses";
import { RegionCode, RegionLevel } from "../../lib/schemas";
import { validate } from "../../lib/validation";
import { findRegion, listRegions } from "./queries";

const RegionOut = v.object({
  code: v.string(),
  name: v.string(),
  level: v.picklist(regionLevels),
  parentCode: v.nullable(v.string()),
});
const RegionPage = Page(RegionOut);
const RegionWithAncestors = v.object({ ...RegionOut.entries, ancestors: v.array(RegionOut) });

const ListQuery = v.strictObject({
  parent: v.optional(RegionCode),
  within: v.optional(RegionCode),
  level: v.optional(RegionLevel),
  q: v.optional(v.pipe(v.string(), v.maxLength(50))),
  ...paginationQuery,
});

/** GB/T 2260 regions: public reference data, readable by every signed-in role. */
export const regionRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List regions",
      description:
        "`parent` lists direct children (e.g. `parent=210000` gives the 14 cities); `within` with `level` lists every region of that level below a region (e.g. all communities of a county).",
      tags: ["directory"],
      responses: responses(ok("A page of regions", RegionPage), { auth: true, input: true }),
    }),
    validate("query", ListQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listRegions(c.var.db, query);
      return reply(c, RegionPage, toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:code",
    describeRoute({
      summary: "Get a region with its ancestors",
      tags: ["directory"],
      responses: responses(ok("The region, its ancestors province first", RegionWithAncestors), {
        auth: true,
        id: true,
        input: true,
      }),
    }),
    validate("param", v.object({ code: RegionCode })),
    async (c) => {
      const region = await findRegion(c.var.db, c.req.valid("param").code);
      if (!region) throw notFound("region");
      return reply(c, RegionWithAncestors, region);
    },
  );
