import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { jsonResponse, ok, reply, responses, WRITE } from "../lib/responses";
import { Reason } from "../lib/schemas";
import { validate } from "../lib/validation";
import {
  ListPeriodLocksQuery,
  LockPeriod,
  PeriodLockOut,
  PeriodLockParam,
} from "../outcomes/schemas";
import { listPeriodLocks } from "./queries";
import { closePeriod, reopenPeriod } from "./service";

const tags = ["outcomes"];
const PeriodLockList = v.object({ items: v.array(PeriodLockOut) });

/** 月度关账: closing a month stops its outcomes from changing; corrections become adjustments. */
export const periodLockRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireRole("admin", "department"))
  .get(
    "/",
    describeRoute({
      summary: "Closed months in a region (yours by default)",
      description: "The locks inside the region and the wider ones (city, province) that cover it.",
      tags,
      responses: responses(ok("The closed months, in month order", PeriodLockList), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    validate("query", ListPeriodLocksQuery),
    async (c) => {
      const items = await listPeriodLocks(c.var.db, c.var.principal.scope, c.req.valid("query"));
      return reply(c, PeriodLockList, { items });
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Close a month for a region (201; 200 if it was already closed)",
      description:
        "Waits for outcome writes of that month in flight, then refuses every later one. If " +
        "outcomes of the month still wait for sign-off, answers 409 listing them (`unsigned`: " +
        "event ids and titles) unless `excludeUnsigned: true`: then they are left out of the " +
        "month's figures and listed on the lock (`excluded`, `excludedOutcomes`).",
      tags,
      responses: responses(
        {
          201: jsonResponse("The month, now closed", PeriodLockOut),
          200: jsonResponse("The month was already closed", PeriodLockOut),
        },
        { ...WRITE, id: true },
      ),
    }),
    validate("json", LockPeriod),
    async (c) => {
      const { period, created } = await closePeriod(actorOf(c), c.req.valid("json"));
      return reply(c, PeriodLockOut, period, created ? 201 : 200);
    },
  )
  .post(
    "/:region/:month/reopen",
    describeRoute({
      summary: "Reopen a closed month (admin, with a reason)",
      tags,
      responses: responses(
        { 204: { description: "The month is open again" } },
        { ...WRITE, id: true },
      ),
    }),
    requireRole("admin"),
    validate("param", PeriodLockParam),
    validate("json", v.strictObject({ reason: Reason })),
    async (c) => {
      await reopenPeriod(actorOf(c), { ...c.req.valid("param"), ...c.req.valid("json") });
      return c.body(null, 204);
    },
  );
