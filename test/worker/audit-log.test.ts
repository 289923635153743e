import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema";
import { findPgError } from "../../src/lib/database-errors";
import { type Actor, futureDay, makeActor, makeCommunity, places, unique } from "./factories";
import { call, withDb } from "./helpers";

type Entry = {
  id: number;
  at: string;
  accountId: string | null;
  accountName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: Record<string, unknown> | null;
  requestId: string | null;
};

let admin: Actor;
let coordinator: Actor;

beforeAll(async () => {
  admin = await makeActor({ role: "admin" });
  const community = await makeCommunity(places.shenhe);
  coordinator = await makeActor({ role: "coordinator", communityId: community.id });
});

async function entriesOf(entity: string, entityId: string): Promise<Entry[]> {
  const response = await call("GET", `/api/v1/audit-log?entity=${entity}&entityId=${entityId}`, {
    token: admin.token,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Entry[] }).data;
}

describe("the audit log", () => {
  it("records who changed what, when, with the request id, for admins to read", async () => {
    const day = futureDay();
    const created = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: {
        serviceType: "mediation",
        targetGroups: ["residents"],
        expectedPeople: 12,
        windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T11:00:00+08:00` }],
        durationMinutes: 60,
        volunteersNeeded: 2,
      },
    });
    expect(created.status).toBe(201);
    const need = (await created.json()) as { id: string };
    const [entry] = await entriesOf("need", need.id);
    expect(entry).toMatchObject({
      action: "create",
      entity: "need",
      entityId: need.id,
      accountId: coordinator.accountId,
    });
    expect(entry?.requestId).toBe(created.headers.get("X-Request-Id"));
    expect(entry?.after).toMatchObject({ expectedPeople: 12 });
    expect(Date.now() - Date.parse(entry?.at ?? "")).toBeLessThan(60_000);
  });

  it("masks personal data: no full mobile, no hashes, a volunteer's name by its first character", async () => {
    const mobile = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const name = `欧阳${unique()}`;
    const created = await call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name, mobile },
    });
    expect(created.status).toBe(201);
    const volunteer = (await created.json()) as { id: string };
    const [entry] = await entriesOf("volunteer", volunteer.id);
    const text = JSON.stringify(entry);
    expect(text).not.toContain(mobile);
    expect(text).not.toContain(name);
    expect(text).not.toMatch(/mobileHash|mobileCiphertext/);
    expect(entry?.after?.name).toBe("欧*");
    // Stored that way too, not only shown so.
    const [stored] = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.entityId, volunteer.id)),
    );
    expect(JSON.stringify(stored)).not.toContain(mobile);
  });

  it("is for admins only", async () => {
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    for (const actor of [coordinator, department])
      expect((await call("GET", "/api/v1/audit-log", { token: actor.token })).status).toBe(403);
    expect((await call("GET", "/api/v1/audit-log")).status).toBe(401);
  });

  it("cannot be changed or deleted, whatever the application does", async () => {
    const [row] = await withDb((db) => db.select({ id: auditLog.id }).from(auditLog).limit(1));
    const attempts = [
      sql`update audit_log set action = 'forged' where id = ${row?.id}`,
      sql`delete from audit_log where id = ${row?.id}`,
      sql`truncate audit_log`,
    ];
    for (const statement of attempts) {
      const error = await withDb((db) => db.execute(statement)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(findPgError(error)?.code).toBe("23001");
    }
    const [still] = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(eq(auditLog.id, row?.id ?? 0)),
    );
    expect(still?.action).not.toBe("forged");
  });
});
