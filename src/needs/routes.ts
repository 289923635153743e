import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { rankNeedCandidates } from "./candidates";
import { findNeed, listNeeds } from "./queries";
import { AcceptCandidate, CreateNeed, ListNeedsQuery, UpdateNeed } from "./schemas";
import { acceptCandidate, postNeed, updateNeed, withdrawNeed } from "./service";

const tags = ["needs"];

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
    async (c) => c.json(await postNeed(actorOf(c), c.req.valid("json")), 201),
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
    async (c) => c.json(await updateNeed(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .post(
    "/:id/withdraw",
    describeRoute({ summary: "Withdraw a need; its scheduled event, if any, is cancelled", tags }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    async (c) => c.json(await withdrawNeed(actorOf(c), c.req.valid("param").id)),
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
      const event = await acceptCandidate(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json(event, 201);
    },
  );
