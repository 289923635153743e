import { and, eq, inArray, ne } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { requireAuth, requireRole } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import { communities, events, needs } from "../db/schema";
import type { AppEnv } from "../env";
import { eventById } from "../events/booking";
import { changeWithAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { findNeed, listNeeds, storedWindows, windowBounds } from "./queries";
import { AcceptCandidate, CreateNeed, ListNeedsQuery, UpdateNeed } from "./schemas";
import { acceptCandidate, insertNeed, rankNeedCandidates } from "./service";

const tags = ["needs"];

/** The community a new need belongs to: the coordinator's own, or the one an admin names. */
function communityFor(principal: Principal, requested: string | undefined): string {
  if (principal.scope.kind === "community") {
    if (requested && requested !== principal.scope.communityId) throw notFound("community");
    return principal.scope.communityId;
  }
  if (!requested) {
    throw new AppError("VALIDATION_FAILED", "name the community", {
      issues: [{ path: "communityId", message: "required for an admin" }],
    });
  }
  return requested;
}

/** 服务需求: coordinators post and manage their community's needs; departments read their region's. */
export const needRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List needs",
      description: "`from`/`to` select needs whose windows overlap the period.",
      tags,
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", ListNeedsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listNeeds(c.var.db, c.var.principal.scope, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/",
    describeRoute({ summary: "Post a service need", tags }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("json", CreateNeed),
    async (c) => {
      const { communityId: requested, windows, ...input } = c.req.valid("json");
      const communityId = communityFor(c.var.principal, requested);
      const [community] = await c.var.db
        .select({ id: communities.id })
        .from(communities)
        .where(eq(communities.id, communityId));
      if (!community) throw notFound("community");
      const id = await insertNeed(c, communityId, { ...input, windows });
      const need = await findNeed(c.var.db, { kind: "all" }, id);
      return c.json(need, 201);
    },
  )
  .get(
    "/:id",
    describeRoute({ summary: "Get a need", tags }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const need = await findNeed(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!need) throw notFound("need");
      return c.json(need);
    },
  )
  .patch(
    "/:id",
    describeRoute({ summary: "Change an open need", tags }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", UpdateNeed),
    async (c) => {
      const { id } = c.req.valid("param");
      const { windows, ...changes } = c.req.valid("json");
      const after = await changeWithAudit(c, {
        entity: "need",
        label: "need",
        action: "update",
        entityId: id,
        find: (tx) => findNeed(tx, c.var.principal.scope, id, { forUpdate: true }),
        apply: async (tx, before) => {
          if (before.status !== "open")
            throw new AppError(
              "CONFLICT",
              `the need is ${before.status}; only open needs can change`,
            );
          await tx
            .update(needs)
            .set({
              ...changes,
              ...(windows ? { windows: storedWindows(windows), ...windowBounds(windows) } : {}),
              updatedAt: new Date(),
            })
            .where(eq(needs.id, id));
          return findNeed(tx, { kind: "all" }, id);
        },
      });
      return c.json(after);
    },
  )
  .post(
    "/:id/withdraw",
    describeRoute({ summary: "Withdraw a need; its scheduled event, if any, is cancelled", tags }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      const after = await changeWithAudit(c, {
        entity: "need",
        label: "need",
        action: "withdraw",
        entityId: id,
        find: (tx) => findNeed(tx, c.var.principal.scope, id, { forUpdate: true }),
        apply: async (tx, before) => {
          if (before.status === "closed" || before.status === "withdrawn") {
            throw new AppError("CONFLICT", `the need is already ${before.status}`);
          }
          await tx
            .update(events)
            .set({
              status: "cancelled",
              cancelReason: "the need was withdrawn",
              updatedAt: new Date(),
            })
            .where(
              and(
                eq(events.needId, id),
                ne(events.status, "cancelled"),
                inArray(events.status, ["scheduled"]),
              ),
            );
          await tx
            .update(needs)
            .set({ status: "withdrawn", updatedAt: new Date() })
            .where(eq(needs.id, id));
          return findNeed(tx, { kind: "all" }, id);
        },
      });
      return c.json(after);
    },
  )
  .get(
    "/:id/candidates",
    describeRoute({
      summary: "Ranked (social worker, volunteer team, start) candidates with their score parts",
      description:
        "Also counts the pairs the hard filters excluded, by reason. Weights: src/matching/weights.ts.",
      tags,
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const need = await findNeed(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!need) throw notFound("need");
      return c.json({ needId: need.id, ...(await rankNeedCandidates(c.var.db, need, 20)) });
    },
  )
  .post(
    "/:id/accept",
    describeRoute({
      summary: "Pick a candidate (any, not only the first): creates the event",
      description:
        "409 OVERLAP with `conflictingEventId` if the social worker or team is already booked then.",
      tags,
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("param", IdParam),
    validate("json", AcceptCandidate),
    async (c) => {
      const need = await findNeed(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!need) throw notFound("need");
      const eventId = await acceptCandidate(c, need, c.req.valid("json"));
      return c.json(await eventById(c.var.db, eventId), 201);
    },
  );
