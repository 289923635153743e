import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { callerOf } from "../auth/actor";
import type { AppEnv } from "../env";
import { AppError, notFound } from "../lib/errors";
import { publicUrl } from "../lib/links";
import { jsonResponse, ok, reply, responses } from "../lib/responses";
import { validate } from "../lib/validation";
import { signupAttemptAllowed } from "../middleware/signup-limits";
import { deliverSoon } from "../notifications/immediate";
import { manageView } from "./queries";
import {
  AlreadySignedUpOut,
  CancelledOut,
  EventIdParam,
  MANAGE_TOKEN,
  ManageViewOut,
  SignedUpOut,
  SignUpBody,
} from "./schemas";
import { cancelSignUp, signUp } from "./service";

const tags = ["signups"];

function manageToken(token: string): string {
  if (!MANAGE_TOKEN.test(token)) throw notFound("sign-up");
  return token;
}

/**
 * 报名: public, no account needed. Mounted at the API root, ahead of the staff-only event routes,
 * so `POST /events/:id/signups` never meets their token check.
 */
export const signupRoutes = new Hono<AppEnv>()
  .post(
    "/events/:id/signups",
    describeRoute({
      summary: "Sign up for an event (public)",
      description:
        "201 with a confirmation code and a private link token (shown once) for a new sign-up, " +
        "confirmed or waitlisted; 200 with the existing sign-up when this mobile number is " +
        "already signed up; 409 when the event is cancelled or closed.",
      tags,
      security: [],
      responses: responses(
        {
          201: jsonResponse("Signed up: confirmed or waitlisted", SignedUpOut),
          200: jsonResponse("This number was already signed up", AlreadySignedUpOut),
        },
        { id: true, input: true, conflict: true, body: true },
      ),
    }),
    validate("param", EventIdParam),
    validate("json", SignUpBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      // Only a well-formed sign-up counts against the event's and the number's limits.
      const allowed = await signupAttemptAllowed(c, id, body.mobile);
      if (!allowed.success)
        throw new AppError("RATE_LIMITED", "too many sign-ups for this event or number just now", {
          retryAfterSeconds: allowed.retryAfterSeconds,
        });
      const result = await signUp(callerOf(c), {
        eventId: id,
        name: body.name,
        mobile: body.mobile,
        skills: body.skills,
        consent: body.consent,
      });
      c.header("Cache-Control", "no-store");
      if (result.existing)
        return reply(c, AlreadySignedUpOut, { existing: true as const, signup: result.signup });
      const { signup, manageToken } = result;
      deliverSoon(c, [signup.id]);
      const manageUrl = publicUrl(
        c.var.config.publicOrigin,
        `/api/v1/signups/manage/${manageToken}`,
      );
      return reply(
        c,
        SignedUpOut,
        { existing: false as const, signup, manageToken, manageUrl },
        201,
      );
    },
  )
  .get(
    "/signups/manage/:token",
    describeRoute({
      summary: "A volunteer's own sign-up, by private link (public)",
      tags,
      security: [],
      responses: responses(ok("The sign-up and its event", ManageViewOut), { id: true }),
    }),
    async (c) => {
      const view = await manageView(c.var.db, manageToken(c.req.param("token")));
      c.header("Cache-Control", "no-store");
      return reply(c, ManageViewOut, view);
    },
  )
  .post(
    "/signups/manage/:token/cancel",
    describeRoute({
      summary: "Cancel a sign-up by private link (public); the first waitlisted is promoted",
      description:
        "Cancelling twice changes nothing (`changed: false`); 409 once the event is over.",
      tags,
      security: [],
      responses: responses(ok("The cancelled sign-up", CancelledOut), { id: true, conflict: true }),
    }),
    async (c) => {
      const result = await cancelSignUp(callerOf(c), manageToken(c.req.param("token")));
      deliverSoon(c, [result.promoted?.id]);
      c.header("Cache-Control", "no-store");
      // Who was promoted is another volunteer's business: say only that a place was passed on.
      return reply(c, CancelledOut, {
        signup: result.signup,
        changed: result.changed,
        placePassedOn: result.promoted !== null,
      });
    },
  );
