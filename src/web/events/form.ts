import { DETAIL_LIMITS, TITLE_LIMIT } from "../../events/details";
import type { EventRow } from "../../events/queries";
import { shanghaiDay, shanghaiInstant, shanghaiTime } from "../format";
import type { Messages } from "../i18n/zh";

/** The event page's forms, each posted to `/staff/events/:id/<kind>`. */
export type EventFormKind = "details" | "settings" | "reschedule" | "cancel" | "decline";

/** Messages of the event page that describe a field's problem. */
export type EventErrorKey = {
  [K in keyof Messages["eventPage"]]: K extends `err${string}` ? K : never;
}[keyof Messages["eventPage"]];

/** A form as typed, with its problems by field; shown again (open) when it was refused. */
export interface EventForm {
  kind: EventFormKind;
  values: Record<string, string>;
  errors: Partial<Record<string, EventErrorKey>>;
}

export type FormBody = Record<string, string | File | (string | File)[]>;

/** A posted text field, cut one character past `max` (enough to tell it is too long). */
export function formText(body: FormBody, name: string, max: number): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.slice(0, max + 1) : "";
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;
const REASON_LIMIT = 500;

/** A date and time typed on a form, in Beijing time, or undefined when not a real instant. */
export function typedInstant(date: string, time: string): Date | undefined {
  if (!DATE.test(date) || !TIME.test(time)) return undefined;
  const instant = new Date(shanghaiInstant(date, time));
  if (Number.isNaN(instant.getTime())) return undefined;
  const year = instant.getUTCFullYear();
  const real = shanghaiDay(instant) === date && shanghaiTime(instant) === time;
  return real && year >= 2020 && year <= 2100 ? instant : undefined;
}

/** What a form read: `input` only when the form has no problem. */
interface Read<T> {
  form: EventForm;
  input?: T;
}

function done<T>(form: EventForm, input: T): Read<T> {
  return Object.keys(form.errors).length > 0 ? { form } : { form, input };
}

/** Title and the details volunteers read (a blank detail clears it). */
export function readDetailsForm(body: FormBody) {
  const values = {
    title: formText(body, "title", TITLE_LIMIT).trim(),
    description: formText(body, "description", DETAIL_LIMITS.description),
    meetingPoint: formText(body, "meetingPoint", DETAIL_LIMITS.meetingPoint),
    contact: formText(body, "contact", DETAIL_LIMITS.contact),
  };
  const form: EventForm = { kind: "details", values, errors: {} };
  if (!values.title || values.title.length > TITLE_LIMIT) form.errors.title = "errTitle";
  if (values.description.trim().length > DETAIL_LIMITS.description)
    form.errors.description = "errDescription";
  if (values.meetingPoint.trim().length > DETAIL_LIMITS.meetingPoint)
    form.errors.meetingPoint = "errMeetingPoint";
  if (values.contact.trim().length > DETAIL_LIMITS.contact) form.errors.contact = "errContact";
  return done(form, values);
}

/** A number of places typed on a form (1 to 10,000), or undefined. */
export function typedCapacity(typed: string): number | undefined {
  const capacity = /^\d{1,5}$/.test(typed.trim()) ? Number(typed.trim()) : Number.NaN;
  return capacity >= 1 && capacity <= 10_000 ? capacity : undefined;
}

/** The places and the sign-up closing time (sign-ups close by the start). */
export function readSettingsForm(body: FormBody, event: Pick<EventRow, "startsAt">) {
  const values = {
    capacity: formText(body, "capacity", 10).trim(),
    closesDate: formText(body, "closesDate", 10),
    closesTime: formText(body, "closesTime", 5),
  };
  const form: EventForm = { kind: "settings", values, errors: {} };
  const capacity = typedCapacity(values.capacity);
  if (capacity === undefined) form.errors.capacity = "errCapacity";
  const closes = typedInstant(values.closesDate, values.closesTime);
  if (!closes) form.errors.closes = "errDateTime";
  else if (closes > event.startsAt) form.errors.closes = "errClosesAfterStart";
  return done(form, { capacity: capacity ?? 1, signupClosesAt: closes ?? event.startsAt });
}

/** A new date, start and end (the same day), and why the event moves. */
export function readRescheduleForm(body: FormBody, now: Date) {
  const values = {
    date: formText(body, "date", 10),
    start: formText(body, "start", 5),
    end: formText(body, "end", 5),
    reason: formText(body, "reason", REASON_LIMIT).trim(),
  };
  const form: EventForm = { kind: "reschedule", values, errors: {} };
  const start = typedInstant(values.date, values.start);
  const end = typedInstant(values.date, values.end);
  if (!start || !end) form.errors.when = "errDateTime";
  else if (end <= start) form.errors.when = "errEndBeforeStart";
  else if (start <= now) form.errors.when = "errPast";
  if (!values.reason || values.reason.length > REASON_LIMIT) form.errors.reason = "errReason";
  return done(form, { start: start ?? now, end: end ?? now, reason: values.reason });
}

/** A reason: required to cancel, optional to decline. */
export function readReasonForm(kind: "cancel" | "decline", body: FormBody) {
  const values = { reason: formText(body, "reason", REASON_LIMIT).trim() };
  const form: EventForm = { kind, values, errors: {} };
  if ((kind === "cancel" && !values.reason) || values.reason.length > REASON_LIMIT)
    form.errors.reason = "errReason";
  return done(form, { reason: values.reason || undefined });
}

/** The forms' starting values: the event as it is now. */
export function currentValues(event: EventRow): Record<EventFormKind, Record<string, string>> {
  const closes = event.signupClosesAt ?? event.startsAt;
  return {
    details: {
      title: event.title,
      description: event.description ?? "",
      meetingPoint: event.meetingPoint ?? "",
      contact: event.contact ?? "",
    },
    settings: {
      capacity: String(event.capacity),
      closesDate: shanghaiDay(closes),
      closesTime: shanghaiTime(closes),
    },
    reschedule: {
      date: shanghaiDay(event.startsAt),
      start: shanghaiTime(event.startsAt),
      end: shanghaiTime(event.endsAt),
      reason: "",
    },
    cancel: { reason: "" },
    decline: { reason: "" },
  };
}
