import { expect } from "vitest";
import { REMINDER_AHEAD_MS } from "../../../src/notifications/outbox";
import type { SnapEvent, Snapshot } from "./snapshot";
import { stable } from "./snapshot";
import { type MEvent, type Model, overlaps, taken, waitlist } from "./state";

/*
 * The invariants, checked on the database's snapshot after every step (numbers as in the
 * brief): the model's view agrees with the rows (2xx means committed); 1 places and FIFO waitlist;
 * 2 no idle place while someone waits; 3 one message owed about a cancelled or moved event's latest
 * state, no stale pending ones, reminders about a day ahead; 4 no overlaps; 5 revisions grow with
 * every visible change; 6 every staff change audited; 7 rollups equal the rebuild; 8 a refusal
 * changed nothing.
 */

export interface Step {
  label: string;
  /** The command was refused (4xx): nothing may have changed. */
  refused: boolean;
  /** The Cron job ran at this instant: new reminders must be about a day ahead, and complete. */
  cronAt?: number;
}

const ms = (text: string | null) => (text === null ? null : Date.parse(text));
const STALE_ON_CANCEL = ["event_changed", "reminder", "signup_confirmed", "waitlisted", "promoted"];

function byId<T extends { id: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** The rows agree with the model: every accepted change committed, nothing else there. */
function agreesWithModel(model: Model, snap: Snapshot, at: string): void {
  const events = byId(snap.events);
  expect(snap.events.length, `${at}: events of the world`).toBe(model.events.length);
  model.events.forEach((e, i) => {
    const row = events.get(e.id);
    expect(row, `${at}: event ${i}`).toBeDefined();
    const seen = row as SnapEvent;
    expect(
      {
        status: seen.status,
        start: ms(seen.start),
        end: ms(seen.end),
        capacity: seen.capacity,
        closes: ms(seen.closes),
        leadResponse: seen.leadResponse,
      },
      `${at}: event ${i}`,
    ).toEqual({
      status: e.status,
      start: e.start,
      end: e.end,
      capacity: e.capacity,
      closes: e.closes,
      leadResponse: e.leadResponse,
    });
    const outcome = snap.outcomes.find((o) => o.event === e.id);
    expect(outcome?.status ?? null, `${at}: outcome of event ${i}`).toBe(e.outcome);
  });
  const signups = byId(snap.signups);
  expect(snap.signups.length, `${at}: sign-ups of the world`).toBe(model.signups.length);
  model.signups.forEach((s, i) => {
    expect(signups.get(s.id)?.status, `${at}: sign-up ${i}`).toBe(s.status);
  });
  const needs = byId(snap.needs);
  model.needs.forEach((n, i) => {
    expect(needs.get(n.id)?.status, `${at}: need ${i}`).toBe(n.status);
  });
  expect(snap.locks, `${at}: closed months`).toEqual([...model.locks].sort());
}

/** 1 and 2: places never exceeded, counters right, waitlist FIFO, no idle place. */
function places(model: Model, snap: Snapshot, at: string): void {
  const rows = snap.signups;
  model.events.forEach((e, i) => {
    const row = snap.events.find((r) => r.id === e.id) as SnapEvent;
    const mine = rows.filter((s) => s.event === e.id);
    const held = mine.filter((s) => s.status === "confirmed" || s.status === "attended").length;
    expect(row.counter, `${at}: counter of event ${i}`).toEqual({
      capacity: row.capacity,
      confirmed: held,
    });
    expect(held, `${at}: places of event ${i}`).toBeLessThanOrEqual(row.capacity);
    const waiting = mine
      .filter((s) => s.status === "waitlisted")
      .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
      .map((s) => s.id);
    expect(waiting, `${at}: waitlist of event ${i}, first come first served`).toEqual(
      waitlist(model, i).map(([s]) => s.id),
    );
    expect(held, `${at}: model places of event ${i}`).toBe(taken(model, i));
    if (e.status === "scheduled" && model.now < e.end && waiting.length > 0)
      expect(held, `${at}: a place of event ${i} is free while ${waiting.length} wait`).toBe(
        row.capacity,
      );
  });
}

/** 3: the message owed about the latest change, no stale pending ones, reminders a day ahead. */
function messages(model: Model, snap: Snapshot, previous: Snapshot | undefined, step: Step) {
  const at = step.label;
  const before = new Set(previous?.notifications.map((n) => n.id) ?? []);
  const fresh = snap.notifications.filter((n) => !before.has(n.id));
  model.events.forEach((e, i) => {
    const rows = snap.notifications.filter((n) => n.event === e.id);
    const pending = rows.filter((n) => n.status === "pending");
    if (e.owed) resolveOwed(model, e, i, fresh, rows, at);
    if (e.status === "cancelled")
      expect(
        pending.filter((n) => STALE_ON_CANCEL.includes(n.kind)).map((n) => n.kind),
        `${at}: pending messages of cancelled event ${i} that no longer hold`,
      ).toEqual([]);
    for (const n of pending.filter((p) => p.kind === "event_changed" || p.kind === "reminder"))
      expect(ms(n.payloadStart), `${at}: pending ${n.kind} of event ${i} names an old start`).toBe(
        e.start,
      );
  });
  const cronAt = step.cronAt;
  if (cronAt === undefined) {
    expect(
      fresh.filter((n) => n.kind === "reminder").length,
      `${at}: reminders written outside the Cron job`,
    ).toBe(0);
    return;
  }
  for (const n of fresh.filter((f) => f.kind === "reminder")) {
    const ahead = (ms(n.about) ?? 0) - cronAt;
    expect(
      ahead > 0 && ahead <= REMINDER_AHEAD_MS,
      `${at}: reminder ${ahead / 3.6e6} h ahead`,
    ).toBe(true);
  }
  model.signups.forEach((s, i) => {
    const e = model.events[s.event] as MEvent;
    const due =
      e.status === "scheduled" && e.start > cronAt && e.start <= cronAt + REMINDER_AHEAD_MS;
    if (s.status !== "confirmed" || !due) return;
    const reminder = snap.notifications.filter(
      (n) =>
        n.signup === s.id &&
        n.kind === "reminder" &&
        ms(n.about) === e.start &&
        (n.status === "pending" || n.status === "sent"),
    );
    expect(reminder.length, `${at}: reminder of sign-up ${i} for its event's start`).toBe(1);
  });
}

/** The owed message of each volunteer: written by the change (once), and still owed. */
function resolveOwed(
  model: Model,
  e: MEvent,
  index: number,
  fresh: Snapshot["notifications"],
  rows: Snapshot["notifications"],
  at: string,
) {
  const owed = e.owed;
  if (!owed) return;
  if ([...owed.rows.values()].some((id) => id === "")) {
    const written = fresh.filter((n) => n.event === e.id && n.kind === owed.kind);
    const ids = [...owed.rows.keys()].map((i) => model.signups[i]?.id).sort();
    expect(written.map((n) => n.signup).sort(), `${at}: ${owed.kind} of event ${index}`).toEqual(
      ids,
    );
    for (const n of written) {
      const signup = model.signups.findIndex((s) => s.id === n.signup);
      owed.rows.set(signup, n.id);
    }
  }
  for (const [signup, id] of owed.rows) {
    const row = rows.find((n) => n.id === id);
    expect(row?.status, `${at}: ${owed.kind} owed to sign-up ${signup}`).toMatch(
      /^(pending|sent)$/,
    );
    if (owed.kind === "event_changed")
      expect(ms(row?.payloadStart ?? null), `${at}: event_changed names the new start`).toBe(
        owed.startsAt,
      );
  }
  for (const other of rows.filter((n) => n.kind === owed.kind && n.status === "pending"))
    expect(
      [...owed.rows.values()].includes(other.id),
      `${at}: a second pending ${owed.kind} of event ${index}`,
    ).toBe(true);
}

/** 4: no social worker and no team in two overlapping non-cancelled events. */
function noOverlaps(snap: Snapshot, at: string): void {
  const live = snap.events
    .filter((e) => e.status !== "cancelled")
    .map((e) => ({ ...e, start: Date.parse(e.start), end: Date.parse(e.end) }));
  for (const [i, a] of live.entries())
    for (const b of live.slice(i + 1)) {
      if (!overlaps(a, b)) continue;
      expect(a.lead, `${at}: social worker in two events at once`).not.toBe(b.lead);
      const shared = a.teams.filter((t) => b.teams.some((u) => u.team === t.team));
      expect(shared, `${at}: team in two events at once`).toEqual([]);
    }
  for (const e of snap.events)
    for (const t of e.teams)
      expect(
        { active: t.active, start: t.start, end: t.end },
        `${at}: team row of event ${e.id}`,
      ).toEqual({
        active: e.status !== "cancelled",
        start: e.start,
        end: e.end,
      });
}

/** 5: the calendar's SEQUENCE never goes back and moves on with every visible change. */
function revisions(snap: Snapshot, previous: Snapshot | undefined, at: string): void {
  const earlier = byId(previous?.events ?? []);
  for (const e of snap.events) {
    const was = earlier.get(e.id);
    if (!was) continue;
    expect(e.revision, `${at}: revision of event ${e.id} went back`).toBeGreaterThanOrEqual(
      was.revision,
    );
    const visible = (x: SnapEvent) =>
      [ms(x.start), ms(x.end), x.status, x.title, x.leadResponse].join("|");
    if (visible(e) !== visible(was))
      expect(
        e.revision,
        `${at}: visible change of event ${e.id} kept its revision`,
      ).toBeGreaterThan(was.revision);
  }
}

/** 6: every staff change has its audit entry, and nothing else is audited for the world. */
function audit(model: Model, snap: Snapshot, at: string): void {
  const seen = new Map<string, string[]>();
  for (const entry of snap.audit) {
    const key = `${entry.entity}:${entry.id}`;
    seen.set(key, [...(seen.get(key) ?? []), entry.action]);
  }
  const sorted = (m: Map<string, string[]>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
  expect(sorted(seen), `${at}: audit entries by entity`).toEqual(sorted(model.audit));
}

/** Every check, on a fresh snapshot, against the one before this step. */
export function checkStep(
  model: Model,
  snap: Snapshot,
  previous: Snapshot | undefined,
  step: Step,
): void {
  const at = `step ${model.step} ${step.label}`;
  if (step.refused && previous)
    expect(stable(snap), `${at}: a refused command changed something`).toEqual(stable(previous));
  agreesWithModel(model, snap, at);
  places(model, snap, at);
  messages(model, snap, previous, { ...step, label: at });
  noOverlaps(snap, at);
  revisions(snap, previous, at);
  audit(model, snap, at);
  expect(snap.tallyDiff, `${at}: rollups differ from a rebuild`).toEqual([]);
}
