import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth } from "../../auth/middleware";
import { regions } from "../../db/schema";
import { ancestorCodes, regionPrefix } from "../../domain/regions";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { paginationQuery, toPage } from "../../lib/pagination";
import { RegionCode, RegionLevel } from "../../lib/schemas";
import { validate } from "../../lib/validation";

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
    }),
    validate("query", ListQuery),
    async (c) => {
      const { parent, within, level, q, limit, offset } = c.req.valid("query");
      const withinPrefix = within ? regionPrefix(within) : undefined;
      const rows = await c.var.db
        .select({
          code: regions.code,
          name: regions.name,
          level: regions.level,
          parentCode: regions.parentCode,
          total: sql<number>`count(*) over ()`.mapWith(Number),
        })
        .from(regions)
        .where(
          and(
            parent ? eq(regions.parentCode, parent) : undefined,
            withinPrefix ? like(regions.code, `${withinPrefix}%`) : undefined,
            level ? eq(regions.level, level) : undefined,
            q ? like(regions.name, `%${q.replace(/[\\%_]/g, "\\$&")}%`) : undefined,
          ),
        )
        .orderBy(asc(regions.code))
        .limit(limit)
        .offset(offset);
      return c.json(toPage(rows, limit, offset));
    },
  )
  .get(
    "/:code",
    describeRoute({ summary: "Get a region with its ancestors", tags: ["directory"] }),
    validate("param", v.object({ code: RegionCode })),
    async (c) => {
      const { code } = c.req.valid("param");
      const [region] = await c.var.db.select().from(regions).where(eq(regions.code, code));
      if (!region) throw notFound("region");
      const codes = ancestorCodes(code);
      const ancestors = codes.length
        ? await c.var.db
            .select()
            .from(regions)
            .where(inArray(regions.code, codes))
            .orderBy(asc(regions.code))
        : [];
      return c.json({ ...region, ancestors });
    },
  );
