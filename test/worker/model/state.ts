import { shanghaiMonth } from "../../../src/domain/months";

/*
 * The model: what should be true of one small world, kept in plain objects and changed only by
 * the pure functions below. Commands ask it what a request should answer, send the request, and
 * apply the change when (and only when) it was accepted; the checks then compare the database
 * with it after every step.
 */

export type EventStatus = "scheduled" | "completed" | "cancelled";
export type SignupStatus = "confirmed" | "waitlisted" | "cancelled" | "attended";
export type NeedStatus = "open" | "matched" | "scheduled" | "withdrawn";

/** The one message each volunteer of a cancelled or moved event is owed about its latest state. */
export interface Owed {
  kind: "event_changed" | "event_cancelled";
  /** The event's start the message must name (event_changed). */
  startsAt: number;
  /** Sign-up index → the notification written for it by that change. */
  rows: Map<number, string>;
}

export interface MEvent {
  id: string;
  need: number;
  lead: number;
  team: number;
  start: number;
  end: number;
  capacity: number;
  closes: number;
  status: EventStatus;
  leadResponse: "pending" | "accepted" | "declined";
  outcome: "recorded" | "signed_off" | null;
  owed: Owed | null;
}

export interface MSignup {
  id: string;
  event: number;
  mobile: number;
  token: string;
  code: string;
  status: SignupStatus;
  /** Model order of joining the waitlist; the first waiting is promoted first. */
  waitSeq: number | null;
}

export interface MNeed {
  id: string;
  status: NeedStatus;
  windowStart: number;
  windowEnd: number;
  durationMinutes: number;
  volunteersNeeded: number;
}

export interface Model {
  /** The clock every request of this world names (X-Test-Now), in ms. */
  now: number;
  /** The clock never passes this: the world stays a few days long. */
  until: number;
  events: MEvent[];
  signups: MSignup[];
  needs: MNeed[];
  /** Closed months (`YYYY-MM`) of the world's community. */
  locks: Set<string>;
  /** Staff changes by `${entity}:${id}`, the actions the audit log must hold for it. */
  audit: Map<string, string[]>;
  waitCounter: number;
  /** Steps run so far (for messages). */
  step: number;
}

export const HOUR = 3_600_000;

export function emptyModel(now: number, until: number): Model {
  return {
    now,
    until,
    events: [],
    signups: [],
    needs: [],
    locks: new Set(),
    audit: new Map(),
    waitCounter: 0,
    step: 0,
  };
}

/** Picks an element by a generated index (modulo the current length). */
export function pick<T>(list: T[], index: number): [T, number] {
  const at = index % list.length;
  return [list[at] as T, at];
}

/**
 * A generated reference to an event, sign-up or need: an index taken modulo what exists, among
 * those the command can change when `aim` is set (and there are any), else among all. Most
 * commands aim at something they can change; the rest are refused, which is checked as well.
 */
export interface Ref {
  at: number;
  aim: boolean;
}

export const show = (prefix: string, ref: Ref) => `${prefix}${ref.at}${ref.aim ? "*" : ""}`;

export function choose<T>(
  list: T[],
  ref: Ref,
  fits: (item: T, at: number) => boolean,
): [T, number] {
  const fitting = ref.aim ? list.flatMap((item, at) => (fits(item, at) ? [at] : [])) : [];
  if (fitting.length === 0) return pick(list, ref.at);
  const at = fitting[ref.at % fitting.length] as number;
  return [list[at] as T, at];
}

export function audited(model: Model, entity: string, id: string, action: string): void {
  const key = `${entity}:${id}`;
  model.audit.set(key, [...(model.audit.get(key) ?? []), action]);
}

export function signupsOf(model: Model, event: number): [MSignup, number][] {
  return model.signups.flatMap((s, i): [MSignup, number][] => (s.event === event ? [[s, i]] : []));
}

/** Places held: confirmed and attended sign-ups. */
export function taken(model: Model, event: number): number {
  return signupsOf(model, event).filter(
    ([s]) => s.status === "confirmed" || s.status === "attended",
  ).length;
}

/** The waitlist in the order it is served. */
export function waitlist(model: Model, event: number): [MSignup, number][] {
  return signupsOf(model, event)
    .filter(([s]) => s.status === "waitlisted")
    .sort(([a], [b]) => (a.waitSeq ?? 0) - (b.waitSeq ?? 0));
}

export const isOver = (model: Model, e: MEvent) => e.end <= model.now;

/** Why a sign-up is refused (409), or undefined when the event takes sign-ups. */
export function signUpRefusal(model: Model, e: MEvent): string | undefined {
  if (e.status !== "scheduled") return `event ${e.status}`;
  if (isOver(model, e)) return "event over";
  if (e.closes <= model.now) return "sign-ups closed";
  return undefined;
}

/** The non-cancelled sign-up of this mobile at this event, if any. */
export function activeSignupOf(model: Model, event: number, mobile: number) {
  return signupsOf(model, event).find(([s]) => s.mobile === mobile && s.status !== "cancelled");
}

/** The status a new sign-up gets now. */
export function newSignupStatus(model: Model, event: number): "confirmed" | "waitlisted" {
  const e = model.events[event] as MEvent;
  return taken(model, event) < e.capacity ? "confirmed" : "waitlisted";
}

export function addSignup(
  model: Model,
  fields: Omit<MSignup, "waitSeq" | "status"> & { status: "confirmed" | "waitlisted" },
): number {
  model.signups.push({
    ...fields,
    waitSeq: fields.status === "waitlisted" ? ++model.waitCounter : null,
  });
  return model.signups.length - 1;
}

/** Fills free places of a scheduled event from its waitlist, first come first served. */
export function fillFreePlaces(model: Model, event: number): number[] {
  const e = model.events[event] as MEvent;
  if (e.status !== "scheduled") return [];
  const free = e.capacity - taken(model, event);
  const promoted = waitlist(model, event).slice(0, Math.max(free, 0));
  for (const [s] of promoted) s.status = "confirmed";
  return promoted.map(([, i]) => i);
}

/** Whether two half-open intervals overlap. */
export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** The non-cancelled event the booking would collide with (same lead or same team), if any. */
export function clash(
  model: Model,
  booking: { lead: number; team: number; start: number; end: number },
  except?: number,
): number | undefined {
  const index = model.events.findIndex(
    (e, i) =>
      i !== except &&
      e.status !== "cancelled" &&
      (e.lead === booking.lead || e.team === booking.team) &&
      overlaps(e, booking),
  );
  return index < 0 ? undefined : index;
}

/** Volunteers owed a message after a move or cancellation: every non-cancelled sign-up. */
export function owedSignups(model: Model, event: number): number[] {
  return signupsOf(model, event)
    .filter(([s]) => s.status !== "cancelled")
    .map(([, i]) => i);
}

/** Where sign-ups close after a move: a staff-set closing time keeps its distance to the start. */
export function movedClosing(e: MEvent, start: number): number {
  if (e.closes >= e.start) return start;
  return Math.min(e.closes + (start - e.start), start);
}

/** The Asia/Shanghai month of the event's start (the month its outcome counts in). */
export const monthOf = (e: MEvent) => shanghaiMonth(new Date(e.start));

/** Cancels an event in the model as cancelEvent does: the need reopens. */
export function cancelInModel(model: Model, event: number): void {
  const e = model.events[event] as MEvent;
  e.status = "cancelled";
  const need = model.needs[e.need];
  if (need && (need.status === "matched" || need.status === "scheduled")) need.status = "open";
}
