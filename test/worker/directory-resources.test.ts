import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, makeActor, makeCommunity, makeTeam, places, unique } from "./factories";
import { call, errorOf } from "./helpers";

type Page<T> = { data: T[]; page: { total: number } };

describe("/api/v1/communities", () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await makeActor({ role: "admin" });
  });

  it("lets a coordinator see only their own community", async () => {
    const mine = await makeCommunity(places.shenhe);
    const neighbour = await makeCommunity(places.shenhe);
    const coordinator = await makeActor({ role: "coordinator", communityId: mine.id });
    const list = (await (
      await call("GET", "/api/v1/communities?limit=500", { token: coordinator.token })
    ).json()) as Page<{ id: string }>;
    expect(list.data.map((c) => c.id)).toEqual([mine.id]);
    expect(
      (await call("GET", `/api/v1/communities/${neighbour.id}`, { token: coordinator.token }))
        .status,
    ).toBe(404);
    expect(
      (await call("GET", `/api/v1/communities/${mine.id}`, { token: coordinator.token })).status,
    ).toBe(200);
  });

  it("answers 404 when a department reads a community outside its region", async () => {
    const elsewhere = await makeCommunity(places.zhongshan);
    const department = await makeActor({ role: "department", regionCode: places.shenyang });
    expect(
      (await call("GET", `/api/v1/communities/${elsewhere.id}`, { token: department.token }))
        .status,
    ).toBe(404);
  });

  it("filters pilot communities within a city", async () => {
    const pilot = await makeCommunity(places.dadong, { isPilot: true });
    const plain = await makeCommunity(places.dadong);
    const response = await call("GET", "/api/v1/communities?region=210100&pilot=true&limit=500", {
      token: admin.token,
    });
    const ids = ((await response.json()) as Page<{ id: string }>).data.map((c) => c.id);
    expect(ids).toContain(pilot.id);
    expect(ids).not.toContain(plain.id);
  });

  it("answers 409 when a real community is added twice", async () => {
    const existing = await makeCommunity(places.shenhe);
    const response = await call("POST", "/api/v1/communities", {
      token: admin.token,
      json: { regionCode: existing.regionCode },
    });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("DUPLICATE");
  });

  it("answers 400 for a community code that is not in the region tree", async () => {
    const response = await call("POST", "/api/v1/communities", {
      token: admin.token,
      json: { regionCode: "210103999999" },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues.map((i) => i.path)).toContain("regionCode");
  });

  it("refuses a client-supplied county code (it is derived)", async () => {
    const response = await call("POST", "/api/v1/communities", {
      token: admin.token,
      json: { regionCode: "210103005024", countyCode: "210202" },
    });
    expect(response.status).toBe(400);
  });
});

describe("/api/v1/organisations", () => {
  it("is readable by every signed-in role and writable only by admins", async () => {
    const admin = await makeActor({ role: "admin" });
    const name = unique("辽宁测试大学");
    const created = await call("POST", "/api/v1/organisations", {
      token: admin.token,
      json: { name, kind: "university" },
    });
    expect(created.status).toBe(201);
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const list = await call("GET", "/api/v1/organisations?kind=university&limit=500", {
      token: department.token,
    });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(name);
    const refused = await call("POST", "/api/v1/organisations", {
      token: department.token,
      json: { name: unique(), kind: "agency" },
    });
    expect(refused.status).toBe(403);
  });
});

describe("/api/v1/volunteer-teams", () => {
  it("lists a department's region only and answers 404 outside it", async () => {
    const own = await makeTeam(places.shenhe);
    const other = await makeTeam(places.zhongshan);
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const list = (await (
      await call("GET", "/api/v1/volunteer-teams?limit=500", { token: department.token })
    ).json()) as Page<{ id: string }>;
    expect(list.data.map((t) => t.id)).toContain(own.id);
    expect(list.data.map((t) => t.id)).not.toContain(other.id);
    expect(
      (await call("GET", `/api/v1/volunteer-teams/${other.id}`, { token: department.token }))
        .status,
    ).toBe(404);
  });

  it("answers 403 for a coordinator", async () => {
    const community = await makeCommunity(places.shenhe);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    expect(
      (await call("GET", "/api/v1/volunteer-teams", { token: coordinator.token })).status,
    ).toBe(403);
  });
});

describe("GET /openapi.json", () => {
  it("documents the directory routes with their request schemas", async () => {
    const response = await call("GET", "/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/social-workers",
        "/api/v1/regions",
        "/api/v1/volunteers",
        "/healthz",
      ]),
    );
    expect(doc.paths["/api/v1/social-workers"]?.post?.requestBody).toBeDefined();
  });
});
