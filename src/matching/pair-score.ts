/**
 * The weighted score of a (worker, team, start) for a need, split into what the worker alone, the
 * team alone and the pair with its start contribute, so the hot loops can compute each side once.
 */
import { certificateLevels } from "../domain/vocabulary";
import {
  bitCount,
  loadIn,
  type PreparedNeed,
  type PreparedTeam,
  type PreparedWorker,
} from "./prepare";
import { availabilityScore, certificateScore, familiarity, keyProximity, loadScore } from "./score";
import { weekOf } from "./time";
import type { ScorePart } from "./types";
import { scoreParts, scoreWeights } from "./weights";

/** certificateScore by [held rank][minimum rank], computed once. */
export const certificateTable = certificateLevels.map((held) =>
  certificateLevels.map((minimum) => certificateScore(held, minimum)),
);

/** The worker's parts of the score for this need that do not depend on the team or the time. */
export interface WorkerSide {
  certificate: number;
  proximity: number;
  familiarity: number;
  /** certificate, distance and past-work points the worker contributes, weighted. */
  points: number;
}

/** The team's parts of the score for this need that do not depend on the worker or the time. */
export interface TeamSide {
  proximity: number;
  familiarity: number;
  /** distance and past-work points the team contributes, weighted. */
  points: number;
}

/** The worker's side of the score for this need. */
export function workerSide(need: PreparedNeed, worker: PreparedWorker): WorkerSide {
  const proximity = keyProximity(need.region, worker.region);
  const past = familiarity(worker.past.get(need.facts.communityId) ?? 0);
  return sideWith(need, worker, proximity, past);
}

/** workerSide from a proximity and familiarity the caller already has (the shortlist's flat ones). */
export function sideWith(
  need: PreparedNeed,
  worker: PreparedWorker,
  proximity: number,
  past: number,
): WorkerSide {
  const certificate = certificateTable[worker.certificateRank]?.[need.minimumRank] ?? 0;
  const points =
    scoreWeights.certificate * certificate +
    (scoreWeights.distance * proximity) / 2 +
    (scoreWeights.pastWork * past) / 2;
  return { certificate, proximity, familiarity: past, points };
}

/** The team's side of the score for this need. */
export function teamSide(need: PreparedNeed, team: PreparedTeam): TeamSide {
  const proximity = keyProximity(need.region, team.region);
  const past = familiarity(team.past.get(need.facts.communityId) ?? 0);
  const points = (scoreWeights.distance * proximity) / 2 + (scoreWeights.pastWork * past) / 2;
  return { proximity, familiarity: past, points };
}

/** A scratch array for the six weighted parts, in `scoreParts` order. */
export type PartValues = Float64Array;

/** A fresh scratch array for scoreInto. */
export function newPartValues(): PartValues {
  return new Float64Array(scoreParts.length);
}

/**
 * Writes the six weighted parts of (worker, team, start) for the need into `out` and returns
 * their sum, the score. Every score in the engine comes from here, so equal inputs give equal,
 * bit-for-bit comparable scores.
 */
export function scoreInto(
  out: PartValues,
  need: PreparedNeed,
  worker: PreparedWorker,
  workerSide: WorkerSide,
  team: PreparedTeam,
  teamSide: Pick<TeamSide, "proximity" | "familiarity">,
  start: number,
): number {
  const covered = bitCount(need.wantedMask & (worker.skillMask | team.skillMask));
  out[0] = (scoreWeights.skillFit * covered) / need.wantedCount;
  out[1] = scoreWeights.certificate * workerSide.certificate;
  out[2] = (scoreWeights.distance * (workerSide.proximity + teamSide.proximity)) / 2;
  out[3] = scoreWeights.availability * availabilityScore(start, need.first, need.last);
  out[4] =
    scoreWeights.load * loadScore(loadIn(worker, weekOf(start)), worker.facts.weeklyCapacity);
  out[5] = (scoreWeights.pastWork * (workerSide.familiarity + teamSide.familiarity)) / 2;
  return (
    (out[0] as number) +
    (out[1] as number) +
    (out[2] as number) +
    (out[3] as number) +
    (out[4] as number) +
    (out[5] as number)
  );
}

/** The parts in `out` as a record. */
export function partsRecord(out: PartValues): Record<ScorePart, number> {
  const parts = {} as Record<ScorePart, number>;
  scoreParts.forEach((part, i) => {
    parts[part] = out[i] as number;
  });
  return parts;
}
