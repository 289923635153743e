/**
 * Stands in for `hono-openapi` in the Worker's build (wrangler.toml `[alias]`, as no-zod.ts does
 * for zod). The routes describe themselves with hono-openapi's `describeRoute`, `validator` and
 * `resolver`; from those, `npm run client` (scripts/openapi.ts, in Node, with the real library)
 * writes client/openapi.json, which `npm run lint` keeps up to date. The Worker needs none of
 * the generator (hono-openapi, its schema converters and @valibot/to-json-schema: 8 KiB of the
 * bundle's gzip): it validates with the Standard Schema validator hono-openapi itself wraps, and
 * serves the generated document from its static assets (scripts/docs-assets.ts puts it there).
 * The tests run the real library; test/worker/openapi-runtime.test.ts checks that this module
 * answers as it does.
 */
import { type Hook, sValidator } from "@hono/standard-validator";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Context, Env, MiddlewareHandler, Next, ValidationTargets } from "hono";

/** Where the generated document is among the static assets (public as /openapi.json). */
export const OPENAPI_ASSET_PATH = "/docs/assets/openapi.json";

/** The route's description is for the document alone: at run time it only passes the request on. */
export function describeRoute(_spec: unknown): MiddlewareHandler {
  return async (_c: Context, next: Next) => {
    await next();
  };
}

/** A response schema, kept for the document: nothing to resolve at run time. */
export function resolver<Schema>(schema: Schema): Schema {
  return schema;
}

/** hono-openapi's `validator` without the description it attaches: the same `sValidator`. */
export function validator<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
  hook?: Hook<StandardSchemaV1.InferInput<Schema>, Env, string, Target>,
  _options?: unknown,
) {
  return sValidator(target, schema, hook);
}

/** The assets binding (declared here: the Node-side scripts load no workers-types). */
interface AssetsBinding {
  fetch(input: URL | string): Promise<Response>;
}

/** `/openapi.json`: the document `npm run client` generated, as the generator would answer it. */
export function openAPIRouteHandler(_app: unknown, _options?: unknown): MiddlewareHandler {
  return async (c) => {
    const assets = (c.env as { ASSETS?: AssetsBinding } | undefined)?.ASSETS;
    const asset = await assets?.fetch(new URL(OPENAPI_ASSET_PATH, c.req.url));
    if (!asset?.ok || asset.body === null) {
      throw new Error(
        `the OpenAPI document is not among the static assets (${OPENAPI_ASSET_PATH}; scripts/docs-assets.ts puts it there)`,
      );
    }
    return c.body(asset.body, 200, { "Content-Type": "application/json" });
  };
}
