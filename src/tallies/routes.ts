import type { Context } from "hono";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { validate } from "../lib/validation";
import { coverage } from "./coverage";
import { attachment, tallyCsv } from "./csv";
import { coverageCsv, summaryCsv } from "./exports";
import { CoverageQuery, PilotSummaryQuery, TallyQuery } from "./schemas";
import { resolvePeriod, resolveRegion, tallyFor } from "./service";
import { pilotSummary } from "./summary";

const tags = ["tallies"];

/** Sends CSV as a download (no caching: the figures are scoped to the caller). */
function csv(c: Context<AppEnv>, body: string, name: string, ascii: string) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", attachment(name, ascii));
  c.header("Cache-Control", "no-store");
  return c.body(body);
}

const suffix = (region: string | null, from: string, to: string) =>
  `${region ?? "all"}-${from}${from === to ? "" : `_${to}`}`;

/** 统计: tallies, coverage and the pilot summary, as JSON or Excel-ready CSV from the same query. */
export const tallyRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "Tally signed-off outcomes of a region and period",
      description:
        "`groupBy` any of month, serviceType, targetGroup, region (comma-separated); `level` " +
        "is what `region` breaks down to (default: the level below). Months are Asia/Shanghai " +
        "`YYYY-MM`, both ends included (default: this year so far). Measures split by target " +
        "group are events and person-times only; the others are null there. `format=csv` " +
        "gives the same rows as UTF-8 CSV with a BOM (Chinese headers, `lang=en` for English).",
      tags,
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", TallyQuery),
    async (c) => {
      const query = c.req.valid("query");
      const result = await tallyFor(c.var.db, c.var.principal, query);
      c.header("Cache-Control", "no-store");
      if (query.format === "csv") {
        const name = `tally-${suffix(result.region.code, result.period.from, result.period.to)}.csv`;
        return csv(c, tallyCsv(result, query.lang), `服务统计-${name}`, name);
      }
      return c.json(result);
    },
  )
  .get(
    "/coverage",
    describeRoute({
      summary: "Which counties (and pilot communities) had no event, social worker or team",
      tags,
    }),
    requireRole("admin", "department"),
    validate("query", CoverageQuery),
    async (c) => {
      const query = c.req.valid("query");
      const { code, info } = await resolveRegion(c.var.db, c.var.principal, query.region);
      const period = resolvePeriod(query.from, query.to);
      const result = { region: info, ...(await coverage(c.var.db, code, period)) };
      c.header("Cache-Control", "no-store");
      if (query.format === "csv") {
        const name = `coverage-${suffix(info.code, period.from, period.to)}.csv`;
        return csv(c, coverageCsv(result, query.lang), `覆盖情况-${name}`, name);
      }
      return c.json(result);
    },
  )
  .get(
    "/pilot-summary",
    describeRoute({
      summary: "The year's pilot figures, in the shape of the 2025 report",
      tags,
    }),
    requireRole("admin", "department"),
    validate("query", PilotSummaryQuery),
    async (c) => {
      const query = c.req.valid("query");
      const { code, info } = await resolveRegion(c.var.db, c.var.principal, query.region);
      const result = { region: info, ...(await pilotSummary(c.var.db, code, query.year)) };
      c.header("Cache-Control", "no-store");
      if (query.format === "csv") {
        const name = `pilot-summary-${info.code ?? "all"}-${query.year}.csv`;
        return csv(c, summaryCsv(result, query.lang), `试点工作总结-${name}`, name);
      }
      return c.json(result);
    },
  );
