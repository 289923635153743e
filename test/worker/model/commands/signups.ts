import { expect } from "vitest";
import { checkIn, checkinOpensAt } from "../../../../src/signups/checkin";
import { findByToken } from "../../../../src/signups/queries";
import { signUp } from "../../../../src/signups/service";
import { actorFor, api, callerFor, form, service } from "../driver";
import {
  activeSignupOf,
  addSignup,
  audited,
  choose,
  fillFreePlaces,
  isOver,
  type MEvent,
  type Model,
  newSignupStatus,
  pick,
  type Ref,
  show,
  signUpRefusal,
  waitlist,
} from "../state";
import { type Done, expectStatus, ModelCommand, type Real } from "./base";

export type SignupVia = "api" | "page" | "service";

/** A volunteer signs up (public API, public page form, or the service). */
export class SignUp extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly mobile: number,
    readonly via: SignupVia,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () => `signUp(${show("e", this.event)}, v${this.mobile}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(m.events, this.event, (x) => !signUpRefusal(m, x));
    const mobile = real.mobiles[this.mobile % real.mobiles.length] as string;
    const mobileIndex = this.mobile % real.mobiles.length;
    const closed = signUpRefusal(m, e);
    const existing = activeSignupOf(m, ei, mobileIndex);
    const status = newSignupStatus(m, ei);
    const position = status === "waitlisted" ? waitlist(m, ei).length + 1 : null;
    const label = `${this} (${closed ?? (existing ? "already signed up" : status)})`;
    const input = { name: "模型志愿者", mobile, consent: true as const };
    let fields: { id: string; token: string; code: string } | undefined;
    if (this.via === "api") {
      const reply = await api("POST", `/events/${e.id}/signups`, { json: input, now: m.now });
      expectStatus(reply, closed ? 409 : existing ? 200 : 201, label);
      if (!closed && existing) {
        const queue = waitlist(m, ei).map(([x]) => x);
        const at = queue.indexOf(existing[0]);
        expect(reply.body.signup, label).toEqual({
          eventId: e.id,
          status: existing[0].status,
          waitlistPosition: at < 0 ? null : at + 1,
        });
      }
      if (!closed && !existing) {
        expect(reply.body.signup, label).toMatchObject({ status, waitlistPosition: position });
        const { id, confirmationCode } = reply.body.signup;
        fields = { id, token: reply.body.manageToken, code: confirmationCode };
      }
    } else if (this.via === "page") {
      const reply = await form(
        `/events/${e.id}/signup`,
        [
          ["name", input.name],
          ["mobile", mobile],
          ["consent", "yes"],
        ],
        { now: m.now },
      );
      // A new sign-up answers 303 to its private page (POST → redirect → GET); a repeat shows
      // the place already held (200) without the link; a closed event refuses (409).
      expectStatus(reply, closed ? 409 : existing ? 200 : 303, label);
      if (!closed && !existing) {
        const location = String(reply.body.location);
        expect(location, label).toMatch(/\/signups\/[^/?]+\?new=1$/);
        const token = new URL(location).pathname.replace("/signups/", "");
        const row = await findByToken(real.db, token);
        expect(row?.status, label).toBe(status);
        fields = { id: row?.id ?? "", token, code: row?.confirmationCode ?? "" };
      } else if (!closed) expect(reply.text, label).not.toContain("/signups/");
    } else {
      const caller = callerFor(real, m.now);
      const result = await service(() => signUp(caller, { ...input, eventId: e.id, skills: [] }));
      expectStatus(
        { status: result.status, text: String(result.error) },
        closed ? 409 : 200,
        label,
      );
      const value = result.value;
      if (value) expect(value.existing, label).toBe(!!existing);
      if (value && !value.existing) {
        expect(value.signup, label).toMatchObject({ status, waitlistPosition: position });
        fields = {
          id: value.signup.id,
          token: value.manageToken,
          code: value.signup.confirmationCode,
        };
      }
    }
    if (!fields) return { refused: true, touched: [ei] };
    addSignup(m, { ...fields, event: ei, mobile: mobileIndex, status });
    return { refused: false, touched: [ei] };
  }
}

/** A volunteer cancels through the private link (API or page). */
export class CancelSignup extends ModelCommand {
  constructor(
    readonly signup: Ref,
    readonly via: "api" | "page",
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.signups.length > 0;
  toString = () => `cancelSignup(${show("s", this.signup)}, ${this.via})`;

  async act(m: Model): Promise<Done> {
    const [s] = choose(m.signups, this.signup, (x) => x.status !== "cancelled");
    const e = m.events[s.event] as MEvent;
    const refusal =
      s.status === "cancelled"
        ? undefined
        : s.status === "attended"
          ? "attended"
          : isOver(m, e)
            ? "event over"
            : undefined;
    const changes = !refusal && s.status !== "cancelled";
    const label = `${this} (${refusal ?? (changes ? s.status : "again")})`;
    const reply =
      this.via === "api"
        ? await api("POST", `/signups/manage/${s.token}/cancel`, { now: m.now })
        : await form(`/signups/${s.token}/cancel`, [], { now: m.now });
    expectStatus(reply, refusal ? 409 : 200, label);
    if (!changes) return { refused: true, touched: [s.event] };
    s.status = "cancelled";
    const promoted = fillFreePlaces(m, s.event);
    if (this.via === "api")
      expect(reply.body, label).toMatchObject({
        changed: true,
        placePassedOn: promoted.length > 0,
      });
    return { refused: false, touched: [s.event] };
  }
}

export type CheckInWho = "coordinator" | "lead" | "admin" | "other";

/** Staff check a volunteer in by confirmation code (API or the check-in page). */
export class CheckIn extends ModelCommand {
  constructor(
    readonly signup: Ref,
    readonly elsewhere: number | null,
    readonly who: CheckInWho,
    readonly via: "api" | "page" | "service",
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.signups.length > 0;
  toString = () =>
    `checkIn(${show("s", this.signup)}${this.elsewhere === null ? "" : ` at e${this.elsewhere}`}, ${this.who}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [s] = choose(
      m.signups,
      this.signup,
      (x) => x.status === "confirmed" && !isOver(m, m.events[x.event] as MEvent),
    );
    const [e, ei] =
      this.elsewhere === null
        ? [m.events[s.event] as MEvent, s.event]
        : pick(m.events, this.elsewhere);
    const lead = real.workers[e.lead];
    const other = real.workers.find((w) => w !== lead);
    const account =
      this.who === "coordinator"
        ? real.coordinator
        : this.who === "admin"
          ? real.admin
          : this.who === "lead"
            ? lead
            : other;
    if (!account) throw new Error("no account for check-in");
    const here = m.signups.find((x) => x.event === ei && x.code === s.code);
    const status = (() => {
      if (this.who === "other") return 404;
      if (e.status === "cancelled" || isOver(m, e)) return 409;
      if (!here) return 404;
      if (here.status === "attended") return 200;
      // Check-in opens on the event's day, Beijing time.
      if (m.now < checkinOpensAt(new Date(e.start)).getTime()) return 409;
      return here.status === "confirmed" ? 200 : 409;
    })();
    const changes = status === 200 && here?.status === "confirmed";
    const label = `${this} (${status}${changes ? ", checks in" : ""})`;
    if (this.via === "api") {
      const reply = await api("POST", `/events/${e.id}/checkin`, {
        as: account,
        json: { code: s.code },
        now: m.now,
      });
      expectStatus(reply, status, label);
      if (status === 200) expect(reply.body.changed, label).toBe(changes);
    } else if (this.via === "page") {
      const reply = await form(`/staff/events/${e.id}/checkin`, [["code", s.code]], {
        as: account,
        now: m.now,
      });
      expectStatus(reply, status, label);
    } else {
      const actor = actorFor(real, account, m.now);
      const result = await service(() => checkIn(actor, e.id, s.code));
      expectStatus({ status: result.status, text: String(result.error) }, status, label);
    }
    if (!changes || !here) return { refused: true };
    here.status = "attended";
    audited(m, "signup", here.id, "checkin");
    return { refused: false, touched: [ei] };
  }
}
