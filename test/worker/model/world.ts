import { env } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { hashPassword } from "../../../src/auth/passwords";
import type { Principal, Scope } from "../../../src/auth/principal";
import { mintToken } from "../../../src/auth/tokens";
import { createDatabase, type Database } from "../../../src/db/client";
import { accounts, socialWorkers, volunteerTeams } from "../../../src/db/schema";
import type { Role } from "../../../src/domain/vocabulary";
import { readConfig } from "../../../src/env";
import { makeCommunity, places, unique } from "../factories";
import { testKeys, withDb } from "../helpers";
import { type Account, api, type Driver } from "./driver";

/*
 * One small world per run: a fresh community with its coordinator, two or three social workers,
 * two volunteer teams (so nothing collides with another run's or another file's events), and the
 * file's admin and county department. Every account has an API token and a page login.
 */

export interface Worker extends Account {
  id: string;
  /** The secret of the worker's calendar feed (`/calendar/<feed>.ics`). */
  feed: string;
}

export interface World extends Driver {
  community: { id: string; regionCode: string };
  coordinator: Account;
  admin: Account;
  department: Account;
  /** The coordinator of another community: everything of this world is a 404 to them. */
  outsider: Account;
  workers: Worker[];
  teams: string[];
  /** The volunteers' mobiles: a sign-up picks one, so the same person may come twice. */
  mobiles: string[];
  close(): Promise<void>;
}

/** Accounts and a password shared by every run of the file. */
export interface Shared {
  password: string;
  passwordHash: string;
  admin: Account;
  department: Account;
  outsider: Account;
}

type AccountScope =
  | { role: "admin" }
  | { role: "department"; regionCode: string }
  | { role: "coordinator"; communityId: string }
  | { role: "social_worker"; socialWorkerId: string };

async function makeAccount(
  db: Database,
  shared: Pick<Shared, "password" | "passwordHash">,
  values: AccountScope,
  scope: Scope,
): Promise<Account> {
  const loginName = unique(`model-${values.role}-`);
  const [row] = await db
    .insert(accounts)
    .values({ name: unique("模型-"), loginName, passwordHash: shared.passwordHash, ...values })
    .returning({ id: accounts.id, name: accounts.name });
  if (!row) throw new Error("no account");
  const { id: tokenId, token } = await mintToken(db, row.id, { label: "model" });
  const principal: Principal = {
    accountId: row.id,
    name: row.name,
    role: values.role as Role,
    scope,
    tokenId,
  };
  return { token, login: { accountId: row.id, loginName, password: shared.password }, principal };
}

/**
 * 沈阳 counties no other test file makes communities in (they use 沈河区, 大东区 and 浑南区 …
 * 辽中区), with about 1,500 communities between them: a run takes one, and so does every
 * attempt while a failure shrinks.
 */
export const MODEL_COUNTIES = [
  "210102",
  "210105",
  "210106",
  "210111",
  "210123",
  "210124",
  "210181",
];

/** The admin, the 沈阳市 department and another community's coordinator every run shares. */
export async function makeShared(): Promise<Shared> {
  const password = unique("pw-");
  const passwordHash = await hashPassword(password);
  const base = { password, passwordHash };
  const elsewhere = await makeCommunity(MODEL_COUNTIES[0] as string);
  return withDb(async (db) => ({
    ...base,
    admin: await makeAccount(db, base, { role: "admin" }, { kind: "all" }),
    department: await makeAccount(
      db,
      base,
      { role: "department", regionCode: places.shenyang },
      { kind: "region", regionCode: places.shenyang, prefix: "2101" },
    ),
    outsider: await makeAccount(
      db,
      base,
      { role: "coordinator", communityId: elsewhere.id },
      { kind: "community", communityId: elsewhere.id, regionCode: elsewhere.regionCode },
    ),
  }));
}

/** A new world in `county`: community, coordinator, social workers with feeds, two teams. */
export async function makeWorld(
  shared: Shared,
  spec: { county: string; workers: number; mobiles: string[]; now: number },
): Promise<World> {
  const { county, now } = spec;
  const community = await makeCommunity(county);
  const handle = createDatabase(readConfig(env));
  const db = handle.db;
  try {
    const coordinator = await makeAccount(
      db,
      shared,
      { role: "coordinator", communityId: community.id },
      { kind: "community", communityId: community.id, regionCode: community.regionCode },
    );
    const workers: Worker[] = [];
    for (let i = 0; i < spec.workers; i++) {
      const [worker] = await db
        .insert(socialWorkers)
        .values({
          name: unique("模型社工-"),
          certificateLevel: "intermediate",
          skills: ["counselling"],
          homeCountyCode: county,
          // Far above what a run books, so the weekly-capacity filter never decides a pick.
          weeklyCapacity: 20,
        })
        .returning({ id: socialWorkers.id });
      if (!worker) throw new Error("no social worker");
      const account = await makeAccount(
        db,
        shared,
        { role: "social_worker", socialWorkerId: worker.id },
        { kind: "social_worker", socialWorkerId: worker.id },
      );
      const feed = await api("POST", "/calendar-feeds", { as: account, json: {}, now });
      if (feed.status !== 201) throw new Error(`calendar feed: ${feed.status} ${feed.text}`);
      const secret = /\/calendar\/([^/]+)\.ics$/.exec(feed.body.url)?.[1] ?? "";
      workers.push({ ...account, id: worker.id, feed: secret });
    }
    const teams = await db
      .insert(volunteerTeams)
      .values(
        [0, 1].map(() => ({
          name: unique("模型服务队-"),
          countyCode: county,
          skills: ["counselling" as const],
          size: 10,
        })),
      )
      .returning({ id: volunteerTeams.id });
    return {
      db,
      keys: await testKeys(),
      community: { id: community.id, regionCode: community.regionCode },
      coordinator,
      admin: shared.admin,
      department: shared.department,
      outsider: shared.outsider,
      workers,
      teams: teams.map((t) => t.id),
      mobiles: spec.mobiles,
      close: async () => {
        // Out of the candidate lists of the other files' needs once the run is over.
        await db
          .update(socialWorkers)
          .set({ active: false })
          .where(
            inArray(
              socialWorkers.id,
              workers.map((w) => w.id),
            ),
          );
        await db
          .update(volunteerTeams)
          .set({ active: false })
          .where(
            inArray(
              volunteerTeams.id,
              teams.map((t) => t.id),
            ),
          );
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
