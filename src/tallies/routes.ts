import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { sendDownload } from "../lib/download";
import { okOrTable, reply, responses } from "../lib/responses";
import { validate } from "../lib/validation";
import { coverageExport, summaryExport, tallyExport } from "./exports";
import {
  CoverageOut,
  CoverageQuery,
  PilotSummaryOut,
  PilotSummaryQuery,
  TallyOut,
  TallyQuery,
} from "./schemas";
import { coverageFor, pilotSummaryFor, tallyFor } from "./service";

const tags = ["tallies"];

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
        "gives the same rows as UTF-8 CSV with a BOM (Chinese headers, `lang=en` for English), " +
        "`format=xlsx` as an Excel workbook (months and codes as text, figures as numbers, a " +
        "合计 line).",
      tags,
      responses: responses(
        okOrTable(
          "The tally (JSON), or the same rows as CSV / xlsx with `format=csv|xlsx`",
          TallyOut,
        ),
        { auth: true, roles: true, id: true, input: true },
      ),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", TallyQuery),
    async (c) => {
      const query = c.req.valid("query");
      const result = await tallyFor(c.var.db, c.var.principal, query);
      c.header("Cache-Control", "no-store");
      if (query.format !== "json")
        return sendDownload(c, tallyExport(result, query.lang, query.format));
      return reply(c, TallyOut, result);
    },
  )
  .get(
    "/coverage",
    describeRoute({
      summary: "Which counties (and pilot communities) had no event, social worker or team",
      tags,
      responses: responses(
        okOrTable(
          "Coverage by county (JSON), or as CSV / xlsx with `format=csv|xlsx`",
          CoverageOut,
        ),
        { auth: true, roles: true, id: true, input: true },
      ),
    }),
    requireRole("admin", "department"),
    validate("query", CoverageQuery),
    async (c) => {
      const query = c.req.valid("query");
      const result = await coverageFor(c.var.db, c.var.principal, query);
      c.header("Cache-Control", "no-store");
      if (query.format !== "json")
        return sendDownload(c, coverageExport(result, query.lang, query.format));
      return reply(c, CoverageOut, result);
    },
  )
  .get(
    "/pilot-summary",
    describeRoute({
      summary: "The year's pilot figures, in the shape of the 2025 report",
      tags,
      responses: responses(
        okOrTable("The summary (JSON), or as CSV / xlsx with `format=csv|xlsx`", PilotSummaryOut),
        { auth: true, roles: true, id: true, input: true },
      ),
    }),
    requireRole("admin", "department"),
    validate("query", PilotSummaryQuery),
    async (c) => {
      const query = c.req.valid("query");
      const result = await pilotSummaryFor(c.var.db, c.var.principal, query);
      c.header("Cache-Control", "no-store");
      if (query.format !== "json")
        return sendDownload(c, summaryExport(result, query.lang, query.format));
      return reply(c, PilotSummaryOut, result);
    },
  );
