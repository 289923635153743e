import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { EventOut } from "../events/schemas";
import { notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { created, IDEMPOTENCY_KEY, ok, reply, responses, WRITE } from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { findNeed, listNeeds } from "./queries";
import {
  AcceptCandidate,
  CandidatesOut,
  CreateNeed,
  ListNeedsQuery,
  NeedOut,
  NeedPage,
  UpdateNeed,
} from "./schemas";
import { acceptCandidate, postNeed, rankNeedCandidates, updateNeed, withdrawNeed } from "./service";

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
      responses: responses(ok("A page of needs in your scope", NeedPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("query", ListNeedsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listNeeds(c.var.db, c.var.principal.scope, query);
      return reply(c, NeedPage, toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Post a service need",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      // 404: the community named does not exist or is not the caller's.
      responses: responses(created("The new need", NeedOut), { ...WRITE, id: true }),
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("json", CreateNeed),
    async (c) => reply(c, NeedOut, await postNeed(actorOf(c), c.req.valid("json")), 201),
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get a need",
      tags,
      responses: responses(ok("The need", NeedOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const need = await findNeed(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!need) throw notFound("need");
      return reply(c, NeedOut, need);
    },
  )
  .patch(
    "/:id",
    describeRoute({
      summary: "Change an open need",
      tags,
      responses: responses(ok("The need as it now is", NeedOut), { ...WRITE, id: true }),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", UpdateNeed),
    async (c) =>
      reply(c, NeedOut, await updateNeed(actorOf(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .post(
    "/:id/withdraw",
    describeRoute({
      summary: "Withdraw a need; its scheduled event, if any, is cancelled",
      description:
        "Each scheduled event of the need is cancelled exactly as by `POST /events/{id}/cancel`.",
      tags,
      responses: responses(ok("The withdrawn need", NeedOut), { ...WRITE, id: true }),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    async (c) => reply(c, NeedOut, await withdrawNeed(actorOf(c), c.req.valid("param").id)),
  )
  .get(
    "/:id/candidates",
    describeRoute({
      summary: "Ranked (social worker, volunteer team, start) candidates with their score parts",
      description:
        "Also counts the pairs the hard filters excluded, by reason. Weights: src/matching/weights.ts.",
      tags,
      responses: responses(ok("The best 20 candidates, best first", CandidatesOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", IdParam),
    async (c) => {
      const need = await findNeed(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!need) throw notFound("need");
      const ranked = await rankNeedCandidates(c.var.db, need, 20);
      return reply(c, CandidatesOut, { needId: need.id, ...ranked });
    },
  )
  .post(
    "/:id/accept",
    describeRoute({
      summary: "Pick a candidate (any, not only the first): creates the event",
      description:
        "409 OVERLAP with `conflictingEventId` if the social worker or team is already booked then; " +
        "409 with `reasons` if the pair no longer meets the need (e.g. `worker_at_capacity`).",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(created("The event booked", EventOut), { ...WRITE, id: true }),
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("param", IdParam),
    validate("json", AcceptCandidate),
    async (c) => {
      const event = await acceptCandidate(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return reply(c, EventOut, event, 201);
    },
  );
