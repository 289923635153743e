import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { roles } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { paginationQuery, toPage } from "../lib/pagination";
import { IdParam, Name, RegionCode, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import {
  createAccount,
  listAccounts,
  listAccountTokens,
  mintAccountToken,
  revokeAccountToken,
} from "./accounts";
import { actorOf } from "./actor";
import { requireAuth, requireRole } from "./middleware";

const tags = ["accounts"];

const CreateAccount = v.variant("role", [
  v.strictObject({ role: v.literal("admin"), name: Name }),
  v.strictObject({ role: v.literal("department"), name: Name, regionCode: RegionCode }),
  v.strictObject({ role: v.literal("coordinator"), name: Name, communityId: Uuid }),
  v.strictObject({ role: v.literal("social_worker"), name: Name, socialWorkerId: Uuid }),
]);

const MintToken = v.strictObject({
  label: v.optional(v.pipe(v.string(), v.maxLength(100)), ""),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366))),
});

/** Staff accounts and their API tokens: admin only. Tokens are shown once and stored hashed. */
export const accountRoutes = new Hono<AppEnv>()
  .use("/accounts/*", requireAuth, requireRole("admin"))
  .use("/tokens/*", requireAuth, requireRole("admin"))
  .get(
    "/accounts",
    describeRoute({ summary: "List staff accounts", tags }),
    validate("query", v.strictObject({ role: v.optional(v.picklist(roles)), ...paginationQuery })),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listAccounts(c.var.db, query);
      return c.json(toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/accounts",
    describeRoute({ summary: "Create a staff account with a role and scope", tags }),
    validate("json", CreateAccount),
    async (c) => c.json(await createAccount(actorOf(c), c.req.valid("json")), 201),
  )
  .post(
    "/accounts/:id/tokens",
    describeRoute({ summary: "Mint an API token for an account (shown once)", tags }),
    validate("param", IdParam),
    validate("json", MintToken),
    async (c) => {
      const result = await mintAccountToken(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      c.header("Cache-Control", "no-store");
      return c.json(result, 201);
    },
  )
  .get(
    "/accounts/:id/tokens",
    describeRoute({ summary: "List an account's tokens (never the secrets)", tags }),
    validate("param", IdParam),
    async (c) => c.json({ data: await listAccountTokens(c.var.db, c.req.valid("param").id) }),
  )
  .delete(
    "/tokens/:id",
    describeRoute({ summary: "Revoke an API token; it stops working at once", tags }),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await revokeAccountToken(actorOf(c), id);
      return c.json({ id, revoked: true });
    },
  );
