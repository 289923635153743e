import { cancelEvent, rescheduleEvent, updateEvent } from "../../../../src/events/service";
import { type Account, actorFor, api, service } from "../driver";
import {
  audited,
  cancelInModel,
  choose,
  clash,
  fillFreePlaces,
  isOver,
  type MEvent,
  type Model,
  movedClosing,
  owedSignups,
  type Ref,
  show,
  taken,
} from "../state";
import { type Done, expectStatus, iso, ModelCommand, type Real } from "./base";

export type StaffVia = "api" | "service";
/** Who changes an event: its community's coordinator, an admin, or another community's (404). */
export type Staff = "coordinator" | "admin" | "outsider";

const staff = (real: Real, who: Staff): Account =>
  who === "admin" ? real.admin : who === "outsider" ? real.outsider : real.coordinator;

/** Sends a staff change of an event through the API or straight to its service. */
async function send(
  m: Model,
  real: Real,
  via: StaffVia,
  who: Staff,
  request: { method: string; path: string; json: unknown },
  call: (actor: ReturnType<typeof actorFor>) => Promise<unknown>,
) {
  const account = staff(real, who);
  if (via === "api")
    return api(request.method, request.path, { as: account, json: request.json, now: m.now });
  const result = await service(() => call(actorFor(real, account, m.now)));
  return { status: result.status, text: String(result.error), body: result.value };
}

/** Why a scheduled-event change is refused before anything else, if it is. */
function notChangeable(m: Model, e: MEvent, needsFuture: boolean, who?: Staff): number | undefined {
  if (who === "outsider") return 404;
  if (e.status !== "scheduled") return 409;
  if (needsFuture && isOver(m, e)) return 409;
  return undefined;
}

/** Staff change an event's places (PATCH or updateEvent): more places go to the waitlist. */
export class SetCapacity extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly capacity: number,
    readonly who: Staff,
    readonly via: StaffVia,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () =>
    `setCapacity(${show("e", this.event)}, ${this.capacity}, ${this.who}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(m.events, this.event, (x) => x.status === "scheduled" && !isOver(m, x));
    const status =
      notChangeable(m, e, true, this.who) ?? (this.capacity < taken(m, ei) ? 409 : 200);
    const reply = await send(
      m,
      real,
      this.via,
      this.who,
      { method: "PATCH", path: `/events/${e.id}`, json: { capacity: this.capacity } },
      (actor) => updateEvent(actor, e.id, { capacity: this.capacity }),
    );
    expectStatus(reply, status, `${this} (taken ${taken(m, ei)} of ${e.capacity})`);
    if (status !== 200) return { refused: true };
    const raised = this.capacity > e.capacity;
    e.capacity = this.capacity;
    if (raised) fillFreePlaces(m, ei);
    audited(m, "event", e.id, "update");
    return { refused: false, touched: [ei] };
  }
}

/** Staff set when sign-ups close (minutes from the start; after the start is a 400). */
export class SetClosing extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly minutesFromStart: number,
    readonly who: Staff,
    readonly via: StaffVia,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () =>
    `setClosing(${show("e", this.event)}, start${this.minutesFromStart >= 0 ? "+" : ""}${this.minutesFromStart}min, ${this.who}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e] = choose(m.events, this.event, (x) => x.status === "scheduled" && !isOver(m, x));
    const closes = e.start + this.minutesFromStart * 60_000;
    const status = notChangeable(m, e, true, this.who) ?? (closes > e.start ? 400 : 200);
    const reply = await send(
      m,
      real,
      this.via,
      this.who,
      { method: "PATCH", path: `/events/${e.id}`, json: { signupClosesAt: iso(closes) } },
      (actor) => updateEvent(actor, e.id, { signupClosesAt: new Date(closes) }),
    );
    expectStatus(reply, status, `${this}`);
    if (status !== 200) return { refused: true };
    e.closes = closes;
    audited(m, "event", e.id, "update");
    return { refused: false };
  }
}

/** Staff move an event (minutes from now; the past is refused), keeping its length. */
export class Reschedule extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly minutesFromNow: number,
    readonly who: Staff,
    readonly via: StaffVia,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () =>
    `reschedule(${show("e", this.event)}, now${this.minutesFromNow >= 0 ? "+" : ""}${this.minutesFromNow}min, ${this.who}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(m.events, this.event, (x) => x.status === "scheduled" && !isOver(m, x));
    const start = m.now + this.minutesFromNow * 60_000;
    const end = start + (e.end - e.start);
    const other = clash(m, { lead: e.lead, team: e.team, start, end }, ei);
    const status =
      start <= m.now
        ? 409
        : (notChangeable(m, e, true, this.who) ?? (other !== undefined ? 409 : 200));
    const reason = "模型改期";
    const reply = await send(
      m,
      real,
      this.via,
      this.who,
      { method: "POST", path: `/events/${e.id}/reschedule`, json: { start: iso(start), reason } },
      (actor) => rescheduleEvent(actor, e.id, { start: new Date(start), reason }),
    );
    const why =
      start <= m.now
        ? "past"
        : other !== undefined
          ? `clashes with e${other}`
          : isOver(m, e)
            ? "over"
            : e.status;
    expectStatus(reply, status, `${this} (${why})`);
    if (status !== 200) return { refused: true };
    const owed = owedSignups(m, ei);
    e.closes = movedClosing(e, start);
    e.start = start;
    e.end = end;
    e.owed = {
      kind: "event_changed",
      startsAt: start,
      rows: new Map(owed.map((i) => [i, ""])),
    };
    audited(m, "event", e.id, "reschedule");
    return { refused: false };
  }
}

/** Staff cancel an event: volunteers told, its need open again. */
export class CancelEvent extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly who: Staff,
    readonly via: StaffVia,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () => `cancelEvent(${show("e", this.event)}, ${this.who}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(m.events, this.event, (x) => x.status === "scheduled" && !isOver(m, x));
    const status = notChangeable(m, e, true, this.who) ?? 200;
    const reason = "模型取消";
    const reply = await send(
      m,
      real,
      this.via,
      this.who,
      { method: "POST", path: `/events/${e.id}/cancel`, json: { reason } },
      (actor) => cancelEvent(actor, e.id, reason),
    );
    expectStatus(reply, status, `${this} (${e.status})`);
    if (status !== 200) return { refused: true };
    markCancelled(m, ei, "cancel");
    return { refused: false };
  }
}

/** The model's side of a cancellation: status, need, owed messages, audit entry. */
export function markCancelled(m: Model, ei: number, action: string): void {
  const e = m.events[ei] as MEvent;
  const owed = owedSignups(m, ei);
  cancelInModel(m, ei);
  e.owed = { kind: "event_cancelled", startsAt: e.start, rows: new Map(owed.map((i) => [i, ""])) };
  audited(m, "event", e.id, action);
}

/** The lead social worker (or another one, refused as not found) accepts or declines. */
export class LeadRespond extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly answer: "accept" | "decline",
    readonly byLead: boolean,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () => `${this.answer}(${show("e", this.event)}${this.byLead ? "" : ", not the lead"})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(m.events, this.event, (x) => x.status === "scheduled" && !isOver(m, x));
    const lead = real.workers[e.lead];
    const account = this.byLead ? lead : real.workers.find((w) => w !== lead);
    if (!account) throw new Error("no social worker");
    // Accepting late is allowed (the event happened); declining a held event is not.
    const status = !this.byLead ? 404 : (notChangeable(m, e, this.answer === "decline") ?? 200);
    const reply = await api("POST", `/events/${e.id}/${this.answer}`, {
      as: account,
      json: this.answer === "decline" ? { reason: "模型婉拒" } : undefined,
      now: m.now,
    });
    expectStatus(reply, status, `${this} (${e.status})`);
    if (status !== 200) return { refused: true };
    if (this.answer === "decline") {
      e.leadResponse = "declined";
      markCancelled(m, ei, "decline");
    } else {
      e.leadResponse = "accepted";
      const need = m.needs[e.need];
      if (need) need.status = "scheduled";
      audited(m, "event", e.id, "accept");
    }
    return { refused: false };
  }
}
