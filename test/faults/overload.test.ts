/**
 * Graceful overload: every server connection of the pool is taken (PgBouncer with a pool of 2,
 * both held by open transactions), and a crowd of sign-ups arrives. Each request waits in the
 * pool, and when its query limit (QUERY_TIMEOUT_MS) passes it answers 503 with Retry-After: never
 * a 500, never a hang, no uncaught exception in the Worker's log, and nothing stored for a 503.
 * When the pool frees up, sign-ups go through again without a restart.
 *
 * Runs only with TEST_DATABASE=postgres (`npm run test:postgres`): it needs PostgreSQL and PgBouncer.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/database";
import { type Stack, startStack } from "../../scripts/lib/stack";

const POOL_SIZE = 2;
const CROWD = 30;
/** How long a request's query may wait; the pool is held far longer than this. */
const QUERY_TIMEOUT_MS = 2_000;

let stack: Stack;
let workerLog = "";
let eventId: string;

async function signUp(mobile: string) {
  const response = await fetch(`${stack.url}/api/v1/events/${eventId}/signups`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "排队志愿者", mobile, consent: true }),
  });
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code: string } }
    | undefined;
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body };
}

/** Opens a transaction through PgBouncer and keeps it open: one server connection taken. */
async function holdServerConnection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  client.on("error", () => {});
  await client.connect();
  await client.query("begin");
  await client.query("select 1");
  return client;
}

describe("the database pool saturated", () => {
  beforeAll(async () => {
    stack = await startStack({
      port: await freePort(),
      database: "postgres",
      quiet: true,
      tokenLabel: "overload tests",
      pgbouncer: { poolSize: POOL_SIZE, queryWaitTimeout: 120 },
      vars: {
        QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        SIGNUP_RATE_LIMIT_PER_CLIENT: "1000000",
        SIGNUP_RATE_LIMIT_PER_EVENT: "1000000",
      },
      workerLogs: true,
      onOutput: (text) => {
        workerLog += text;
      },
    });
    const direct = new pg.Client({ connectionString: stack.directUrl });
    await direct.connect();
    const { rows } = await direct.query<{ id: string }>(
      `insert into events (community_id, service_type, title, lead_social_worker_id,
                           starts_at, ends_at, capacity)
       select (select id from communities order by id limit 1), 'counselling', '排队测试',
              (select id from social_workers order by id limit 1),
              date_trunc('day', now()) + interval '700 days 9 hours',
              date_trunc('day', now()) + interval '700 days 11 hours', 100
       returning id`,
    );
    await direct.end();
    eventId = rows[0]?.id ?? "";
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("answers a crowd 503 with Retry-After while every connection is taken, then recovers", async () => {
    const holders = await Promise.all(
      Array.from({ length: POOL_SIZE }, () => holdServerConnection()),
    );
    const answers = await Promise.all(
      Array.from({ length: CROWD }, (_, i) => signUp(`1360000${String(i).padStart(4, "0")}`)),
    );
    for (const holder of holders) {
      await holder.query("commit");
      await holder.end();
    }

    const unexpected = answers.filter(
      (a) => a.status !== 503 || !a.retryAfter || a.body?.error?.code !== "DATABASE_UNAVAILABLE",
    );
    expect(unexpected).toEqual([]);

    const after = await signUp("13600009999");
    expect(after.status).toBe(201);

    const direct = new pg.Client({ connectionString: stack.directUrl });
    await direct.connect();
    const { rows } = await direct.query<{ n: number }>(
      "select count(*)::int as n from signups where event_id = $1",
      [eventId],
    );
    await direct.end();
    expect(rows[0]?.n, "only the sign-up answered 201 is stored").toBe(1);

    expect(workerLog).not.toMatch(/Uncaught|send\(\) after close\(\)|had hung/);
  });
});
