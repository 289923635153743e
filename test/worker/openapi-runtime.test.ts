import { env, SELF } from "cloudflare:test";
import { Hono, type MiddlewareHandler } from "hono";
import * as generator from "hono-openapi";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import * as runtime from "../../src/lib/openapi-runtime";

/*
 * The deployed Worker imports src/lib/openapi-runtime.ts wherever the routes import hono-openapi
 * (wrangler.toml `[alias]`); the tests run the real library. These tests check that the stand-in
 * answers as the library does: the same document, the same validation.
 */

describe("the Worker's stand-in for hono-openapi", () => {
  it("is not what the tests run (they use the real generator)", () => {
    expect(generator.validator).not.toBe(runtime.validator);
    expect(generator.uniqueSymbol).toBeTypeOf("symbol");
  });

  it("answers /openapi.json byte for byte as the generator does, from the static assets", async () => {
    const generated = await SELF.fetch("http://shuangyi.test/openapi.json");
    const app = new Hono().get("/openapi.json", runtime.openAPIRouteHandler(undefined));
    const served = await app.request("http://shuangyi.test/openapi.json", {}, env);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe(generated.headers.get("Content-Type"));
    const [servedText, generatedText] = [await served.text(), await generated.text()];
    // Not a diff of two 200 KB documents: the one likely cause, named.
    expect(
      servedText === generatedText,
      "client/openapi.json is not what the app generates: run `npm run client`",
    ).toBe(true);
  });

  it("fails loudly when the document is missing from the assets", async () => {
    const app = new Hono().get("/openapi.json", runtime.openAPIRouteHandler(undefined));
    app.onError((error, c) => c.text(error.message, 500));
    const noAssets = { ASSETS: { fetch: async () => new Response("", { status: 404 }) } };
    const response = await app.request("/openapi.json", {}, noAssets);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(runtime.OPENAPI_ASSET_PATH);
  });

  it("describes a route by passing the request on, and keeps a response schema as it is", async () => {
    const schema = v.object({ id: v.string() });
    expect(runtime.resolver(schema)).toBe(schema);
    const app = new Hono().get("/", runtime.describeRoute({ summary: "x" }), (c) => c.text("ok"));
    const response = await app.request("/");
    expect(await response.text()).toBe("ok");
  });

  it("validates every target as hono-openapi's validator does", async () => {
    const Body = v.object({
      name: v.pipe(v.string(), v.minLength(1)),
      count: v.optional(v.number()),
    });
    const Query = v.object({ page: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))) });
    const Param = v.object({ id: v.pipe(v.string(), v.uuid()) });
    const Header = v.object({ "x-token": v.pipe(v.string(), v.minLength(3)) });
    // What src/lib/validation.ts does: a hook that answers a failure itself.
    const hook = (result: { success: boolean; error?: readonly { message: string }[] }) => {
      if (!result.success)
        throw new Error(`refused: ${(result.error ?? []).map((i) => i.message).join("; ")}`);
    };
    type Make = typeof runtime.validator;
    const appWith = (make: Make, withHook: boolean) => {
      const pick = (target: "json" | "query" | "param" | "header", schema: v.GenericSchema) =>
        (withHook
          ? make(target, schema, hook as never)
          : make(target, schema)) as MiddlewareHandler;
      const app = new Hono();
      app.onError((error, c) => c.text(error.message, 400));
      app.post("/items/:id", pick("param", Param), pick("json", Body), (c) =>
        c.json({ json: c.req.valid("json" as never), param: c.req.valid("param" as never) }),
      );
      app.get("/items", pick("query", Query), pick("header", Header), (c) =>
        c.json({ query: c.req.valid("query" as never), header: c.req.valid("header" as never) }),
      );
      return app;
    };
    const id = "7f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
    const json = { "Content-Type": "application/json" };
    const requests: [string, RequestInit][] = [
      [`/items/${id}`, { method: "POST", headers: json, body: '{"name":"a","count":2}' }],
      [`/items/${id}`, { method: "POST", headers: json, body: '{"name":"","count":"2"}' }],
      [`/items/${id}`, { method: "POST", headers: json, body: '{"name":' }],
      [`/items/${id}`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" }],
      ["/items/not-a-uuid", { method: "POST", headers: json, body: '{"name":"a"}' }],
      ["/items?page=2", { headers: { "X-Token": "abcd" } }],
      ["/items?page=two", { headers: { "X-Token": "abcd" } }],
      ["/items", { headers: { "X-Token": "ab", Cookie: "session=secret" } }],
      ["/items", {}],
    ];
    const makers: Make[] = [generator.validator as unknown as Make, runtime.validator];
    for (const withHook of [true, false]) {
      const [library, standIn] = makers.map((make) => appWith(make, withHook));
      for (const [path, init] of requests) {
        const [expected, actual] = await Promise.all(
          [library, standIn].map(async (app) => {
            const response = await (app as Hono).request(path, init);
            return { status: response.status, body: await response.text() };
          }),
        );
        expect(actual, `${init.method ?? "GET"} ${path} (hook: ${withHook})`).toEqual(expected);
      }
    }
  });
});
