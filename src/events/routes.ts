import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { findEvent, listEvents } from "./queries";
import {
  ListEventsQuery,
  OptionalReason,
  RescheduleEvent,
  UpdateEvent,
  WithReason,
} from "./schemas";
import { acceptEvent, cancelEvent, declineEvent, rescheduleEvent, updateEvent } from "./service";

const tags = ["events"];

/** 服务活动: scheduled services. The lead social worker accepts or declines; staff reschedule or cancel. */
export const eventRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List events",
      description: "`from`/`to` select events overlapping the period.",
      tags,
    }),
    validate("query", ListEventsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listEvents(c.var.db, c.var.principal.scope, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .get(
    "/:id",
    describeRoute({ summary: "Get an event", tags }),
    validate("param", IdParam),
    async (c) => {
      const event = await findEvent(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!event) throw notFound("event");
      return c.json(event);
    },
  )
  .post(
    "/:id/reschedule",
    describeRoute({
      summary:
        "Move an event (409 with the conflicting event's id if anyone would be double-booked)",
      tags,
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", RescheduleEvent),
    async (c) =>
      c.json(await rescheduleEvent(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a scheduled event's title, capacity or sign-up closing time",
      description:
        "Lowering the capacity below the confirmed sign-ups is refused by the database (409).",
      tags,
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", UpdateEvent),
    async (c) =>
      c.json(await updateEvent(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .post(
    "/:id/cancel",
    describeRoute({ summary: "Cancel an event; its need opens again for matching", tags }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", WithReason),
    async (c) => {
      const { reason } = c.req.valid("json");
      return c.json(await cancelEvent(actorOf(c), c.req.valid("param").id, reason));
    },
  )
  .post(
    "/:id/accept",
    describeRoute({ summary: "The lead social worker accepts the assignment", tags }),
    requireRole("social_worker"),
    validate("param", IdParam),
    async (c) => c.json(await acceptEvent(actorOf(c), c.req.valid("param").id)),
  )
  .post(
    "/:id/decline",
    describeRoute({
      summary: "The lead social worker declines; the event is cancelled and the need reopens",
      tags,
    }),
    requireRole("social_worker"),
    validate("param", IdParam),
    validate("json", OptionalReason),
    async (c) => {
      const { reason } = c.req.valid("json");
      return c.json(await declineEvent(actorOf(c), c.req.valid("param").id, reason));
    },
  );
