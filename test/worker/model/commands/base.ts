import { SELF } from "cloudflare:test";
import type fc from "fast-check";
import { expect } from "vitest";
import { ORIGIN } from "../../web-helpers";
import { api, type Reply } from "../driver";
import { checkStep } from "../invariants";
import { readSnapshot, type Snapshot } from "../snapshot";
import { isOver, type Model, signUpRefusal, taken, waitlist } from "../state";
import type { World } from "../world";

/** The world as the commands drive it, with the snapshot taken after the last step. */
export interface Real extends World {
  last?: Snapshot;
}

/** What a command reports for the checks that follow it. */
export interface Done {
  /** Refused, or accepted without a change (cancelling twice): nothing may have changed. */
  refused: boolean;
  /** Events whose staff roster is read back through the API (waitlist positions). */
  touched?: number[];
  /** The Cron job ran at this model instant. */
  cronAt?: number;
  /** Nothing was sent at all (advancing the clock): no snapshot needed. */
  skipped?: boolean;
}

/** How often each kind of command was accepted and refused, over the file's runs. */
export const commandCounts = new Map<string, { accepted: number; refused: number }>();

/**
 * A model command: `act` asks the model what the app must answer, sends the request through its
 * entry point, compares, and applies the change to the model when it was accepted; `run` then
 * reads the world back and checks every invariant.
 */
export abstract class ModelCommand implements fc.AsyncCommand<Model, Real> {
  abstract check(model: Readonly<Model>): boolean;
  abstract act(model: Model, real: Real): Promise<Done>;
  abstract toString(): string;

  async run(model: Model, real: Real): Promise<void> {
    model.step++;
    const done = await this.act(model, real);
    const kind = this.toString().split("(")[0] ?? "";
    const count = commandCounts.get(kind) ?? { accepted: 0, refused: 0 };
    count[done.refused ? "refused" : "accepted"]++;
    commandCounts.set(kind, count);
    if (done.skipped) return;
    await verify(model, real, this.toString(), done);
  }
}

/** Reads the world back and checks the invariants (and the staff roster of touched events). */
export async function verify(model: Model, real: Real, label: string, done: Done): Promise<void> {
  const snap = await readSnapshot(real.db, real.community);
  checkStep(model, snap, real.last, { label, refused: done.refused, cronAt: done.cronAt });
  real.last = snap;
  for (const index of new Set(done.touched ?? [])) {
    await checkRoster(model, real, index, label);
    await checkEventPage(model, index, label);
  }
}

type RosterItem = { id: string; status: string; waitlistPosition: number | null };

/** 1 through the API: statuses in arrival order, waitlist positions 1..n first come first. */
async function checkRoster(model: Model, real: Real, index: number, label: string) {
  const e = model.events[index];
  if (!e) return;
  const reply = await api("GET", `/events/${e.id}/signups`, {
    as: real.coordinator,
    now: model.now,
  });
  expect(reply.status, `${label}: roster of event ${index}`).toBe(200);
  const items = reply.body.items as RosterItem[];
  const queue = waitlist(model, index).map(([s]) => s.id);
  const expected = model.signups
    .filter((s) => s.event === index)
    .map((s) => ({
      id: s.id,
      status: s.status,
      waitlistPosition: s.status === "waitlisted" ? queue.indexOf(s.id) + 1 : null,
    }));
  expect(
    items.map(({ id, status, waitlistPosition }) => ({ id, status, waitlistPosition })),
    `${label}: roster of event ${index}`,
  ).toEqual(expected);
}

/** The public event page: the form only while sign-ups are taken, and the places left. */
async function checkEventPage(model: Model, index: number, label: string) {
  const e = model.events[index];
  if (!e) return;
  const response = await SELF.fetch(`${ORIGIN}/events/${e.id}?lang=zh`, {
    headers: { "X-Test-Now": new Date(model.now).toISOString() },
  });
  expect(response.status, `${label}: event page ${index}`).toBe(200);
  const html = await response.text();
  expect(
    html.includes(`action="/events/${e.id}/signup"`),
    `${label}: form on event page ${index}`,
  ).toBe(signUpRefusal(model, e) === undefined);
  // Places left while sign-ups are taken; once they are not, why not, in their stead.
  const left = Math.max(e.capacity - taken(model, index), 0);
  const places =
    e.status === "cancelled"
      ? "已取消"
      : e.status !== "scheduled" || isOver(model, e)
        ? "已结束"
        : e.closes <= model.now
          ? "报名已截止"
          : left > 0
            ? `剩余 ${left} 个名额`
            : "已满，可候补";
  expect(html, `${label}: places on event page ${index}`).toContain(
    `<span class="badge ${places.startsWith("已满") ? "pending" : places.startsWith("剩余") ? "open" : "closed"}">${places}</span>`,
  );
}

/** The status the model expects, with the reply's body when it differs. */
export function expectStatus(
  reply: Pick<Reply, "status" | "text">,
  expected: number,
  label: string,
) {
  expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(expected);
}

export const iso = (ms: number) => new Date(ms).toISOString();
