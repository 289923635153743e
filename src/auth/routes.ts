import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { roles } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { paginationQuery, toPage } from "../lib/pagination";
import { created, ok, Page, reply, responses, Timestamp, WRITE } from "../lib/responses";
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

const AccountOut = v.object({
  id: v.string(),
  name: v.string(),
  role: v.picklist(roles),
  regionCode: v.nullable(v.string()),
  communityId: v.nullable(v.string()),
  socialWorkerId: v.nullable(v.string()),
  active: v.boolean(),
  createdAt: Timestamp,
});
const AccountPage = Page(AccountOut);
const MintedOut = v.object({ id: v.string(), token: v.string(), expiresAt: v.nullable(Timestamp) });
const TokenList = v.object({
  data: v.array(
    v.object({
      id: v.string(),
      label: v.string(),
      createdAt: Timestamp,
      expiresAt: v.nullable(Timestamp),
      revokedAt: v.nullable(Timestamp),
    }),
  ),
});
const RevokedOut = v.object({ id: v.string(), revoked: v.literal(true) });
const admin = { auth: true, roles: true } as const;

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
    describeRoute({
      summary: "List staff accounts",
      tags,
      responses: responses(ok("A page of accounts", AccountPage), { ...admin, input: true }),
    }),
    validate("query", v.strictObject({ role: v.optional(v.picklist(roles)), ...paginationQuery })),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listAccounts(c.var.db, query);
      return reply(c, AccountPage, toPage(rows, query.limit, query.offset));
    },
  )
  .post(
    "/accounts",
    describeRoute({
      summary: "Create a staff account with a role and scope",
      tags,
      responses: responses(created("The new account", AccountOut), WRITE),
    }),
    validate("json", CreateAccount),
    async (c) => reply(c, AccountOut, await createAccount(actorOf(c), c.req.valid("json")), 201),
  )
  .post(
    "/accounts/:id/tokens",
    describeRoute({
      summary: "Mint an API token for an account (shown once)",
      tags,
      responses: responses(created("The token, shown this once", MintedOut), {
        ...WRITE,
        id: true,
      }),
    }),
    validate("param", IdParam),
    validate("json", MintToken),
    async (c) => {
      const result = await mintAccountToken(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      c.header("Cache-Control", "no-store");
      return reply(c, MintedOut, result, 201);
    },
  )
  .get(
    "/accounts/:id/tokens",
    describeRoute({
      summary: "List an account's tokens (never the secrets)",
      tags,
      responses: responses(ok("The tokens", TokenList), { ...admin, input: true }),
    }),
    validate("param", IdParam),
    async (c) =>
      reply(c, TokenList, { data: await listAccountTokens(c.var.db, c.req.valid("param").id) }),
  )
  .delete(
    "/tokens/:id",
    describeRoute({
      summary: "Revoke an API token; it stops working at once",
      tags,
      responses: responses(ok("The token, revoked", RevokedOut), {
        ...admin,
        id: true,
        input: true,
      }),
    }),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await revokeAccountToken(actorOf(c), id);
      return reply(c, RevokedOut, { id, revoked: true as const });
    },
  );
