import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { findEvent } from "../events/queries";
import { OptionalReason } from "../events/schemas";
import { notFound } from "../lib/errors";
import {
  created,
  IDEMPOTENCY_KEY,
  jsonResponse,
  ok,
  reply,
  responses,
  WRITE,
} from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { deliverRequestSoon } from "../notifications/immediate";
import { adjustOutcome } from "./adjustments";
import { loadOutcome } from "./queries";
import { OutcomeOut, RecordAdjustment, RecordOutcome } from "./schemas";
import { recordOutcome, signOffOutcome } from "./service";

const tags = ["outcomes"];

/**
 * 服务记录 of an event. Mounted under `/events` beside the other event routes, so middleware is
 * per route.
 */
export const outcomeRoutes = new Hono<AppEnv>()
  .get(
    "/:id/outcome",
    describeRoute({
      summary: "An event's outcome, with its adjustments",
      tags,
      responses: responses(ok("The outcome", OutcomeOut), { auth: true, id: true, input: true }),
    }),
    requireAuth,
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await findEvent(c.var.db, c.var.principal.scope, id))) throw notFound("event");
      const outcome = await loadOutcome(c.var.db, id);
      if (!outcome) throw notFound("outcome");
      return reply(c, OutcomeOut, outcome);
    },
  )
  .put(
    "/:id/outcome",
    describeRoute({
      summary: "Record an event's outcome (coordinator or lead social worker)",
      description:
        "Person-times per target group, people served, attending volunteers (checked-in " +
        "sign-ups count by themselves; tick directory volunteers by id), hours and typed notes. " +
        "Marks the event completed. Once signed off, only an admin may change it, with a " +
        "`reason`; in a closed month nobody can (409): record an adjustment instead.",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(
        {
          201: jsonResponse("The outcome, recorded for the first time", OutcomeOut),
          200: jsonResponse("The outcome, recorded again", OutcomeOut),
        },
        { ...WRITE, id: true },
      ),
    }),
    requireAuth,
    requireRole("admin", "coordinator", "social_worker"),
    idempotent,
    validate("param", IdParam),
    validate("json", RecordOutcome),
    async (c) => {
      const { outcome, created } = await recordOutcome(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return reply(c, OutcomeOut, outcome, created ? 201 : 200);
    },
  )
  .post(
    "/:id/outcome/sign-off",
    describeRoute({
      summary: "The lead social worker signs the outcome off; then it counts in the tallies",
      description:
        "An admin may sign off in the lead's place with a `reason` (kept in the audit log).",
      tags,
      responses: responses(ok("The outcome, signed off", OutcomeOut), { ...WRITE, id: true }),
    }),
    requireAuth,
    requireRole("social_worker", "admin"),
    validate("param", IdParam),
    validate("json", OptionalReason),
    async (c) => {
      const outcome = await signOffOutcome(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      // Requesters whose request became this event's need hear that the service was held.
      deliverRequestSoon(c, { eventId: c.req.valid("param").id });
      return reply(c, OutcomeOut, outcome);
    },
  )
  .post(
    "/:id/outcome/adjustments",
    describeRoute({
      summary: "Correct a signed-off outcome of a closed month (admin)",
      description:
        "Booked in the current month as an adjustment, shown as such in the tallies; the " +
        "closed month's figures do not change.",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(created("The outcome with its adjustments", OutcomeOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireAuth,
    requireRole("admin"),
    idempotent,
    validate("param", IdParam),
    validate("json", RecordAdjustment),
    async (c) =>
      reply(
        c,
        OutcomeOut,
        await adjustOutcome(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );
