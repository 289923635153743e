import { describe, expect, it } from "vitest";
import { call } from "./helpers";

describe("GET /healthz", () => {
  it("answers 200 when the database is reachable", async () => {
    const response = await call("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "reachable" });
  });
});
