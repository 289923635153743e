import { and, asc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { accounts, apiTokens, communities, regions, socialWorkers } from "../db/schema";
import { roles } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { paginationQuery, toPage } from "../lib/pagination";
import { IdParam, Name, RegionCode, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { requireAuth, requireRole } from "./middleware";
import { mintToken, revokeToken } from "./tokens";

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

const accountColumns = {
  id: accounts.id,
  name: accounts.name,
  role: accounts.role,
  regionCode: accounts.regionCode,
  communityId: accounts.communityId,
  socialWorkerId: accounts.socialWorkerId,
  active: accounts.active,
  createdAt: accounts.createdAt,
};

async function assertScopeExists(
  db: AppEnv["Variables"]["db"],
  input: v.InferOutput<typeof CreateAccount>,
) {
  const [path, found] =
    input.role === "department"
      ? [
          "regionCode",
          await db
            .select({ id: regions.code })
            .from(regions)
            .where(eq(regions.code, input.regionCode)),
        ]
      : input.role === "coordinator"
        ? [
            "communityId",
            await db
              .select({ id: communities.id })
              .from(communities)
              .where(eq(communities.id, input.communityId)),
          ]
        : input.role === "social_worker"
          ? [
              "socialWorkerId",
              await db
                .select({ id: socialWorkers.id })
                .from(socialWorkers)
                .where(eq(socialWorkers.id, input.socialWorkerId)),
            ]
          : ["", [{ id: "" }]];
  if (found.length === 0) {
    throw new AppError("VALIDATION_FAILED", "the account's scope does not exist", {
      issues: [{ path, message: "no such record" }],
    });
  }
}

/** Staff accounts and their API tokens: admin only. Tokens are shown once and stored hashed. */
export const accountRoutes = new Hono<AppEnv>()
  .use("/accounts/*", requireAuth, requireRole("admin"))
  .use("/tokens/*", requireAuth, requireRole("admin"))
  .get(
    "/accounts",
    describeRoute({ summary: "List staff accounts", tags }),
    validate("query", v.strictObject({ role: v.optional(v.picklist(roles)), ...paginationQuery })),
    async (c) => {
      const { role, limit, offset } = c.req.valid("query");
      const rows = await c.var.db
        .select({ ...accountColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
        .from(accounts)
        .where(role ? eq(accounts.role, role) : undefined)
        .orderBy(asc(accounts.createdAt), asc(accounts.id))
        .limit(limit)
        .offset(offset);
      return c.json(toPage(rows, limit, offset));
    },
  )
  .post(
    "/accounts",
    describeRoute({ summary: "Create a staff account with a role and scope", tags }),
    validate("json", CreateAccount),
    async (c) => {
      const input = c.req.valid("json");
      await assertScopeExists(c.var.db, input);
      const created = await c.var.db.transaction(async (tx) => {
        const [row] = await tx.insert(accounts).values(input).returning(accountColumns);
        if (!row) throw new Error("insert returned no row");
        await recordAudit(tx, c, {
          action: "create",
          entity: "account",
          entityId: row.id,
          after: row,
        });
        return row;
      });
      return c.json(created, 201);
    },
  )
  .post(
    "/accounts/:id/tokens",
    describeRoute({ summary: "Mint an API token for an account (shown once)", tags }),
    validate("param", IdParam),
    validate("json", MintToken),
    async (c) => {
      const { id } = c.req.valid("param");
      const { label, expiresInDays } = c.req.valid("json");
      const result = await c.var.db.transaction(async (tx) => {
        const [account] = await tx
          .select({ id: accounts.id })
          .from(accounts)
          .where(and(eq(accounts.id, id), eq(accounts.active, true)));
        if (!account) throw notFound("account");
        const expiresAt = expiresInDays
          ? new Date(Date.now() + expiresInDays * 86_400_000)
          : undefined;
        const minted = await mintToken(tx, id, { label, expiresAt });
        await recordAudit(tx, c, {
          action: "mint_token",
          entity: "api_token",
          entityId: minted.id,
          after: { accountId: id, label },
        });
        return { ...minted, expiresAt: expiresAt?.toISOString() ?? null };
      });
      c.header("Cache-Control", "no-store");
      return c.json(result, 201);
    },
  )
  .get(
    "/accounts/:id/tokens",
    describeRoute({ summary: "List an account's tokens (never the secrets)", tags }),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      const rows = await c.var.db
        .select({
          id: apiTokens.id,
          label: apiTokens.label,
          createdAt: apiTokens.createdAt,
          expiresAt: apiTokens.expiresAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.accountId, id))
        .orderBy(asc(apiTokens.createdAt));
      return c.json({ data: rows });
    },
  )
  .delete(
    "/tokens/:id",
    describeRoute({ summary: "Revoke an API token; it stops working at once", tags }),
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.var.db.transaction(async (tx) => {
        if (!(await revokeToken(tx, id))) throw notFound("token");
        await recordAudit(tx, c, { action: "revoke_token", entity: "api_token", entityId: id });
      });
      return c.json({ id, revoked: true });
    },
  );
