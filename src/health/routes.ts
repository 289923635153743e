import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { pingDatabase } from "./queries";

/** `GET /healthz`: 200 when the database answers, 503 with Retry-After when it does not. */
export const healthRoutes = new Hono<AppEnv>().get(
  "/",
  describeRoute({ summary: "Liveness and database reachability", tags: ["health"], security: [] }),
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
    return c.json({ status: "ok", database: "reachable" });
  },
);
