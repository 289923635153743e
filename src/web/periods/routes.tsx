import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { homeRegionOf } from "../../auth/scope";
import { AppError } from "../../lib/errors";
import { RegionCode } from "../../lib/schemas";
import { Month } from "../../outcomes/schemas";
import { listPeriodLocks, type OutcomeRef } from "../../periods/queries";
import { closePeriod } from "../../periods/service";
import type { WebEnv } from "../env";
import { requireStaffRoles } from "../guard";
import { renderPage } from "../layout";
import { PeriodsPage } from "./page";

/** Who closes months: departments (their region and below) and admins. */
const requirePeriodCloser = requireStaffRoles(["admin", "department"]);

/** The province the pilot runs in: an admin's default region. */
const HOME_PROVINCE = "210000";

async function showPeriods(
  c: Context<WebEnv>,
  options: {
    values: { region: string; month: string };
    error?: string;
    /** The region typed is outside the caller's area: list the caller's own instead. */
    outside?: boolean;
    notice?: string;
    unsigned?: OutcomeRef[];
    status?: ContentfulStatusCode;
  },
) {
  const { t, lang, principal, db } = c.var;
  const region =
    v.is(RegionCode, options.values.region) && !options.outside
      ? options.values.region
      : homeRegionOf(principal.scope, HOME_PROVINCE);
  const locks = await listPeriodLocks(db, principal.scope, { region });
  return renderPage(
    c,
    { title: t.periods.heading, principal, status: options.status },
    <PeriodsPage t={t} lang={lang} region={region} locks={locks} {...options} />,
  );
}

/** /staff/periods: 月度关账 — close a month, confirming when outcomes still await sign-off. */
export const periodPageRoutes = new Hono<WebEnv>()
  .use(requirePeriodCloser)
  .get("/", async (c) => {
    const region = c.req.query("region") || homeRegionOf(c.var.principal.scope, HOME_PROVINCE);
    const closed = c.req.query("closed");
    const notice = closed && v.is(Month, closed) ? c.var.t.periods.closed(closed) : undefined;
    try {
      return await showPeriods(c, { values: { region, month: "" }, notice });
    } catch (caught) {
      // A link to a region outside the caller's area: the page, with the reason beside it.
      if (!(caught instanceof AppError) || caught.code !== "NOT_FOUND") throw caught;
      return showPeriods(c, {
        values: { region, month: "" },
        error: c.var.t.periods.errRegion(region),
        outside: true,
        status: 404,
      });
    }
  })
  .post("/", async (c) => {
    const body = await c.req.parseBody();
    const values = {
      region: typeof body.region === "string" ? body.region.trim() : "",
      month: typeof body.month === "string" ? body.month.trim() : "",
    };
    if (!v.is(RegionCode, values.region) || !v.is(Month, values.month))
      return showPeriods(c, { values, error: c.var.t.periods.errInput, status: 400 });
    try {
      await closePeriod(actorOf(c), { ...values, excludeUnsigned: body.excludeUnsigned === "1" });
    } catch (caught) {
      // Outside the caller's area: said beside the form, which keeps what was typed.
      if (caught instanceof AppError && caught.code === "NOT_FOUND")
        return showPeriods(c, {
          values,
          error: c.var.t.periods.errRegion(values.region),
          outside: true,
          status: 404,
        });
      if (!(caught instanceof AppError) || caught.details.reason !== "unsigned_outcomes")
        throw caught;
      const unsigned = caught.details.unsigned as OutcomeRef[];
      return showPeriods(c, { values, unsigned, status: 409 });
    }
    const query = new URLSearchParams({ region: values.region, closed: values.month });
    return c.redirect(`/staff/periods?${query}`, 303);
  });
