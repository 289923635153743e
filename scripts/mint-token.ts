/**
 * Mints an API token and prints it once.
 *
 *   npm run token:mint -- --account <account id> [--label text] [--days 90]
 *   npm run token:mint -- --role department --name "沈河区委社会工作部" --region 210103
 *   npm run token:mint -- --role admin --name "省委社会工作部"
 *   npm run token:mint -- --account <id> --login duofu --password '<password>'   (staff pages sign-in)
 *
 * With DATABASE_URL set it talks to that Postgres (Neon: add ?sslmode=require); without it, it
 * opens the local development database in .pglite/dev (stop `npm run dev` first: PGlite allows
 * one process at a time).
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { hashPassword } from "../src/auth/passwords";
import { mintToken } from "../src/auth/tokens";
import type { Queryable } from "../src/db/client";
import * as schema from "../src/db/schema";
import { type Role, roles } from "../src/domain/vocabulary";
import { startPglite } from "./lib/database";

const { values } = parseArgs({
  options: {
    account: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    region: { type: "string" },
    community: { type: "string" },
    "social-worker": { type: "string" },
    label: { type: "string", default: "minted by script" },
    days: { type: "string" },
    login: { type: "string" },
    password: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function openDatabase(): Promise<{ db: Queryable; close(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    return {
      db: drizzle(pool, { schema, casing: "snake_case" }) as unknown as Queryable,
      close: () => pool.end(),
    };
  }
  const local = await startPglite({ dataDir: new URL("../.pglite/dev", import.meta.url).pathname });
  return { db: local.db, close: () => local.close() };
}

const { db, close } = await openDatabase();
try {
  let accountId = values.account;
  if (!accountId) {
    const role = values.role as Role | undefined;
    if (!role || !roles.includes(role) || !values.name)
      fail(
        "Give --account <id>, or --role and --name (see the comment at the top of this script).",
      );
    const [account] = await db
      .insert(schema.accounts)
      .values({
        name: values.name,
        role,
        regionCode: values.region ?? null,
        communityId: values.community ?? null,
        socialWorkerId: values["social-worker"] ?? null,
      })
      .returning({ id: schema.accounts.id });
    accountId = account?.id ?? fail("the account was not created");
    console.log(`Created ${role} account ${accountId}`);
  }
  if (values.login || values.password) {
    if (!values.login || !values.password || values.password.length < 10) {
      fail("Give both --login and --password (at least 10 characters) to set a sign-in.");
    }
    await db
      .update(schema.accounts)
      .set({ loginName: values.login, passwordHash: await hashPassword(values.password) })
      .where(eq(schema.accounts.id, accountId));
    console.log(`Sign-in for the staff pages set: ${values.login}`);
  }
  const days = values.days ? Number(values.days) : undefined;
  const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : undefined;
  const { id, token } = await mintToken(db, accountId, { label: values.label, expiresAt });
  console.log(`Token ${id} (store it now; only its hash is kept):\n${token}`);
} finally {
  await close();
}
