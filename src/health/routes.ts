import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { ok, reply, responses } from "../lib/responses";

const Health = v.object({ status: v.literal("ok"), database: v.literal("reachable") });

import { pingDatabase } from "./queries";

/** `GET /healthz`: 200 when the database answers, 503 with Retry-After when it does not. */
export const healthRoutes = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    summary: "Liveness and database reachability",
    tags: ["health"],
    security: [],
    responses: responses(ok("The database answers", Health), {}),
  }),
  async (c) => {
    try {
      await pingDatabase(c.var.db);
    } catch (cause) {
      throw new AppError("DATABASE_UNAVAILABLE", "the database is unreachable", {
        retryAfterSeconds: 5,
        cause,
      });
    }
    c.header("Cache-Control", "no-store");
    return reply(c, Health, { status: "ok" as const, database: "reachable" as const });
  },
);
