import { beforeAll, describe, expect, it } from "vitest";
import { makeActor } from "./factories";
import { call } from "./helpers";

type RegionPage = {
  data: { code: string; name: string; level: string; parentCode: string | null }[];
  page: { total: number };
};

describe("GET /api/v1/regions", () => {
  let token: string;
  beforeAll(async () => {
    token = (await makeActor({ role: "department", regionCode: "210103" })).token;
  });

  it("lists the 14 cities of Liaoning under 210000", async () => {
    const response = await call("GET", "/api/v1/regions?parent=210000", { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RegionPage;
    expect(body.page.total).toBe(14);
    expect(body.data.map((r) => r.name)).toContain("沈阳市");
    expect(body.data.every((r) => r.level === "city" && r.parentCode === "210000")).toBe(true);
  });

  it("counts exactly 100 county-level divisions in the province", async () => {
    const response = await call("GET", "/api/v1/regions?within=210000&level=county&limit=1", {
      token,
    });
    const body = (await response.json()) as RegionPage;
    expect(body.page.total).toBe(100);
  });

  it("lists every community of a county, all inside it", async () => {
    const response = await call("GET", "/api/v1/regions?within=210103&level=community&limit=500", {
      token,
    });
    const body = (await response.json()) as RegionPage;
    expect(body.page.total).toBeGreaterThan(50);
    expect(body.data.every((r) => r.code.startsWith("210103") && r.code.length === 12)).toBe(true);
    expect(body.data.map((r) => r.name)).toContain("多福社区");
  });

  it("returns a community with its ancestors from the province down", async () => {
    const response = await call("GET", "/api/v1/regions/210202001002", { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { name: string; ancestors: { code: string }[] };
    expect(body.name).toBe("春海社区");
    expect(body.ancestors.map((a) => a.code)).toEqual(["210000", "210200", "210202", "210202001"]);
  });

  it("answers 404 for a well-formed code that does not exist", async () => {
    const response = await call("GET", "/api/v1/regions/219999", { token });
    expect(response.status).toBe(404);
  });

  it("answers 400 with the field path for a malformed parent code", async () => {
    const response = await call("GET", "/api/v1/regions?parent=21", { token });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues[0]?.path).toBe("parent");
  });
});
