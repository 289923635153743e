import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../auth/middleware";
import type { Queryable } from "../db/client";
import { events, needs } from "../db/schema";
import type { AppEnv } from "../env";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { enqueueEventNotifications } from "../notifications/outbox";
import { eventById, reopenNeeds } from "./booking";
import { type EventRow, findEvent, listEvents, overlapConflict } from "./queries";
import {
  ListEventsQuery,
  OptionalReason,
  RescheduleEvent,
  UpdateEvent,
  WithReason,
} from "./schemas";

const tags = ["events"];

/**
 * Locks a scheduled event in the caller's scope, applies `change`, audits it with the reason,
 * and returns the event as it now is. Anything but a scheduled event is a 409.
 */
async function changeEvent(
  c: Context<AppEnv>,
  id: string,
  action: string,
  reason: string | undefined,
  change: (tx: Queryable, before: EventRow) => Promise<void>,
): Promise<EventRow> {
  await c.var.db.transaction(async (tx) => {
    const before = await findEvent(tx, c.var.principal.scope, id, { forUpdate: true });
    if (!before) throw notFound("event");
    if (before.status !== "scheduled") {
      throw new AppError(
        "CONFLICT",
        `the event is ${before.status}; only scheduled events can change`,
      );
    }
    await change(tx, before);
    await tx
      .update(events)
      .set({ revision: sql`${events.revision} + 1`, updatedAt: new Date() })
      .where(eq(events.id, id));
    const after = await eventById(tx, id);
    await recordAudit(tx, c, {
      action,
      entity: "event",
      entityId: id,
      before,
      after: { ...after, reason },
    });
  });
  return eventById(c.var.db, id);
}

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
    async (c) => {
      const { id } = c.req.valid("param");
      const { start, end, reason } = c.req.valid("json");
      let booking: Parameters<typeof overlapConflict>[2] | undefined;
      try {
        const event = await changeEvent(c, id, "reschedule", reason, async (tx, before) => {
          const newEnd =
            end ??
            new Date(start.getTime() + (before.endsAt.getTime() - before.startsAt.getTime()));
          booking = {
            socialWorkerId: before.leadSocialWorkerId,
            teamIds: before.teamIds,
            start,
            end: newEnd,
            eventId: id,
          };
          await tx
            .update(events)
            .set({ startsAt: start, endsAt: newEnd, signupClosesAt: start })
            .where(eq(events.id, id));
          await enqueueEventNotifications(tx, "event_changed", id, {
            previousStartsAt: before.startsAt.toISOString(),
          });
        });
        return c.json(event);
      } catch (error) {
        throw (booking && (await overlapConflict(c.var.db, error, booking))) ?? error;
      }
    },
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
    async (c) => {
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      const event = await changeEvent(c, id, "update", undefined, async (tx) => {
        await tx.update(events).set(changes).where(eq(events.id, id));
      });
      return c.json(event);
    },
  )
  .post(
    "/:id/cancel",
    describeRoute({ summary: "Cancel an event; its need opens again for matching", tags }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", WithReason),
    async (c) => {
      const { id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      const event = await changeEvent(c, id, "cancel", reason, async (tx, before) => {
        await tx
          .update(events)
          .set({ status: "cancelled", cancelReason: reason })
          .where(eq(events.id, id));
        await reopenNeeds(tx, [before.needId]);
        await enqueueEventNotifications(tx, "event_cancelled", id, { reason });
      });
      return c.json(event);
    },
  )
  .post(
    "/:id/accept",
    describeRoute({ summary: "The lead social worker accepts the assignment", tags }),
    requireRole("social_worker"),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      const event = await changeEvent(c, id, "accept", undefined, async (tx, before) => {
        await tx.update(events).set({ leadResponse: "accepted" }).where(eq(events.id, id));
        if (before.needId) {
          await tx
            .update(needs)
            .set({ status: "scheduled", updatedAt: new Date() })
            .where(eq(needs.id, before.needId));
        }
      });
      return c.json(event);
    },
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
      const { id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      const event = await changeEvent(c, id, "decline", reason, async (tx, before) => {
        await tx
          .update(events)
          .set({
            leadResponse: "declined",
            status: "cancelled",
            cancelReason: `declined by the social worker${reason ? `: ${reason}` : ""}`,
          })
          .where(eq(events.id, id));
        await reopenNeeds(tx, [before.needId]);
        await enqueueEventNotifications(tx, "event_cancelled", id);
      });
      return c.json(event);
    },
  );
