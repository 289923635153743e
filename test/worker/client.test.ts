import createClient from "openapi-fetch";
import { beforeAll, describe, expect, it } from "vitest";
import type { paths } from "../../client/schema";
import { fetchWorker } from "./contract-setup";
import { type Actor, makeActor, makeCommunity, places } from "./factories";

/*
 * The typed client generated from /openapi.json (client/schema.d.ts, `npm run client`) talks to
 * the Worker as an integrator's code would: its types come from the document alone.
 */

let admin: Actor;

beforeAll(async () => {
  admin = await makeActor({ role: "admin" });
});

function client(token: string) {
  return createClient<paths, "application/json">({
    baseUrl: "http://shuangyi.test",
    headers: { Authorization: `Bearer ${token}` },
    fetch: (request) => fetchWorker(request),
  });
}

describe("the typed client", () => {
  it("pulls a tally with typed rows", async () => {
    const { data, error, response } = await client(admin.token).GET("/api/v1/tallies", {
      params: {
        query: { region: places.shenhe, from: "2024-01", to: "2024-12", groupBy: "month" },
      },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.region.code).toBe(places.shenhe);
    expect(data?.rows.map((row) => row.month)).toHaveLength(12);
  });

  it("reads one community and gets the error shape for a missing one", async () => {
    const community = await makeCommunity(places.shenhe);
    const api = client(admin.token);
    const found = await api.GET("/api/v1/communities/{id}", {
      params: { path: { id: community.id } },
    });
    expect(found.data?.name).toBe(community.name);
    const missing = await api.GET("/api/v1/communities/{id}", {
      params: { path: { id: crypto.randomUUID() } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("NOT_FOUND");
  });
});
