import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { type EventRow, findEvent } from "../../events/queries";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { checkIn } from "../../signups/checkin";
import { normaliseConfirmationCode } from "../../signups/codes";
import { listEventSignups } from "../../signups/queries";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireEventStaff } from "../guard";
import type { Messages } from "../i18n/zh";
import { renderPage } from "../layout";
import { type CheckinOutcome, CheckinPage } from "./page";

/** Why the service refused a code, in the page's language; undefined for anything else. */
function refusal(error: unknown, t: Messages): string | undefined {
  if (!(error instanceof AppError)) return undefined;
  // The event was found in scope just before, so a 404 here is the code's.
  if (error.code === "NOT_FOUND") return t.checkin.errUnknown;
  if (error.code !== "CONFLICT") return undefined;
  if (error.details.status === "waitlisted") return t.checkin.errWaitlisted;
  if (error.details.status === "cancelled") return t.checkin.errCancelled;
  return t.checkin.errEventCancelled;
}

/** The event in the staff member's scope, or undefined (then the 404 page). */
async function eventOf(c: Context<WebEnv>): Promise<EventRow | undefined> {
  const id = c.req.param("id");
  if (!id || !v.is(Uuid, id)) return undefined;
  return findEvent(c.var.db, c.var.principal.scope, id);
}

async function showCheckin(
  c: Context<WebEnv>,
  event: EventRow,
  outcome?: CheckinOutcome,
  status: ContentfulStatusCode = 200,
) {
  const { t, lang, principal } = c.var;
  const signups = await listEventSignups(c.var.db, principal.scope, event.id);
  return renderPage(
    c,
    { title: t.checkin.title(event.title), principal, status },
    <CheckinPage t={t} lang={lang} event={event} signups={signups} outcome={outcome} />,
  );
}

/**
 * /staff/events/:id/checkin: 签到 at the door by confirmation code, through the same service as
 * POST /api/v1/events/:id/checkin, beside the list of the event's sign-ups.
 */
export const checkinPageRoutes = new Hono<WebEnv>()
  .use(requireEventStaff)
  .get("/:id/checkin", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    return showCheckin(c, event);
  })
  .post("/:id/checkin", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const { t } = c.var;
    const body = storableForm(await c.req.parseBody());
    const typed = typeof body.code === "string" ? body.code.slice(0, 50) : "";
    const code = normaliseConfirmationCode(typed);
    if (!code) {
      return showCheckin(
        c,
        event,
        { kind: "refused", code: typed, message: t.checkin.errFormat },
        400,
      );
    }
    try {
      const { signup, changed } = await checkIn(actorOf(c), event.id, code);
      return showCheckin(c, event, { kind: "checked-in", name: signup.name, changed });
    } catch (error) {
      const message = refusal(error, t);
      if (!message || !(error instanceof AppError)) throw error;
      return showCheckin(c, event, { kind: "refused", code: typed, message }, error.status);
    }
  });
