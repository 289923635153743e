import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, volunteers } from "../../src/db/schema";
import { type Actor, makeActor, makeTeam, places } from "./factories";
import { call, errorOf, withDb } from "./helpers";

/** A mobile number no other test uses (mainland format, 170 virtual-operator prefix). */
function freshMobile(): string {
  return `170${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

type Volunteer = { id: string; name: string; mobile: string; teamId: string | null };

describe("/api/v1/volunteers: personal data", () => {
  let admin: Actor;
  let teamId: string;
  beforeAll(async () => {
    admin = await makeActor({ role: "admin" });
    teamId = (await makeTeam(places.shenhe)).id;
  });

  async function register(mobile: string, name = "陈志愿") {
    return call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name, mobile, teamId },
    });
  }

  it("answers with the mobile masked as 170****5678, never the number", async () => {
    const mobile = freshMobile();
    const response = await register(mobile);
    expect(response.status).toBe(201);
    const text = await response.text();
    const body = JSON.parse(text) as Volunteer;
    expect(body.mobile).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    expect(text).not.toContain(mobile);
    expect(text).not.toMatch(/mobileHash|mobileCiphertext|v1\./);
  });

  it("never returns the number from get or list either", async () => {
    const mobile = freshMobile();
    const { id } = (await (await register(mobile)).json()) as Volunteer;
    const one = await (
      await call("GET", `/api/v1/volunteers/${id}`, { token: admin.token })
    ).text();
    const list = await (
      await call("GET", `/api/v1/volunteers?teamId=${teamId}&limit=500`, { token: admin.token })
    ).text();
    expect(one).not.toContain(mobile);
    expect(list).not.toContain(mobile);
    expect(list).toContain(id);
  });

  it("stores the number only encrypted, with a keyed hash, and keeps it out of the audit log", async () => {
    const mobile = freshMobile();
    const { id } = (await (await register(mobile)).json()) as Volunteer;
    await withDb(async (db) => {
      const [row] = await db.select().from(volunteers).where(eq(volunteers.id, id));
      expect(JSON.stringify(row)).not.toContain(mobile);
      expect(row?.mobileCiphertext).toMatch(/^v1\./);
      expect(row?.mobileHash).toMatch(/^[0-9a-f]{64}$/);
      const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
      expect(audit.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit)).not.toContain(mobile);
      expect(JSON.stringify(audit)).not.toContain(row?.mobileCiphertext ?? "x");
    });
  });

  it("finds a volunteer by mobile number sent in the body, through the hash", async () => {
    const mobile = freshMobile();
    const { id } = (await (await register(mobile)).json()) as Volunteer;
    const response = await call("POST", "/api/v1/volunteers/lookup", {
      token: admin.token,
      json: { mobile },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Volunteer[] };
    expect(body.data.map((v) => v.id)).toEqual([id]);
  });

  it("answers 409 for a second volunteer with the same number, however it is written", async () => {
    const mobile = freshMobile();
    expect((await register(mobile)).status).toBe(201);
    const spaced = `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`;
    const again = await register(spaced, "另一个人");
    expect(again.status).toBe(409);
    expect(await again.text()).not.toContain(mobile);
  });

  it("answers 400 for a number that is not a mainland mobile", async () => {
    for (const mobile of ["12345678901", "1381234567", "abc", "021-12345678"]) {
      const response = await register(mobile);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues.map((i) => i.path)).toContain("mobile");
    }
  });

  it("answers 404 when a county department reads a volunteer of another county's team", async () => {
    const otherTeam = await makeTeam(places.zhongshan);
    const created = await call("POST", "/api/v1/volunteers", {
      token: admin.token,
      json: { name: "外区志愿者", mobile: freshMobile(), teamId: otherTeam.id },
    });
    const { id } = (await created.json()) as Volunteer;
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    expect(
      (await call("GET", `/api/v1/volunteers/${id}`, { token: department.token })).status,
    ).toBe(404);
  });
});
