import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { ok, reply, responses, WRITE } from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { checkIn } from "./checkin";
import { CONFIRMATION_CODE_LENGTH, normaliseConfirmationCode } from "./codes";
import { listEventSignups } from "./queries";
import { CheckedInOut, RosterOut } from "./schemas";

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
        "an unknown code, 409 for a waitlisted or cancelled one, or once the event is over.",
      tags,
      responses: responses(ok("The sign-up, checked in", CheckedInOut), { ...WRITE, id: true }),
    }),
    requireAuth,
    staffOnTheDay,
    validate("param", IdParam),
    validate("json", CheckInBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const { code } = c.req.valid("json");
      return reply(c, CheckedInOut, await checkIn(actorOf(c), id, code));
    },
  )
  .get(
    "/:id/signups",
    describeRoute({
      summary: "An event's sign-ups (mobiles masked), for its staff",
      description: "In the order the queue took them; waitlisted ones with their position.",
      tags,
      responses: responses(ok("The roster", RosterOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireAuth,
    staffOnTheDay,
    validate("param", IdParam),
    async (c) => {
      c.header("Cache-Control", "no-store");
      const { id } = c.req.valid("param");
      const items = await listEventSignups(c.var.db, c.var.principal.scope, id);
      return reply(c, RosterOut, { items });
    },
  );
