import { describe, expect, it } from "vitest";
import { makeActor, places } from "./factories";
import { call, errorOf } from "./helpers";

describe("authentication and roles", () => {
  it("answers 401 without a token, with a WWW-Authenticate challenge", async () => {
    const response = await call("GET", "/api/v1/social-workers");
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect((await errorOf(response)).code).toBe("UNAUTHORIZED");
  });

  it("answers 401 for a token that was never issued", async () => {
    const response = await call("GET", "/api/v1/social-workers", {
      token: "sy_thisTokenWasNeverIssuedByShuangyi0000000000",
    });
    expect(response.status).toBe(401);
  });

  it("answers 401 once a token is revoked, while the account's other tokens keep working", async () => {
    const admin = await makeActor({ role: "admin" });
    const victim = await makeActor({ role: "department", regionCode: places.shenhe });
    expect((await call("GET", "/api/v1/social-workers", { token: victim.token })).status).toBe(200);
    const revoked = await call("DELETE", `/api/v1/tokens/${victim.tokenId}`, {
      token: admin.token,
    });
    expect(revoked.status).toBe(200);
    expect((await call("GET", "/api/v1/social-workers", { token: victim.token })).status).toBe(401);
    expect((await call("GET", "/api/v1/social-workers", { token: admin.token })).status).toBe(200);
  });

  it("answers 403 (not 401) for a signed-in role that may not do this", async () => {
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const response = await call("GET", "/api/v1/accounts", { token: department.token });
    expect(response.status).toBe(403);
  });

  it("lets an admin create a scoped account and mint a token that works once, shown once", async () => {
    const admin = await makeActor({ role: "admin" });
    const created = await call("POST", "/api/v1/accounts", {
      token: admin.token,
      json: { role: "department", name: "沈河区社会工作部", regionCode: places.shenhe },
    });
    expect(created.status).toBe(201);
    const account = (await created.json()) as { id: string };
    const minted = await call("POST", `/api/v1/accounts/${account.id}/tokens`, {
      token: admin.token,
      json: { label: "报表" },
    });
    expect(minted.status).toBe(201);
    const { token, id } = (await minted.json()) as { token: string; id: string };
    expect(token).toMatch(/^sy_/);
    expect((await call("GET", "/api/v1/regions?parent=210000", { token })).status).toBe(200);
    const listed = await call("GET", `/api/v1/accounts/${account.id}/tokens`, {
      token: admin.token,
    });
    const text = await listed.text();
    expect(text).toContain(id);
    expect(text).not.toContain(token);
  });

  it("refuses an account whose scope does not match its role", async () => {
    const admin = await makeActor({ role: "admin" });
    const response = await call("POST", "/api/v1/accounts", {
      token: admin.token,
      json: { role: "department", name: "无区域", communityId: crypto.randomUUID() },
    });
    expect(response.status).toBe(400);
  });
});
