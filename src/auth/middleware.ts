import { createMiddleware } from "hono/factory";
import type { Role } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { authenticate } from "./tokens";

/** Requires a valid bearer token: 401 when it is missing, unknown, revoked or expired. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    c.header("WWW-Authenticate", 'Bearer realm="shuangyi"');
    throw new AppError(
      "UNAUTHORIZED",
      "sign in: send an API token as `Authorization: Bearer <token>`",
    );
  }
  const principal = await authenticate(c.var.db, match[1]);
  if (!principal) {
    c.header("WWW-Authenticate", 'Bearer realm="shuangyi", error="invalid_token"');
    throw new AppError("UNAUTHORIZED", "the API token is unknown, revoked or expired");
  }
  c.set("principal", principal);
  await next();
});

/** Allows only the given roles: 403 for any other (authenticated) role. */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!allowed.includes(c.var.principal.role)) {
      throw new AppError("FORBIDDEN", `this needs one of the roles: ${allowed.join(", ")}`);
    }
    await next();
  });
}
