import { deliverPending } from "../../../../src/notifications/deliver";
import { runScheduledJobs } from "../../../../src/scheduled";
import { callerFor } from "../driver";
import { choose, type MEvent, type Model, type Ref, show } from "../state";
import { type Done, ModelCommand, type Real } from "./base";

/** Sends nowhere: what is sent is checked through the outbox's rows. */
const sink = { async send() {} };

/**
 * Retention is left out of the model's Cron runs: the database is shared with the other test
 * files, and anonymising by the model's clock would reach their sign-ups. A world lasts a few
 * days, so with 30 days it would anonymise nothing of its own either.
 */
const NO_RETENTION = { retentionDays: 36_500 };

/** Where the clock moves: by some minutes, or to just after an event's start or end. */
export type Step =
  | { by: "minutes"; minutes: number }
  | { by: "start" | "end"; event: Ref; minutes: number };

/** Time passes (never back, never beyond the world's last day). */
export class Advance extends ModelCommand {
  constructor(readonly step: Step) {
    super();
  }
  private target(m: Readonly<Model>): number {
    const { step } = this;
    if (step.by === "minutes") return m.now + step.minutes * 60_000;
    if (m.events.length === 0) return m.now;
    const [e] = choose(m.events as MEvent[], step.event, (x) => x[step.by] > m.now);
    return Math.max(m.now, e[step.by] + step.minutes * 60_000);
  }
  check = (m: Readonly<Model>) => this.target(m) <= m.until;
  toString = () =>
    this.step.by === "minutes"
      ? `advance(${this.step.minutes}min)`
      : `advance(to ${this.step.by} of ${show("e", this.step.event)} + ${this.step.minutes}min)`;

  async act(m: Model): Promise<Done> {
    m.now = this.target(m);
    // Nothing is sent, so nothing can change: the next command's checks see the new clock.
    return { refused: true, skipped: true };
  }
}

/** The Cron job at the model's clock: reminders about a day ahead, delivery, housekeeping. */
export class Cron extends ModelCommand {
  check = () => true;
  toString = () => "cron()";

  async act(m: Model, real: Real): Promise<Done> {
    await runScheduledJobs(callerFor(real, m.now), sink, NO_RETENTION);
    return { refused: false, cronAt: m.now };
  }
}

/** A delivery run on its own (as a second Cron trigger might). */
export class Deliver extends ModelCommand {
  check = () => true;
  toString = () => "deliver()";

  async act(m: Model, real: Real): Promise<Done> {
    await deliverPending(real.db, real.keys, sink, { limit: 500, now: new Date(m.now) });
    // Delivery changes notification statuses only, which the refusal check leaves aside.
    return { refused: true };
  }
}
