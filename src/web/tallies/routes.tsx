import { type Context, Hono } from "hono";
import * as v from "valibot";
import { RegionCode } from "../../lib/schemas";
import { Month } from "../../outcomes/schemas";
import { coverage } from "../../tallies/coverage";
import { attachment, tallyCsv } from "../../tallies/csv";
import { coverageCsv, summaryCsv } from "../../tallies/exports";
import { childRegionsOf, defaultChildLevel, type TallyDimension } from "../../tallies/query";
import { resolvePeriod, resolveRegion, tallyFor } from "../../tallies/service";
import { pilotSummary } from "../../tallies/summary";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireStaffRoles } from "../guard";
import { ErrorSummary, renderPage } from "../layout";
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
function rootRegion(c: Context<WebEnv>): string {
  const scope = c.var.principal.scope;
  if (scope.kind === "region" || scope.kind === "community") return scope.regionCode;
  return HOME_PROVINCE;
}

const tallyOf = (c: Context<WebEnv>, query: Query, groupBy: TallyDimension[]) =>
  tallyFor(c.var.db, c.var.principal, { ...query, groupBy });

export const tallyPageRoutes = new Hono<WebEnv>()
  .get("/", requireTallyReader, async (c) => {
    const { t, lang, principal, db } = c.var;
    const { query: asked, invalid } = readQuery(c);
    let period: { from: string; to: string };
    let periodInvalid = false;
    try {
      period = resolvePeriod(asked.from, asked.to);
    } catch {
      period = resolvePeriod(undefined, undefined);
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
    const children = await childRegionsOf(db, root, defaultChildLevel(root));
    const rootInfo = await resolveRegion(db, principal, root);
    const regionChoices = [{ code: root, name: rootInfo.info.name }, ...children];
    if (!regionChoices.some((choice) => choice.code === query.region))
      regionChoices.push({ code: query.region, name: totals.region.name });
    const data: DashboardData = {
      totals,
      byMonth,
      byServiceType,
      byTargetGroup,
      byRegion,
      coverage: reader ? await coverage(db, query.region, period) : undefined,
      summary: reader
        ? await pilotSummary(db, query.region, Number(period.to.slice(0, 4)))
        : undefined,
      regionChoices,
      query,
    };
    const errors = [
      ...(invalid ? [{ href: "#from", text: t.tallies.errMonth }] : []),
      ...(periodInvalid ? [{ href: "#to", text: t.tallies.errPeriod }] : []),
    ];
    return renderPage(
      c,
      { title: t.tallies.title(totals.region.name), principal, wide: true },
      <>
        <ErrorSummary t={t} errors={errors} />
        <DashboardPage t={t} lang={lang} data={data} />
      </>,
    );
  })
  .get("/export", requireTallyReader, async (c) => {
    const { principal, db, lang } = c.var;
    const { query: asked } = readQuery(c);
    const table = c.req.query("table") ?? "month";
    const period = resolvePeriod(asked.from, asked.to);
    const query = { region: asked.region ?? rootRegion(c), ...period };
    const { code, info } = await resolveRegion(db, principal, query.region);
    const reader = principal.role === "admin" || principal.role === "department";
    const stem = `${info.code ?? "all"}-${period.from}_${period.to}`;
    const send = (body: string, name: string) => {
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", attachment(name, name.replace(/[^\x20-\x7e]/g, "")));
      return c.body(body);
    };
    const dimensions: Record<string, TallyDimension[]> = {
      totals: [],
      month: ["month"],
      serviceType: ["serviceType"],
      targetGroup: ["targetGroup"],
      region: ["region"],
    };
    const groupBy = dimensions[table];
    if (groupBy) {
      const result = await tallyOf(c, query, groupBy);
      return send(tallyCsv(result, lang), `服务统计-${table}-${stem}.csv`);
    }
    if (table === "coverage" && reader) {
      const result = { region: info, ...(await coverage(db, code, period)) };
      return send(coverageCsv(result, lang), `覆盖情况-${stem}.csv`);
    }
    if (table === "summary" && reader) {
      const year = Number(period.to.slice(0, 4));
      const result = { region: info, ...(await pilotSummary(db, code, year)) };
      return send(summaryCsv(result, lang), `试点工作汇总-${info.code ?? "all"}-${year}.csv`);
    }
    return notFoundPage(c);
  });
