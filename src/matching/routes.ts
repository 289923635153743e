import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { Instant, RegionCode, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { runView } from "./queries";
import { acceptRun, proposeRun } from "./service";

const tags = ["matching"];
const MAX_PERIOD_DAYS = 92;

const CreateRun = v.pipe(
  v.strictObject({ regionCode: RegionCode, from: Instant, to: Instant }),
  v.check((input) => input.from < input.to, "the period must end after it starts"),
  v.check(
    (input) => input.to.getTime() - input.from.getTime() <= MAX_PERIOD_DAYS * 86_400_000,
    `a run covers at most ${MAX_PERIOD_DAYS} days`,
  ),
);

const AcceptPlan = v.strictObject({
  needIds: v.optional(v.pipe(v.array(Uuid), v.minLength(1), v.maxLength(5_000))),
});

/**
 * Batch matching (SPEC §2): assign every open need of a region and period at once, optimally under
 * each social worker's weekly capacity (src/matching/assign.ts). A run is a proposal; accepting it
 * (all or part) creates the events.
 */
export const matchingRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/runs",
    describeRoute({ summary: "Propose a plan for all open needs of a region and period", tags }),
    requireRole("admin", "department"),
    validate("json", CreateRun),
    async (c) => c.json(await proposeRun(actorOf(c), c.req.valid("json")), 201),
  )
  .get(
    "/runs/:id",
    describeRoute({
      summary: "A proposed plan (a coordinator sees only their community's entries)",
      tags,
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", v.object({ id: Uuid })),
    async (c) => c.json(await runView(c.var.db, c.var.principal.scope, c.req.valid("param").id)),
  )
  .post(
    "/runs/:id/accept",
    describeRoute({
      summary: "Accept a plan, whole or the listed needs: one event per entry",
      description:
        "Each entry is booked in its own transaction; an entry that no longer fits (the need was matched meanwhile, or someone is now booked) is reported with its error and the rest still go ahead.",
      tags,
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("param", v.object({ id: Uuid })),
    validate("json", AcceptPlan),
    async (c) => {
      const { needIds } = c.req.valid("json");
      return c.json(await acceptRun(actorOf(c), c.req.valid("param").id, needIds));
    },
  );
