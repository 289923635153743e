/**
 * The facts the matching engine works on. The engine is pure: the caller loads these from the
 * database (or builds them in a test) and gets candidates and plans back, with no I/O in between.
 */
import type { CertificateLevel, ServiceType } from "../domain/vocabulary";

/** A half-open time interval [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

/** A service need, as far as matching cares. */
export interface NeedFacts {
  id: string;
  communityId: string;
  /** 12-digit GB/T 2260 community code. */
  communityCode: string;
  serviceType: ServiceType;
  requiredSkills: ServiceType[];
  minCertificateLevel: CertificateLevel;
  /** Acceptable START times, each half-open; they may overlap or touch. */
  windows: Interval[];
  durationMinutes: number;
  volunteersNeeded: number;
  /**
   * Social workers who declined an event of this need: not proposed for it again (a coordinator
   * who has agreed otherwise with one of them may still book them by hand).
   */
  declinedBy?: readonly string[];
}

/** A professional social worker, as far as matching cares. */
export interface WorkerFacts {
  id: string;
  name: string;
  homeCountyCode: string;
  certificateLevel: CertificateLevel;
  skills: ServiceType[];
  /** Events per ISO week (Monday 00:00 Asia/Shanghai) the worker accepts. */
  weeklyCapacity: number;
  active: boolean;
  /** Existing non-cancelled events. */
  busy: Interval[];
  /** communityId → number of completed events there. */
  pastEventsByCommunity: Record<string, number>;
}

/** A volunteer team, as far as matching cares. */
export interface TeamFacts {
  id: string;
  name: string;
  countyCode: string;
  skills: ServiceType[];
  size: number;
  active: boolean;
  /** Existing non-cancelled events. */
  busy: Interval[];
  /** communityId → number of completed events there. */
  pastEventsByCommunity: Record<string, number>;
}

export type ScorePart =
  | "skillFit"
  | "certificate"
  | "distance"
  | "availability"
  | "load"
  | "pastWork";

/** A proposed (social worker, team, start) for one need, with its explained score. */
export interface Candidate {
  needId: string;
  socialWorkerId: string;
  teamId: string;
  start: Date;
  end: Date;
  /** 0..100, the sum of `parts`. */
  score: number;
  /** Each part already weighted (see weights.ts). */
  parts: Record<ScorePart, number>;
}

export type ExclusionReason =
  | "worker_inactive"
  | "declined_this_need"
  | "team_inactive"
  | "certificate_below_minimum"
  | "no_matching_skill"
  | "team_too_small"
  | "worker_at_capacity"
  | "no_common_free_slot";

/** Pairs excluded by a hard filter, counted by the first reason that excluded them. */
export type ExclusionCounts = Partial<Record<ExclusionReason, number>>;

/** A need the batch run could not assign, and why, in words a coordinator can act on. */
export interface UnmatchedNeed {
  needId: string;
  reason: string;
}

/** The result of a batch run: a proposal, accepted later by a person (all or part). */
export interface Plan {
  entries: Candidate[];
  /** Sum of the entries' scores. */
  totalScore: number;
  unmatched: UnmatchedNeed[];
}

/** What a stored run says of its plan's quality (AssignStats without the timings). */
export interface RunStats {
  matchedBound: number;
  scoreBound: number;
  gap: number;
  solves: number;
  source: "flow" | "greedy";
  reslotted: number;
  conflicts: number;
  filled: number;
  arcs: number;
}
