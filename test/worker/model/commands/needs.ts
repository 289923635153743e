import { expect } from "vitest";
import { api, apiTwice, form } from "../driver";
import { audited, choose, clash, HOUR, isOver, type Model, pick, type Ref, show } from "../state";
import { type Done, expectStatus, iso, ModelCommand, type Real } from "./base";
import { markCancelled } from "./events";

/** The coordinator posts a need (setup): one window of acceptable starts, `hours` long. */
export async function postNeed(
  m: Model,
  real: Real,
  spec: { durationMinutes: number; volunteersNeeded: number; windowHours: number },
): Promise<void> {
  const windowStart = m.now;
  const windowEnd = m.now + spec.windowHours * HOUR;
  const reply = await api("POST", "/needs", {
    as: real.coordinator,
    json: {
      serviceType: "counselling",
      targetGroups: ["elderly", "children"],
      expectedPeople: 20,
      windows: [{ start: iso(windowStart), end: iso(windowEnd) }],
      durationMinutes: spec.durationMinutes,
      volunteersNeeded: spec.volunteersNeeded,
    },
    now: m.now,
  });
  expectStatus(reply, 201, "post a need");
  m.needs.push({ id: reply.body.id, status: "open", windowStart, windowEnd, ...spec });
  audited(m, "need", reply.body.id, "create");
}

/**
 * The coordinator picks a (social worker, team, start) for a need — through the API or the need
 * page — which books its event. Refused unless the need is open, the start inside its window
 * and ahead, and nobody double-booked.
 */
export class BookNeed extends ModelCommand {
  constructor(
    readonly need: Ref,
    readonly worker: number,
    readonly team: number,
    readonly minutesFromNow: number,
    readonly capacity: number,
    /** `api-retry`: sent with an Idempotency-Key, then retried with it. */
    readonly via: "api" | "api-retry" | "page",
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.needs.length > 0;
  toString = () =>
    `bookNeed(${show("n", this.need)}, w${this.worker}, t${this.team}, now+${this.minutesFromNow}min, cap ${this.via === "page" ? "default" : this.capacity}, ${this.via})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [need, ni] = choose(m.needs, this.need, (x) => x.status === "open");
    const [worker, lead] = pick(real.workers, this.worker);
    const [teamId, team] = pick(real.teams, this.team);
    const start = m.now + this.minutesFromNow * 60_000;
    const end = start + need.durationMinutes * 60_000;
    const capacity = this.via === "page" ? Math.max(need.volunteersNeeded, 1) : this.capacity;
    const other = clash(m, { lead, team, start, end });
    const why =
      need.status !== "open"
        ? `need ${need.status}`
        : start < need.windowStart || start >= need.windowEnd
          ? "outside the window"
          : start <= m.now
            ? "past"
            : other !== undefined
              ? `clashes with e${other}`
              : "books";
    const status = { books: 201, "outside the window": 400 }[why] ?? 409;
    const label = `${this} (${why})`;
    let id: string | undefined;
    if (this.via !== "page") {
      const send = this.via === "api-retry" ? apiTwice : api;
      const reply = await send("POST", `/needs/${need.id}/accept`, {
        as: real.coordinator,
        json: { socialWorkerId: worker.id, teamId, start: iso(start), capacity },
        now: m.now,
      });
      expectStatus(reply, status, label);
      id = reply.body.id;
    } else {
      const reply = await form(
        `/staff/needs/${need.id}/accept`,
        [
          ["socialWorkerId", worker.id],
          ["teamId", teamId],
          ["start", iso(start)],
        ],
        { as: real.coordinator, now: m.now },
      );
      expectStatus(reply, status === 201 ? 303 : status, label);
      id = /booked=([0-9a-f-]{36})/.exec(reply.body.location ?? "")?.[1];
    }
    if (status !== 201) return { refused: true };
    expect(id, label).toMatch(/^[0-9a-f-]{36}$/);
    m.events.push({
      id: id as string,
      need: ni,
      lead,
      team,
      start,
      end,
      capacity,
      closes: start,
      status: "scheduled",
      leadResponse: "pending",
      outcome: null,
      owed: null,
    });
    need.status = "matched";
    audited(m, "event", id as string, "create");
    return { refused: false };
  }
}

/** The coordinator or an admin withdraws a need: its scheduled events are cancelled. */
export class WithdrawNeed extends ModelCommand {
  constructor(
    readonly need: Ref,
    readonly byAdmin: boolean,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.needs.length > 0;
  toString = () =>
    `withdrawNeed(${show("n", this.need)}, ${this.byAdmin ? "admin" : "coordinator"})`;

  async act(m: Model, real: Real): Promise<Done> {
    const [need, ni] = choose(m.needs, this.need, (x) => x.status !== "withdrawn");
    const status = need.status === "withdrawn" ? 409 : 200;
    const reply = await api("POST", `/needs/${need.id}/withdraw`, {
      as: this.byAdmin ? real.admin : real.coordinator,
      now: m.now,
    });
    expectStatus(reply, status, `${this} (${need.status})`);
    if (status !== 200) return { refused: true };
    m.events.forEach((e, ei) => {
      // Events already over stay: their outcome is still to be recorded.
      if (e.need === ni && e.status === "scheduled" && !isOver(m, e))
        markCancelled(m, ei, "cancel");
    });
    need.status = "withdrawn";
    audited(m, "need", need.id, "withdraw");
    return { refused: false };
  }
}
