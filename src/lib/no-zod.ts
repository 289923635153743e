/**
 * Stands in for `zod/v4/core` in the Worker's build (wrangler.toml `[alias]`). hono-openapi's
 * schema adapters import every library they support on demand; this app describes its routes
 * with valibot only, so zod's adapter is never called — but the bundler would still pack zod's
 * 400 KB. Reaching this means a zod schema found its way into a route description.
 */
export function toJSONSchema(): never {
  throw new Error("zod is not bundled: describe routes with valibot schemas");
}
