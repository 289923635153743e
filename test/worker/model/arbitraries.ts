import fc from "fast-check";
import type { ModelCommand } from "./commands/base";
import {
  CancelEvent,
  LeadRespond,
  Reschedule,
  SetCapacity,
  SetClosing,
  type Staff,
  type StaffVia,
} from "./commands/events";
import { BookNeed, WithdrawNeed } from "./commands/needs";
import { ClosePeriod, RecordOutcome, ReopenPeriod, SignOff } from "./commands/outcomes";
import { CancelSignup, CheckIn, SignUp } from "./commands/signups";
import { Advance, Cron, Deliver } from "./commands/time";
import type { Ref } from "./state";
import { MODEL_COUNTIES } from "./world";

/*
 * What a run is made of: the world's shape (when it starts, how many social workers, its needs
 * and which of them are booked at once) and a sequence of commands, each through a randomly
 * chosen entry point by an actor allowed to issue it (and, now and then, one who is not).
 * Commands name events, sign-ups and needs by index, taken modulo what exists when they run.
 */

export interface WorldSpec {
  /** Days after 2023-01-01: the model's time lies in 2023–2025, before the real clock. */
  day: number;
  /** Hours after 08:00 Shanghai time that the world starts. */
  hour: number;
  county: string;
  workers: number;
  mobiles: number[];
  needs: {
    durationMinutes: number;
    volunteersNeeded: number;
    book: { worker: number; team: number; hoursAhead: number; capacity: number } | null;
  }[];
}

const index = fc.nat({ max: 23 });
/** An event, sign-up or need: usually one the command can change (see state.ts, choose). */
const ref: fc.Arbitrary<Ref> = fc.record({
  at: index,
  aim: fc.constantFrom(true, true, true, true, false),
});
/** Who records or checks in: mostly the lead and the coordinator, now and then someone else. */
const recorder = fc.constantFrom(
  "coordinator",
  "coordinator",
  "lead",
  "lead",
  "lead",
  "admin",
  "other",
) as fc.Arbitrary<"lead">;
const staff = fc.constantFrom<Staff>(
  "coordinator",
  "coordinator",
  "coordinator",
  "admin",
  "admin",
  "outsider",
);
const staffVia = fc.constantFrom<StaffVia>("api", "service");

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  // Unbiased, so that runs spread over the months instead of crowding into the first.
  day: fc.noBias(fc.integer({ min: 0, max: 1000 })),
  hour: fc.noBias(fc.integer({ min: 0, max: 10 })),
  county: fc.constantFrom(...MODEL_COUNTIES),
  workers: fc.integer({ min: 2, max: 3 }),
  mobiles: fc.uniqueArray(fc.integer({ min: 0, max: 99_999_999 }), {
    minLength: 4,
    maxLength: 4,
  }),
  needs: fc.array(
    fc.record({
      durationMinutes: fc.constantFrom(60, 120),
      volunteersNeeded: fc.integer({ min: 0, max: 2 }),
      book: fc.option(
        fc.record({
          worker: index,
          team: index,
          hoursAhead: fc.integer({ min: 3, max: 20 }),
          capacity: fc.integer({ min: 1, max: 2 }),
        }),
        { nil: null, freq: 6 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const signUp = fc
  .tuple(ref, fc.nat({ max: 3 }), fc.constantFrom("api", "page", "service") as fc.Arbitrary<"api">)
  .map(([e, v, via]) => new SignUp(e, v, via));
const cancelSignup = fc
  .tuple(ref, fc.constantFrom<"api" | "page">("api", "page"))
  .map(([s, via]) => new CancelSignup(s, via));
const checkIn = fc
  .tuple(
    ref,
    fc.option(index, { nil: null, freq: 6 }),
    recorder,
    fc.constantFrom("api", "page", "service") as fc.Arbitrary<"api">,
  )
  .map(([s, at, who, via]) => new CheckIn(s, at, who, via));
const setCapacity = fc
  .tuple(ref, fc.integer({ min: 1, max: 4 }), staff, staffVia)
  .map(([e, c, who, via]) => new SetCapacity(e, c, who, via));
const setClosing = fc
  .tuple(ref, fc.integer({ min: -36, max: 1 }), staff, staffVia)
  .map(([e, h, who, via]) => new SetClosing(e, h * 60 + 30 * Math.sign(h), who, via));
const reschedule = fc
  .tuple(ref, fc.integer({ min: -2, max: 24 }), staff, staffVia)
  .map(([e, h, who, via]) => new Reschedule(e, h * 60, who, via));
const cancelEvent = fc
  .tuple(ref, staff, staffVia)
  .map(([e, who, via]) => new CancelEvent(e, who, via));
const leadRespond = fc
  .tuple(
    ref,
    fc.constantFrom<"accept" | "decline">("accept", "accept", "decline"),
    fc.constantFrom(true, true, true, false),
  )
  .map(([e, answer, byLead]) => new LeadRespond(e, answer, byLead));
const bookNeed = fc
  .tuple(
    ref,
    index,
    index,
    fc.integer({ min: -1, max: 24 }),
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom<"api" | "api-retry" | "page">("api", "api-retry", "page"),
  )
  .map(([n, w, t, h, cap, via]) => new BookNeed(n, w, t, h * 60, cap, via));
const withdrawNeed = fc.tuple(ref, fc.boolean()).map(([n, admin]) => new WithdrawNeed(n, admin));
const advance = fc
  .oneof(
    fc
      .constantFrom(30, 60, 120, 240, 480, 720)
      .map((minutes) => ({ by: "minutes" as const, minutes })),
    fc.record({
      by: fc.constantFrom("start" as const, "end" as const),
      event: ref,
      minutes: fc.constantFrom(1, 15, 60),
    }),
  )
  .map((step) => new Advance(step));
const recordOutcome = fc
  .tuple(
    ref,
    recorder,
    fc.constantFrom<"api" | "api-retry" | "page">("api", "api", "api-retry", "page", "page"),
    fc.record({
      elderly: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 40 }) }, fc.constant(0)),
      children: fc.integer({ min: 0, max: 5 }),
      // Mostly walk-ins on top of those checked in; now and then one fewer (refused).
      attendedDelta: fc.oneof(
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) },
        { weight: 1, arbitrary: fc.constant(-1) },
      ),
      hours: fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        { weight: 2, arbitrary: fc.constantFrom(0, 1, 2.5, 9) },
      ),
      withReason: fc.boolean(),
      // Mostly confirmed, so that outcomes with no volunteers still reach the tallies.
      confirmNoVolunteers: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
  )
  .map(([e, who, via, input]) => new RecordOutcome(e, who, via, input));
const signOff = fc
  .tuple(
    ref,
    fc.constantFrom(
      "lead-api",
      "lead-api",
      "lead-api",
      "lead-page",
      "lead-page",
      "admin",
      "admin",
      "admin-no-reason",
      "other",
    ) as fc.Arbitrary<"lead-api">,
  )
  .map(([e, how]) => new SignOff(e, how));
const closePeriod = fc
  .tuple(fc.option(index, { nil: null, freq: 4 }), fc.boolean(), fc.boolean())
  .map(([e, admin, excludeUnsigned]) => new ClosePeriod(e, admin, excludeUnsigned));
const reopenPeriod = ref.map((e) => new ReopenPeriod(e));

/** The command mix: sign-ups and time most often, each kind at least now and then. */
/** How often each kind is drawn: sign-ups, check-ins, outcomes and time most often. */
const weighted: [fc.Arbitrary<ModelCommand>, number][] = [
  [signUp, 12],
  [cancelSignup, 4],
  [checkIn, 5],
  [setCapacity, 3],
  [setClosing, 2],
  [reschedule, 3],
  [cancelEvent, 1],
  [leadRespond, 2],
  [bookNeed, 2],
  [withdrawNeed, 1],
  [advance, 9],
  [recordOutcome, 7],
  [signOff, 5],
  [closePeriod, 1],
  [reopenPeriod, 1],
  [fc.constant(new Cron()), 2],
  [fc.constant(new Deliver()), 1],
];

/** The command mix for fc.commands (which draws uniformly among the arbitraries it is given). */
export const commandArbitraries: fc.Arbitrary<ModelCommand>[] = weighted.flatMap(([arb, weight]) =>
  Array.from({ length: weight }, () => arb),
);
