import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { fetchWorker } from "./contract-setup";
import { makeActor } from "./factories";
import { call, errorOf } from "./helpers";

describe("the one error shape", () => {
  it("answers 503 with Retry-After and no driver message when the database is unreachable", async () => {
    const app = createApp();
    const ctx = createExecutionContext();
    const deadDatabase = { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/postgres" };
    const response = await app.fetch(
      new Request("http://shuangyi.test/healthz"),
      deadDatabase,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    const error = await errorOf(response);
    expect(error).toMatchObject({
      code: "DATABASE_UNAVAILABLE",
      message: "the database is unreachable",
    });
    expect(error.requestId).toBeTruthy();
  });

  it("answers 503 for an API call when the database is unreachable", async () => {
    const { token } = await makeActor({ role: "admin" });
    const app = createApp();
    const ctx = createExecutionContext();
    const request = new Request("http://shuangyi.test/api/v1/social-workers", {
      headers: { Authorization: `Bearer ${token}` },
    });
    const response = await app.fetch(
      request,
      { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/postgres" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
  });

  it("answers 404 in the error shape for an unknown route", async () => {
    const response = await call("GET", "/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("NOT_FOUND");
  });

  it("answers 415 for a write that is neither JSON nor CSV", async () => {
    const { token } = await makeActor({ role: "admin" });
    const response = await fetchRaw(
      "/api/v1/social-workers",
      token,
      "name=x",
      "application/x-www-form-urlencoded",
    );
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 400 for malformed JSON without echoing it", async () => {
    const { token } = await makeActor({ role: "admin" });
    const response = await fetchRaw(
      "/api/v1/social-workers",
      token,
      '{"name": "<script>',
      "application/json",
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("<script>");
  });

  it("answers 400 'must be a JSON object' for an array body, not a missing field each", async () => {
    const { token } = await makeActor({ role: "admin" });
    const response = await call("POST", "/api/v1/social-workers", { token, json: [] });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.issues).toEqual([{ path: "", message: "must be a JSON object" }]);
  });

  it("answers 413 for a body over the limit", async () => {
    const { token } = await makeActor({ role: "admin" });
    const response = await fetchRaw(
      "/api/v1/social-workers/import",
      token,
      "x".repeat(3 * 1024 * 1024),
      "text/csv",
    );
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("sends the secure headers on every response", async () => {
    const response = await call("GET", "/healthz");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

async function fetchRaw(
  path: string,
  token: string,
  body: string,
  contentType: string,
): Promise<Response> {
  return fetchWorker(`http://shuangyi.test${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
    body,
  });
}
