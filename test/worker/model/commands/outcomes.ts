import { expect } from "vitest";
import { shanghaiMonth } from "../../../../src/domain/months";
import { type Account, api, apiTwice, form } from "../driver";
import {
  audited,
  choose,
  HOUR,
  type MEvent,
  type Model,
  monthOf,
  pick,
  type Ref,
  show,
  signupsOf,
} from "../state";
import { type Done, expectStatus, ModelCommand, type Real } from "./base";

export type Recorder = "coordinator" | "lead" | "admin" | "other";

function accountOf(real: Real, e: MEvent, who: Recorder): Account {
  const lead = real.workers[e.lead];
  const account =
    who === "coordinator"
      ? real.coordinator
      : who === "admin"
        ? real.admin
        : who === "lead"
          ? lead
          : real.workers.find((w) => w !== lead);
  if (!account) throw new Error(`no ${who}`);
  return account;
}

const halfHours = (hours: number) => Math.round(hours * 2) / 2;

export interface OutcomeInput {
  elderly: number;
  children: number;
  /** Head count relative to the checked-in volunteers; null leaves it to the app. */
  attendedDelta: number | null;
  hours: number | null;
  withReason: boolean;
  /** Says yes, people were served with no volunteers (or no hours); asked for then. */
  confirmNoVolunteers: boolean;
}

/** The coordinator, the lead or an admin records the outcome (API PUT or the outcome page). */
export class RecordOutcome extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly who: Recorder,
    /** `api-retry`: sent with an Idempotency-Key, then retried with it. */
    readonly via: "api" | "api-retry" | "page",
    readonly input: OutcomeInput,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () =>
    `recordOutcome(${show("e", this.event)}, ${this.who}, ${this.via}, ${JSON.stringify(this.input)})`;

  /** Why the model refuses, in the order the route and the service decide, or undefined. */
  private refusal(m: Model, e: MEvent, ei: number): [number, string] | undefined {
    const { input } = this;
    const empty = input.elderly + input.children === 0;
    if (empty && this.via !== "page") return [400, "no person-times"];
    if (this.who === "other") return [404, "not their event"];
    if (empty) return [400, "no person-times"];
    if (e.status === "cancelled") return [409, "cancelled"];
    if (m.now < e.end) return [409, "not over"];
    if (e.outcome === "signed_off" && this.who !== "admin") return [403, "signed off"];
    if (e.outcome === "signed_off" && !input.withReason) return [400, "admin without reason"];
    const keys = new Set(
      signupsOf(m, ei)
        .filter(([s]) => s.status === "attended")
        .map(([s]) => s.mobile),
    ).size;
    const attended = input.attendedDelta === null ? keys : Math.max(0, keys + input.attendedDelta);
    if (attended < keys) return [400, "fewer than checked in"];
    const eventHours = (e.end - e.start) / HOUR;
    const hours = input.hours ?? halfHours(attended * eventHours);
    if (hours > halfHours(attended * (eventHours + 1))) return [400, "too many hours"];
    if (m.locks.has(monthOf(e))) return [409, "month closed"];
    if ((attended === 0 || hours === 0) && !input.confirmNoVolunteers)
      return [409, "no volunteers, unconfirmed"];
    return undefined;
  }

  private attended(m: Model, ei: number): number | undefined {
    if (this.input.attendedDelta === null) return undefined;
    const keys = new Set(
      signupsOf(m, ei)
        .filter(([s]) => s.status === "attended")
        .map(([s]) => s.mobile),
    ).size;
    return Math.max(0, keys + this.input.attendedDelta);
  }

  async act(m: Model, real: Real): Promise<Done> {
    const [e, ei] = choose(
      m.events,
      this.event,
      (x) => x.status !== "cancelled" && x.start <= m.now,
    );
    const refused = this.refusal(m, e, ei);
    const label = `${this} (${refused?.[1] ?? (e.outcome ? "again" : "first")})`;
    const account = accountOf(real, e, this.who);
    const { input } = this;
    const attended = this.attended(m, ei);
    const reason = input.withReason ? "模型更正" : undefined;
    if (this.via !== "page") {
      const send = this.via === "api-retry" ? apiTwice : api;
      const reply = await send("PUT", `/events/${e.id}/outcome`, {
        as: account,
        json: {
          personTimes: { elderly: input.elderly, children: input.children },
          ...(attended === undefined ? {} : { volunteersAttended: attended }),
          ...(input.hours === null ? {} : { volunteerHours: input.hours }),
          ...(reason ? { reason } : {}),
          ...(input.confirmNoVolunteers ? { confirmNoVolunteers: true } : {}),
        },
        now: m.now,
      });
      expectStatus(reply, refused?.[0] ?? (e.outcome ? 200 : 201), label);
    } else {
      const reply = await form(
        `/staff/events/${e.id}/outcome`,
        [
          ["pt_elderly", String(input.elderly)],
          ["pt_children", String(input.children)],
          ["volunteersAttended", attended === undefined ? "" : String(attended)],
          ["volunteerHours", input.hours === null ? "" : String(input.hours)],
          ["reason", reason ?? ""],
          ...(input.confirmNoVolunteers ? [["confirmNoVolunteers", "1"] as [string, string]] : []),
        ],
        { as: account, now: m.now },
      );
      expectStatus(reply, refused?.[0] ?? 303, label);
    }
    if (refused) return { refused: true };
    audited(m, "outcome", e.id, e.outcome ? "update" : "create");
    e.outcome ??= "recorded";
    if (e.status === "scheduled") e.status = "completed";
    return { refused: false };
  }
}

export type SignOffHow = "lead-api" | "lead-page" | "admin" | "admin-no-reason" | "other";

/** The lead signs the outcome off (API or page); an admin may, with a reason. */
export class SignOff extends ModelCommand {
  constructor(
    readonly event: Ref,
    readonly how: SignOffHow,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () => `signOff(${show("e", this.event)}, ${this.how})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [e] = choose(m.events, this.event, (x) => x.outcome === "recorded");
    const [status, why]: [number, string] =
      this.how === "admin-no-reason"
        ? [400, "no reason"]
        : this.how === "other"
          ? [404, "not their event"]
          : !e.outcome
            ? [404, "no outcome"]
            : e.outcome === "signed_off"
              ? [200, "again"]
              : m.locks.has(monthOf(e))
                ? [409, "month closed"]
                : [200, "signs off"];
    const label = `${this} (${why})`;
    const lead = real.workers[e.lead];
    if (this.how === "lead-page") {
      const reply = await form(`/staff/events/${e.id}/outcome/sign-off`, [], {
        as: lead,
        now: m.now,
      });
      expectStatus(reply, status === 200 ? 303 : status, label);
    } else {
      const account =
        this.how === "lead-api"
          ? lead
          : this.how === "other"
            ? real.workers.find((w) => w !== lead)
            : real.admin;
      const reply = await api("POST", `/events/${e.id}/outcome/sign-off`, {
        as: account,
        json: this.how === "admin" ? { reason: "负责社工已离职" } : {},
        now: m.now,
      });
      expectStatus(reply, status, label);
      if (status === 200) expect(reply.body.status, label).toBe("signed_off");
    }
    if (why !== "signs off") return { refused: true };
    e.outcome = "signed_off";
    audited(m, "outcome", e.id, "sign_off");
    return { refused: false };
  }
}

/**
 * An admin or the county department closes a month for the world's community: refused (409)
 * while outcomes of the month wait for sign-off, unless it chooses to leave them out.
 */
export class ClosePeriod extends ModelCommand {
  constructor(
    readonly event: number | null,
    readonly byAdmin: boolean,
    readonly excludeUnsigned = false,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => this.event === null || m.events.length > 0;
  toString = () =>
    `closePeriod(${this.event === null ? "this month" : `month of e${this.event}`}, ${this.byAdmin ? "admin" : "department"}${this.excludeUnsigned ? ", excluding unsigned" : ""})`;

  async act(m: Model, real: Real): Promise<Done> {
    const month =
      this.event === null ? shanghaiMonth(new Date(m.now)) : monthOf(pick(m.events, this.event)[0]);
    const created = !m.locks.has(month);
    const unsigned = m.events.filter((e) => e.outcome === "recorded" && monthOf(e) === month);
    const refused = created && unsigned.length > 0 && !this.excludeUnsigned;
    const reply = await api("POST", "/period-locks", {
      as: this.byAdmin ? real.admin : real.department,
      json: {
        region: real.community.regionCode,
        month,
        ...(this.excludeUnsigned ? { excludeUnsigned: true } : {}),
      },
      now: m.now,
    });
    expectStatus(reply, refused ? 409 : created ? 201 : 200, `${this} (${month})`);
    if (refused || !created) return { refused: true };
    expect(reply.body.excluded, `${this}: outcomes left out`).toBe(unsigned.length);
    m.locks.add(month);
    audited(m, "period", `${real.community.regionCode}/${month}`, "lock");
    return { refused: false };
  }
}

/** An admin reopens a closed month (404 when it is not closed). */
export class ReopenPeriod extends ModelCommand {
  constructor(readonly event: Ref) {
    super();
  }
  check = (m: Readonly<Model>) => m.events.length > 0;
  toString = () => `reopenPeriod(month of ${show("e", this.event)})`;

  async act(m: Model, real: Real): Promise<Done> {
    const month = monthOf(choose(m.events, this.event, (x) => m.locks.has(monthOf(x)))[0]);
    const closed = m.locks.has(month);
    const code = real.community.regionCode;
    const reply = await api("POST", `/period-locks/${code}/${month}/reopen`, {
      as: real.admin,
      json: { reason: "模型重开" },
      now: m.now,
    });
    expectStatus(reply, closed ? 204 : 404, `${this} (${month})`);
    if (!closed) return { refused: true };
    m.locks.delete(month);
    audited(m, "period", `${code}/${month}`, "reopen");
    return { refused: false };
  }
}
