import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { checkIn } from "./checkin";
import { CONFIRMATION_CODE_LENGTH, normaliseConfirmationCode } from "./codes";
import { listEventSignups } from "./queries";

const tags = ["signups"];

/** A confirmation code as read out at the door: spaces and lower case are forgiven. */
const CheckInBody = v.strictObject({
  code: v.pipe(
    v.string("must be a confirmation code"),
    v.transform((text) => normaliseConfirmationCode(text) ?? ""),
    v.minLength(1, `must be ${CONFIRMATION_CODE_LENGTH} letters and digits from the code alphabet`),
  ),
});

/** Who runs an event on the day: its lead social worker, its community's coordinator, admin. */
const staffOnTheDay = requireRole("admin", "coordinator", "social_worker");

/**
 * 签到 and the staff list of an event's sign-ups. Middleware is per route, not `use()`, because
 * these share the `/events` prefix with the public sign-up form and the other event routes.
 */
export const checkinRoutes = new Hono<AppEnv>()
  .post(
    "/:id/checkin",
    describeRoute({
      summary: "Check a volunteer in by confirmation code",
      description:
        "Marks the confirmed sign-up with this code attended (200; again is harmless). 404 for " +
        "an unknown code, 409 for a waitlisted or cancelled one.",
      tags,
    }),
    requireAuth,
    staffOnTheDay,
    validate("param", IdParam),
    validate("json", CheckInBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const { code } = c.req.valid("json");
      return c.json(await checkIn(actorOf(c), id, code));
    },
  )
  .get(
    "/:id/signups",
    describeRoute({ summary: "An event's sign-ups (mobiles masked), for its staff", tags }),
    requireAuth,
    staffOnTheDay,
    validate("param", IdParam),
    async (c) => {
      c.header("Cache-Control", "no-store");
      const { id } = c.req.valid("param");
      return c.json({ items: await listEventSignups(c.var.db, c.var.principal.scope, id) });
    },
  );
