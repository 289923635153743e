import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { type EventRow, eventPlace, findEvent } from "../../events/queries";
import {
  acceptEvent,
  cancelEvent,
  declineEvent,
  rescheduleEvent,
  updateEvent,
} from "../../events/service";
import { shortCodeOf } from "../../events/short-links";
import { fromDatabaseError } from "../../lib/database-errors";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { listEventSignups } from "../../signups/queries";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { onlyRoles, requireEventStaff } from "../guard";
import { renderPage } from "../layout";
import { publicUrl } from "../links";
import {
  type EventErrorKey,
  type EventForm,
  readDetailsForm,
  readReasonForm,
  readRescheduleForm,
  readSettingsForm,
} from "./form";
import { EventPage } from "./page";
import { PosterDocument } from "./poster";

/** The event in the staff member's scope, or undefined (then the 404 page). */
async function eventOf(c: Context<WebEnv>): Promise<EventRow | undefined> {
  const id = c.req.param("id");
  if (!id || !v.is(Uuid, id)) return undefined;
  return findEvent(c.var.db, c.var.principal.scope, id);
}

/** The sign-up page's address and its short link as people type it (no `https://`). */
function linksOf(c: Context<WebEnv>, event: EventRow) {
  return {
    publicUrl: publicUrl(c, `/events/${event.id}`),
    shortUrl: publicUrl(c, `/e/${shortCodeOf(event.id)}`).replace(/^https?:\/\//, ""),
  };
}

async function showEvent(
  c: Context<WebEnv>,
  event: EventRow,
  options: { problem?: string; form?: EventForm; status?: ContentfulStatusCode } = {},
) {
  const { t, lang, principal, db } = c.var;
  const [signups, place] = await Promise.all([
    listEventSignups(db, principal.scope, event.id),
    eventPlace(db, event),
  ]);
  const done = c.req.query("done");
  return renderPage(
    c,
    { title: event.title, principal, status: options.status ?? 200 },
    <EventPage
      t={t}
      lang={lang}
      principal={principal}
      event={event}
      place={place}
      signups={signups}
      now={c.var.now}
      links={linksOf(c, event)}
      notice={done ? t.eventPage.done[done] : undefined}
      problem={options.problem}
      form={options.form}
    />,
  );
}

/** Where a refused change shows: beside a field of the form, or at the top of the page. */
function refusal(error: AppError): { field?: string; key: EventErrorKey } | undefined {
  const constraint = error.details.constraint;
  if (constraint === "event_signup_counters_within_capacity")
    return { field: "capacity", key: "errCapacityBelow" };
  if (error.code === "OVERLAP") return { field: "when", key: "errOverlap" };
  if (error.details.reason === "start_in_past") return { field: "when", key: "errPast" };
  if (error.details.reason === "event_over") return { key: "errOver" };
  if (error.code === "VALIDATION_FAILED") return { field: "closes", key: "errClosesAfterStart" };
  if (error.code === "CONFLICT") return { key: "errNotScheduled" };
  return undefined;
}

/**
 * Runs one change through its service and answers as a form does: 303 back to the page with a
 * notice, or the page again with the form open and the reason (400 or 409).
 */
async function change(
  c: Context<WebEnv>,
  event: EventRow,
  read: { form: EventForm; input?: unknown },
  run: () => Promise<unknown>,
  done: string,
  back?: unknown,
) {
  if (!read.input) return showEvent(c, event, { form: read.form, status: 400 });
  try {
    await run();
  } catch (caught) {
    const error = caught instanceof AppError ? caught : fromDatabaseError(caught);
    const where = error && refusal(error);
    if (!error || !where) throw caught;
    const current = (await eventOf(c)) ?? event;
    const form = where.field ? { ...read.form, errors: { [where.field]: where.key } } : undefined;
    const problem = where.field ? undefined : c.var.t.eventPage[where.key];
    return showEvent(c, current, { form, problem, status: error.status });
  }
  // The lead answered from the home page's list: back there, to the next one waiting.
  if (back === "home") return c.redirect(`/staff?${done}=${event.id}#event-${event.id}`, 303);
  return c.redirect(`/staff/events/${event.id}?done=${done}`, 303);
}

const COMMUNITY_STAFF = onlyRoles(["coordinator", "admin"]);
const LEAD = onlyRoles(["social_worker"]);

/**
 * /staff/events/:id: the event page for its coordinator, its lead social worker and admins, the
 * printable poster, and each change as a plain form posted to the same services as the API.
 */
export const eventPageRoutes = new Hono<WebEnv>()
  .use(requireEventStaff)
  .get("/:id", async (c) => {
    const event = await eventOf(c);
    return event ? showEvent(c, event) : notFoundPage(c);
  })
  .get("/:id/poster", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const { address } = await eventPlace(c.var.db, event);
    const { t, lang } = c.var;
    return c.html(
      <PosterDocument t={t} lang={lang} event={event} address={address} {...linksOf(c, event)} />,
    );
  })
  .post("/:id/details", COMMUNITY_STAFF, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const read = readDetailsForm(storableForm(await c.req.parseBody()));
    const input = read.input;
    return change(c, event, read, () => updateEvent(actorOf(c), event.id, input ?? {}), "details");
  })
  .post("/:id/settings", COMMUNITY_STAFF, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const read = readSettingsForm(storableForm(await c.req.parseBody()), event);
    const input = read.input;
    return change(c, event, read, () => updateEvent(actorOf(c), event.id, input ?? {}), "settings");
  })
  .post("/:id/reschedule", COMMUNITY_STAFF, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const read = readRescheduleForm(storableForm(await c.req.parseBody()), c.var.now);
    const input = read.input;
    if (!input) return showEvent(c, event, { form: read.form, status: 400 });
    return change(
      c,
      event,
      read,
      () => rescheduleEvent(actorOf(c), event.id, input),
      "rescheduled",
    );
  })
  .post("/:id/cancel", COMMUNITY_STAFF, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const read = readReasonForm("cancel", storableForm(await c.req.parseBody()));
    const reason = read.input?.reason ?? "";
    return change(c, event, read, () => cancelEvent(actorOf(c), event.id, reason), "cancelled");
  })
  .post("/:id/accept", LEAD, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const body = storableForm(await c.req.parseBody());
    const read = { form: { kind: "decline" as const, values: {}, errors: {} }, input: {} };
    const accept = () => acceptEvent(actorOf(c), event.id);
    return change(c, event, read, accept, "accepted", body.back);
  })
  .post("/:id/decline", LEAD, async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const body = storableForm(await c.req.parseBody());
    const read = readReasonForm("decline", body);
    const reason = read.input?.reason;
    const decline = () => declineEvent(actorOf(c), event.id, reason);
    return change(c, event, read, decline, "declined", body.back);
  });
