import { type Context, Hono } from "hono";
import * as v from "valibot";
import { homeRegionOf, tallyRegionFor } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { regionNames } from "../../directory/regions/queries";
import { ancestorCodes, regionContains } from "../../domain/regions";
import { sendDownload, type TableFormat } from "../../lib/download";
import { RegionCode } from "../../lib/schemas";
import { Month } from "../../outcomes/schemas";
import { excludedOutcomeCount } from "../../periods/queries";
import { requestFiguresExport } from "../../requests/exports";
import { requestFigures } from "../../requests/figures";
import { countOverdue } from "../../requests/queries";
import { coverageExport, summaryExport, tallyExport } from "../../tallies/exports";
import { periodPresets } from "../../tallies/presets";
import { latestMonthHeld, type Tally, type TallyDimension } from "../../tallies/query";
import {
  coverageFor,
  pilotSummaryFor,
  resolvePeriod,
  resolveRegion,
  tallyFor,
} from "../../tallies/service";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireStaffRoles } from "../guard";
import { ErrorSummary, renderPage } from "../layout";
import { RequestFiguresSection } from "../requests/figures";
import { type DashboardData, DashboardPage } from "./page";

/** Who reads the dashboard: departments first, also admins and coordinators (their community). */
export const requireTallyReader = requireStaffRoles(["admin", "department", "coordinator"]);

const DashboardQuery = v.object({
  region: v.optional(RegionCode),
  from: v.optional(Month),
  to: v.optional(Month),
});

/** The province the pilot runs in: where an admin's dashboard starts. */
const HOME_PROVINCE = "210000";

type Query = { region?: string; from?: string; to?: string };

/** Reads ?region&from&to, dropping what is malformed (and saying so on the page). */
function readQuery(c: Context<WebEnv>): { query: Query; invalid: boolean } {
  const raw = {
    region: c.req.query("region") || undefined,
    from: c.req.query("from") || undefined,
    to: c.req.query("to") || undefined,
  };
  const parsed = v.safeParse(DashboardQuery, raw);
  return parsed.success ? { query: parsed.output, invalid: false } : { query: {}, invalid: true };
}

/** The caller's own region: what the region list starts from. */
const rootRegion = (c: Context<WebEnv>) => homeRegionOf(c.var.principal.scope, HOME_PROVINCE);

const tallyOf = (c: Context<WebEnv>, query: Query, groupBy: TallyDimension[]) =>
  tallyFor(c.var.db, c.var.principal, { ...query, groupBy });

/** The tables the dashboard offers as downloads, by `?table=`: a tally's grouping each. */
const tallyTables: Record<string, TallyDimension[]> = {
  totals: [],
  month: ["month"],
  serviceType: ["serviceType"],
  targetGroup: ["targetGroup"],
  region: ["region"],
};

/** The regions from the caller's own (`root`) down to the one shown, with their names. */
async function trailTo(db: Queryable, root: string, region: string, name: string) {
  const above = ancestorCodes(region).filter((code) => regionContains(root, code));
  const names = await regionNames(db, above);
  return [...above.map((code) => ({ code, name: names[code] ?? code })), { code: region, name }];
}

/** Whether a tally's period holds no event held. */
const heldNone = (tally: Tally) => !tally.totals.events;

export const tallyPageRoutes = new Hono<WebEnv>()
  .get("/", requireTallyReader, async (c) => {
    const { t, lang, principal, db } = c.var;
    const { query: asked, invalid } = readQuery(c);
    let period: { from: string; to: string };
    let periodInvalid = false;
    try {
      period = resolvePeriod(asked.from, asked.to, c.var.now);
    } catch {
      period = resolvePeriod(undefined, undefined, c.var.now);
      periodInvalid = true;
    }
    const root = rootRegion(c);
    const query = { region: asked.region ?? root, ...period };
    try {
      await resolveRegion(db, principal, query.region);
    } catch {
      return notFoundPage(c);
    }
    const totals = await tallyOf(c, query, []);
    const byMonth = await tallyOf(c, query, ["month"]);
    const byServiceType = await tallyOf(c, query, ["serviceType"]);
    const byTargetGroup = await tallyOf(c, query, ["targetGroup"]);
    const byRegion = await tallyOf(c, query, ["region"]);
    const reader = principal.role === "admin" || principal.role === "department";
    const data: DashboardData = {
      totals,
      byMonth,
      byServiceType,
      byTargetGroup,
      byRegion,
      coverage: reader ? await coverageFor(db, principal, query) : undefined,
      summary: reader
        ? await pilotSummaryFor(db, principal, {
            region: query.region,
            year: Number(period.to.slice(0, 4)),
          })
        : undefined,
      query,
      presets: periodPresets(c.var.now),
      trail: await trailTo(db, root, query.region, totals.region.name),
      print: c.req.query("print") === "1",
      excludedByClosedMonths:
        totals.awaitingSignOff > 0 ? await excludedOutcomeCount(db, query.region, period) : 0,
      latestMonthHeld: heldNone(totals) ? await latestMonthHeld(db, query.region) : undefined,
    };
    const errors = [
      ...(invalid ? [{ href: "#from", text: t.tallies.errMonth }] : []),
      ...(periodInvalid ? [{ href: "#to", text: t.tallies.errPeriod }] : []),
    ];
    const figuresOf = (groupBy: "askerKind") =>
      requestFigures(db, {
        region: query.region,
        ...period,
        groupBy,
        lang,
        now: c.var.now,
        principal,
      });
    const [requestsByAsker, overdue] = await Promise.all([
      figuresOf("askerKind"),
      countOverdue(db, principal.scope, c.var.now),
    ]);
    return renderPage(
      c,
      {
        title: t.tallies.title(totals.region.name),
        principal,
        wide: true,
        without: ["cards", "forms"],
      },
      <>
        <ErrorSummary t={t} errors={errors} />
        <DashboardPage t={t} lang={lang} data={data} />
        <RequestFiguresSection
          t={t}
          lang={lang}
          overdue={overdue}
          byAsker={requestsByAsker}
          print={data.print}
          query={query}
        />
      </>,
    );
  })
  .get("/export", requireTallyReader, async (c) => {
    const { principal, db, lang } = c.var;
    const { query: asked } = readQuery(c);
    const table = c.req.query("table") ?? "month";
    const format: TableFormat = c.req.query("format") === "xlsx" ? "xlsx" : "csv";
    const period = resolvePeriod(asked.from, asked.to, c.var.now);
    const query = { region: asked.region ?? rootRegion(c), ...period };
    const reader = principal.role === "admin" || principal.role === "department";
    const groupBy = tallyTables[table];
    if (groupBy)
      return sendDownload(c, tallyExport(await tallyOf(c, query, groupBy), lang, format));
    if (table === "requests") {
      const region = tallyRegionFor(principal, query.region);
      const figures = await requestFigures(db, {
        region,
        from: query.from,
        to: query.to,
        groupBy: "askerKind",
        lang,
        now: c.var.now,
        principal,
      });
      return sendDownload(c, requestFiguresExport(figures, lang, format));
    }
    if (table === "coverage" && reader)
      return sendDownload(c, coverageExport(await coverageFor(db, principal, query), lang, format));
    if (table === "summary" && reader) {
      const year = Number(query.to.slice(0, 4));
      const result = await pilotSummaryFor(db, principal, { region: query.region, year });
      return sendDownload(c, summaryExport(result, lang, format));
    }
    return notFoundPage(c);
  });
