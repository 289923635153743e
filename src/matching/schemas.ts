import * as v from "valibot";
import { Timestamp } from "../lib/responses";
import { Instant, RegionCode, Uuid } from "../lib/schemas";

const MAX_PERIOD_DAYS = 92;

export const CreateRun = v.pipe(
  v.strictObject({ regionCode: RegionCode, from: Instant, to: Instant }),
  v.check((input) => input.from < input.to, "the period must end after it starts"),
  v.check(
    (input) => input.to.getTime() - input.from.getTime() <= MAX_PERIOD_DAYS * 86_400_000,
    `a run covers at most ${MAX_PERIOD_DAYS} days`,
  ),
);

export const AcceptPlan = v.strictObject({
  needIds: v.optional(v.pipe(v.array(Uuid), v.minLength(1), v.maxLength(5_000))),
});

const PlanEntryOut = v.object({
  needId: v.string(),
  communityId: v.string(),
  socialWorkerId: v.string(),
  socialWorkerName: v.string(),
  teamId: v.string(),
  teamName: v.string(),
  start: Timestamp,
  end: Timestamp,
  score: v.number(),
  parts: v.record(v.string(), v.number()),
});
const UnmatchedOut = v.object({ needId: v.string(), reason: v.string() });

/** How good a plan is: no plan the rules allow serves more than `matchedBound` needs or scores
 * more than `scoreBound`; `gap` is 1 − totalScore ÷ scoreBound. */
const RunStatsOut = v.object({
  matchedBound: v.number(),
  scoreBound: v.number(),
  gap: v.number(),
  solves: v.number(),
  source: v.picklist(["flow", "greedy"]),
  reslotted: v.number(),
  conflicts: v.number(),
  filled: v.number(),
  arcs: v.number(),
});

/** A proposed plan, as made. */
export const RunOut = v.object({
  id: v.string(),
  regionCode: v.string(),
  from: Timestamp,
  to: Timestamp,
  needs: v.number(),
  totalScore: v.number(),
  plan: v.array(PlanEntryOut),
  unmatched: v.array(UnmatchedOut),
  stats: RunStatsOut,
});

/** A stored plan, as the caller may see it (a coordinator: its community's entries only). */
export const StoredRunOut = v.object({
  id: v.string(),
  regionCode: v.string(),
  periodStart: Timestamp,
  periodEnd: Timestamp,
  totalScore: v.number(),
  plan: v.array(PlanEntryOut),
  unmatched: v.array(UnmatchedOut),
  /** Null for runs stored before the bound was kept. */
  stats: v.nullable(RunStatsOut),
  createdBy: v.nullable(v.string()),
  createdAt: Timestamp,
});

/** What accepting a plan booked, and why each entry that no longer fitted did not. */
export const AcceptRunOut = v.object({
  booked: v.number(),
  failed: v.number(),
  results: v.array(
    v.object({
      needId: v.string(),
      eventId: v.optional(v.string()),
      error: v.optional(v.looseObject({ code: v.string(), message: v.string() })),
    }),
  ),
});
