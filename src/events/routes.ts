import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { ok, reply, responses } from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { findEvent, listEvents } from "./queries";
import {
  EventOut,
  EventPage,
  ListEventsQuery,
  OptionalReason,
  RescheduleEvent,
  UpdateEvent,
  WithReason,
} from "./schemas";
import { acceptEvent, cancelEvent, declineEvent, rescheduleEvent, updateEvent } from "./service";

const tags = ["events"];

/** What a staff change of one event can answer: the event as it now is, or why not. */
const change = (description: string) =>
  responses(ok(description, EventOut), {
    auth: true,
    roles: true,
    id: true,
    input: true,
    conflict: true,
    body: true,
  });

/** 服务活动: scheduled services. The lead social worker accepts or declines; staff reschedule or cancel. */
export const eventRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List events",
      description:
        "`from`/`to` select events overlapping the period. Ordered by start (default) or by " +
        "creation (`sort=created`). Page with `limit` and `offset`, or pass `page.nextCursor` as " +
        "`cursor` (null on the last page): in creation order a walk never repeats or skips an " +
        "event that existed when it began, whatever is rescheduled meanwhile. `total` counts the " +
        "events from the cursor on.",
      tags,
      responses: responses(ok("A page of events in your scope", EventPage), {
        auth: true,
        input: true,
      }),
    }),
    validate("query", ListEventsQuery),
    async (c) => {
      const query = c.req.valid("query");
      return reply(c, EventPage, await listEvents(c.var.db, c.var.principal.scope, query));
    },
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get an event",
      tags,
      responses: responses(ok("The event", EventOut), { auth: true, id: true, input: true }),
    }),
    validate("param", IdParam),
    async (c) => {
      const event = await findEvent(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!event) throw notFound("event");
      return reply(c, EventOut, event);
    },
  )
  .post(
    "/:id/reschedule",
    describeRoute({
      summary:
        "Move an event (409 with the conflicting event's id if anyone would be double-booked)",
      description:
        "Refused (409) into the past. A sign-up closing time staff set keeps its distance from " +
        "the start; everyone signed up is told the new time.",
      tags,
      responses: change("The event at its new time"),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", RescheduleEvent),
    async (c) => {
      const event = await rescheduleEvent(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return reply(c, EventOut, event);
    },
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change a scheduled event's title, capacity or sign-up closing time",
      description:
        "More places go at once to the waitlisted, first come first served, each told. Lowering " +
        "the capacity below the confirmed sign-ups is refused by the database (409); so is any " +
        "change once the event is over.",
      tags,
      responses: change("The event as it now is"),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", UpdateEvent),
    async (c) => {
      const event = await updateEvent(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return reply(c, EventOut, event);
    },
  )
  .post(
    "/:id/cancel",
    describeRoute({
      summary: "Cancel an event; its need opens again for matching",
      tags,
      responses: change("The cancelled event"),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", WithReason),
    async (c) => {
      const { reason } = c.req.valid("json");
      return reply(c, EventOut, await cancelEvent(actorOf(c), c.req.valid("param").id, reason));
    },
  )
  .post(
    "/:id/accept",
    describeRoute({
      summary: "The lead social worker accepts the assignment",
      tags,
      responses: change("The accepted event"),
    }),
    requireRole("social_worker"),
    validate("param", IdParam),
    async (c) => reply(c, EventOut, await acceptEvent(actorOf(c), c.req.valid("param").id)),
  )
  .post(
    "/:id/decline",
    describeRoute({
      summary: "The lead social worker declines; the event is cancelled and the need reopens",
      tags,
      responses: change("The declined (cancelled) event"),
    }),
    requireRole("social_worker"),
    validate("param", IdParam),
    validate("json", OptionalReason),
    async (c) => {
      const { reason } = c.req.valid("json");
      return reply(c, EventOut, await declineEvent(actorOf(c), c.req.valid("param").id, reason));
    },
  );
