import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { created, IDEMPOTENCY_KEY, ok, reply, responses, WRITE } from "../lib/responses";
import { Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { runView } from "./queries";
import { AcceptPlan, AcceptRunOut, CreateRun, RunOut, StoredRunOut } from "./schemas";
import { acceptRun, proposeRun } from "./service";

const tags = ["matching"];
/**
 * Batch matching (SPEC §2): assign every open need of a region and period at once, optimally under
 * each social worker's weekly capacity (src/matching/assign.ts). A run is a proposal; accepting it
 * (all or part) creates the events.
 */
export const matchingRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/runs",
    describeRoute({
      summary: "Propose a plan for all open needs of a region and period",
      tags,
      responses: responses(created("The proposed plan (nothing is booked yet)", RunOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireRole("admin", "department"),
    validate("json", CreateRun),
    async (c) => reply(c, RunOut, await proposeRun(actorOf(c), c.req.valid("json")), 201),
  )
  .get(
    "/runs/:id",
    describeRoute({
      summary: "A proposed plan (a coordinator sees only their community's entries)",
      tags,
      responses: responses(ok("The plan", StoredRunOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", v.object({ id: Uuid })),
    async (c) =>
      reply(
        c,
        StoredRunOut,
        await runView(c.var.db, c.var.principal.scope, c.req.valid("param").id),
      ),
  )
  .post(
    "/runs/:id/accept",
    describeRoute({
      summary: "Accept a plan, whole or the listed needs: one event per entry",
      description:
        "Each entry is booked in its own transaction, checked as a single pick is; an entry that no longer fits (the need was matched meanwhile, or someone is now booked) is reported with its error and the rest still go ahead.",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(ok("What was booked, entry by entry", AcceptRunOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("param", v.object({ id: Uuid })),
    validate("json", AcceptPlan),
    async (c) => {
      const { needIds } = c.req.valid("json");
      return reply(c, AcceptRunOut, await acceptRun(actorOf(c), c.req.valid("param").id, needIds));
    },
  );
