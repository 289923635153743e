import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { outcomeNoteKinds, targetGroups } from "../../domain/vocabulary";
import { type EventRow, findEvent } from "../../events/queries";
import { fromDatabaseError } from "../../lib/database-errors";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { deliverRequestSoon } from "../../notifications/immediate";
import {
  checkedInCount,
  loadOutcome,
  type OutcomeView,
  teamMembersOf,
} from "../../outcomes/queries";
import { RecordOutcome, type RecordOutcomeInput } from "../../outcomes/schemas";
import { recordOutcome, signOffOutcome } from "../../outcomes/service";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireEventStaff } from "../guard";
import { renderPage } from "../layout";
import {
  type OutcomeErrors,
  type OutcomeFormValues,
  OutcomePage,
  type OutcomePageProps,
  valuesOf,
} from "./page";

async function eventOf(c: Context<WebEnv>): Promise<EventRow | undefined> {
  const id = c.req.param("id");
  if (!id || !v.is(Uuid, id)) return undefined;
  return findEvent(c.var.db, c.var.principal.scope, id);
}

async function showOutcome(
  c: Context<WebEnv>,
  event: EventRow,
  options: {
    values?: OutcomeFormValues;
    errors?: OutcomeErrors;
    problem?: string;
    notice?: string;
    status?: ContentfulStatusCode;
    askConfirm?: boolean;
  } = {},
) {
  const { t, lang, principal } = c.var;
  const outcome: OutcomeView | undefined = await loadOutcome(c.var.db, event.id);
  const { members, ticked } = await teamMembersOf(c.var.db, event);
  const signedOff = outcome?.status === "signed_off";
  const open = event.status !== "cancelled" && event.endsAt <= c.var.now && !outcome?.periodClosed;
  const props: OutcomePageProps = {
    t,
    lang,
    event,
    outcome,
    members,
    checkedIn: await checkedInCount(c.var.db, event.id),
    values: options.values ?? valuesOf(outcome, ticked),
    errors: options.errors ?? {},
    problem: options.problem,
    notice: options.notice,
    canEdit: open && (!signedOff || principal.role === "admin"),
    needsReason: signedOff && principal.role === "admin",
    canSignOff: open && principal.role === "social_worker" && outcome?.status === "recorded",
    askConfirm: options.askConfirm,
  };
  return renderPage(
    c,
    { title: t.outcome.title(event.title), principal, status: options.status },
    <OutcomePage {...props} />,
  );
}

const WHOLE = /^\d{1,7}$/;
const HALVES = /^\d{1,6}(\.[05])?$/;
const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** Reads the posted form into typed values and the API's input, with field errors. */
function readForm(body: Record<string, string | File | (string | File)[]>) {
  const values: OutcomeFormValues = {
    personTimes: {},
    peopleServed: text(body.peopleServed),
    volunteerIds: ([] as unknown[])
      .concat(body.volunteerIds ?? [])
      .filter((id): id is string => typeof id === "string"),
    volunteersAttended: text(body.volunteersAttended),
    volunteerHours: text(body.volunteerHours),
    notes: {},
    remarks: text(body.remarks),
    reason: text(body.reason),
    confirmNoVolunteers: body.confirmNoVolunteers === "1",
  };
  const errors: OutcomeErrors = {};
  const whole = (field: string, value: string) => {
    if (value === "") return undefined;
    if (!WHOLE.test(value)) {
      errors[field] = /^\d+$/.test(value) ? "errTooLarge" : "errNumber";
      return undefined;
    }
    return Number(value);
  };
  const personTimes: Record<string, number> = {};
  for (const group of targetGroups) {
    const value = text(body[`pt_${group}`]);
    values.personTimes[group] = value;
    const n = whole(`pt_${group}`, value);
    if (n !== undefined) personTimes[group] = n;
  }
  const notes: RecordOutcomeInput["notes"] = [];
  for (const kind of outcomeNoteKinds) {
    const value = text(body[`note_${kind}`]);
    values.notes[kind] = value;
    const n = whole(`note_${kind}`, value);
    if (n) notes.push({ kind, count: n });
  }
  const peopleServed = whole("peopleServed", values.peopleServed);
  const volunteersAttended = whole("volunteersAttended", values.volunteersAttended);
  let volunteerHours: number | undefined;
  if (values.volunteerHours !== "") {
    if (HALVES.test(values.volunteerHours)) volunteerHours = Number(values.volunteerHours);
    else errors.volunteerHours = "errHours";
  }
  const parsed = v.safeParse(RecordOutcome, {
    personTimes,
    peopleServed: peopleServed ?? null,
    volunteerIds: values.volunteerIds,
    volunteersAttended,
    volunteerHours,
    notes,
    remarks: values.remarks || null,
    reason: values.reason || undefined,
    confirmNoVolunteers: values.confirmNoVolunteers,
  });
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const path = v.getDotPath(issue) ?? "";
      if (issue.type === "max_value") {
        // Beside the field that holds it: a group's person-times, or the number itself.
        const [head, group] = path.split(".");
        errors[head === "personTimes" && group ? `pt_${group}` : head || "personTimes"] =
          "errTooLarge";
      } else if (path.startsWith("personTimes")) errors.personTimes ??= "errNoPeople";
      else if (path === "reason") errors.reason = "errReason";
      else if (path === "volunteerHours") errors.volunteerHours ??= "errHours";
      else errors[path.split(".")[0] || "personTimes"] ??= "errNumber";
    }
  }
  return { values, errors, input: parsed.success ? parsed.output : undefined };
}

/** The page's words for why the service refused the whole form; undefined: not a refusal. */
function refusal(error: AppError, t: WebEnv["Variables"]["t"]): string | undefined {
  if (error.details.reason === "no_volunteers") return t.outcome.noVolunteersProblem;
  if (error.details.reason === "no_volunteer_hours") return t.outcome.noHoursProblem;
  if (error.details.constraint === "outcomes_period_open") return t.outcome.errClosed;
  if (error.code === "FORBIDDEN") return t.outcome.errSignedOff;
  if (error.details.reason === "event_not_over") return t.outcome.errNotStarted;
  if (error.code === "CONFLICT" && /cancelled/.test(error.message)) return t.outcome.errCancelled;
  return undefined;
}

/** Service validation problems, by field, in the page's keys. */
function fieldErrors(error: AppError): OutcomeErrors | undefined {
  if (error.code !== "VALIDATION_FAILED") return undefined;
  const errors: OutcomeErrors = {};
  for (const issue of error.issues) {
    if (issue.path === "volunteersAttended") errors.volunteersAttended = "errTooFewVolunteers";
    else if (issue.path === "volunteerHours") errors.volunteerHours = "errTooManyHours";
    else if (issue.path === "reason") errors.reason = "errReason";
    else errors.volunteersAttended ??= "errTooFewVolunteers";
  }
  return errors;
}

/** /staff/events/:id/outcome: record the outcome (coordinator, lead, admin); the lead signs off. */
export const outcomePageRoutes = new Hono<WebEnv>()
  .use(requireEventStaff)
  .get("/:id/outcome", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const { t } = c.var;
    const notice =
      c.req.query("saved") !== undefined
        ? t.outcome.saved
        : c.req.query("signed") !== undefined
          ? t.outcome.signedOff
          : undefined;
    return showOutcome(c, event, { notice });
  })
  .post("/:id/outcome", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    const { values, errors, input } = readForm(storableForm(await c.req.parseBody({ all: true })));
    if (!input || Object.keys(errors).length > 0)
      return showOutcome(c, event, { values, errors, status: 400 });
    try {
      await recordOutcome(actorOf(c), event.id, input);
    } catch (caught) {
      const error = caught instanceof AppError ? caught : fromDatabaseError(caught);
      if (!error) throw caught;
      const fields = fieldErrors(error);
      if (fields) return showOutcome(c, event, { values, errors: fields, status: 400 });
      const problem = refusal(error, c.var.t);
      const askConfirm = /^no_volunteer/.test(String(error.details.reason ?? ""));
      if (problem)
        return showOutcome(c, event, { values, problem, status: error.status, askConfirm });
      throw error;
    }
    return c.redirect(`/staff/events/${event.id}/outcome?saved`, 303);
  })
  .post("/:id/outcome/sign-off", async (c) => {
    const event = await eventOf(c);
    if (!event) return notFoundPage(c);
    if (c.var.principal.role !== "social_worker")
      return showOutcome(c, event, { problem: c.var.t.forbiddenTitle, status: 403 });
    try {
      await signOffOutcome(actorOf(c), event.id);
    } catch (caught) {
      const error = caught instanceof AppError ? caught : fromDatabaseError(caught);
      const problem = error && refusal(error, c.var.t);
      if (!error || !problem) throw caught;
      return showOutcome(c, event, { problem, status: error.status });
    }
    deliverRequestSoon(c, { eventId: event.id });
    return c.redirect(`/staff/events/${event.id}/outcome?signed`, 303);
  });
