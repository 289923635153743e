import type { Queryable } from "../db/client";
import { regionNames } from "../directory/regions/queries";
import type { CertificateLevel } from "../domain/vocabulary";
import { rankCandidates } from "../matching/candidates";
import {
  type CandidateGroup,
  type Explanation,
  explainCandidate,
  groupByWorker,
} from "../matching/explain";
import { declinedWorkers, loadResources, toNeedFacts } from "../matching/load-facts";
import type { Candidate, ExclusionReason, TeamFacts, WorkerFacts } from "../matching/types";
import type { NeedRow } from "./service";

/** A candidate with the names and level people need to judge it, and its place in the ranking. */
export interface ShownCandidate extends Candidate {
  rank: number;
  socialWorkerName: string;
  socialWorkerLevel: CertificateLevel;
  teamName: string;
}

/** A shown candidate with the plain-word facts behind its score. */
export interface ExplainedCandidate extends ShownCandidate {
  explanation: Explanation;
}

function shown(
  candidate: Candidate,
  rank: number,
  worker: WorkerFacts | undefined,
  team: TeamFacts | undefined,
): ShownCandidate {
  return {
    rank,
    ...candidate,
    socialWorkerName: worker?.name ?? "",
    socialWorkerLevel: worker?.certificateLevel ?? "junior",
    teamName: team?.name ?? "",
  };
}

/** Ranks every (social worker, team) pair for a need; the facts come back by id as well. */
async function rankWithFacts(db: Queryable, need: NeedRow, limit: number) {
  const plain = toNeedFacts(need);
  const period = {
    start: plain.windows[0]?.start ?? new Date(),
    end: plain.windows.at(-1)?.end ?? new Date(),
  };
  const [{ workers, teams }, declined] = await Promise.all([
    loadResources(db, period),
    declinedWorkers(db, [need.id]),
  ]);
  const facts = { ...plain, declinedBy: declined.get(need.id) ?? [] };
  return {
    facts,
    ranked: rankCandidates(facts, workers, teams, { limit }),
    workers: new Map(workers.map((w) => [w.id, w])),
    teams: new Map(teams.map((t) => [t.id, t])),
  };
}

/** The ranked candidates for a need, with the names and levels people need to judge them. */
export async function rankNeedCandidates(db: Queryable, need: NeedRow, limit: number) {
  const { ranked, workers, teams } = await rankWithFacts(db, need, limit);
  return {
    considered: ranked.considered,
    excluded: ranked.excluded,
    candidates: ranked.candidates.map((candidate, index) =>
      shown(
        candidate,
        index + 1,
        workers.get(candidate.socialWorkerId),
        teams.get(candidate.teamId),
      ),
    ),
  };
}

/** The names of every region the explanations mention. */
function namesFor(db: Queryable, explained: Explanation[]) {
  return regionNames(
    db,
    explained.flatMap((e) => [e.worker.code, e.team.code]),
  );
}

/** How many pairs the page ranks before folding them by social worker. */
const PAGE_POOL = 200;

/**
 * The candidates as the need page shows them: each social worker once (best pair first), the
 * other teams they could lead folded under them, every pair with its plain-word facts, and the
 * names of the regions those facts mention.
 */
export async function explainedCandidates(
  db: Queryable,
  need: NeedRow,
  options: { now: Date; workers: number; others: number },
) {
  const { facts, ranked, workers, teams } = await rankWithFacts(db, need, PAGE_POOL);
  const explained: ExplainedCandidate[] = [];
  ranked.candidates.forEach((candidate, index) => {
    const worker = workers.get(candidate.socialWorkerId);
    const team = teams.get(candidate.teamId);
    if (!worker || !team) return;
    const explanation = explainCandidate(facts, candidate, worker, team, options.now);
    explained.push({ ...shown(candidate, index + 1, worker, team), explanation });
  });
  const groups: CandidateGroup<ExplainedCandidate>[] = groupByWorker(
    explained,
    options.workers,
    options.others,
  );
  const listed = groups.flatMap((group) => [group.best, ...group.others]);
  return {
    pool: { workers: workers.size, teams: teams.size },
    groups,
    excluded: ranked.excluded,
    names: await namesFor(
      db,
      listed.map((candidate) => candidate.explanation),
    ),
  };
}

/** A pick as a coordinator sends it: which worker, which team, when. */
export interface Pick {
  socialWorkerId: string;
  teamId: string;
  start: Date;
}

/**
 * Scores a pick as placed (a one-minute window at its start), as things stand now: the candidate
 * when the pair passes every hard filter but a clash in time (the database's to refuse), or the
 * ids that are unknown, or the hard filters it fails.
 */
export async function scorePick(db: Queryable, need: NeedRow, pick: Pick) {
  const facts = toNeedFacts(need);
  const { workers, teams } = await loadResources(
    db,
    { start: pick.start, end: pick.start },
    { workerIds: [pick.socialWorkerId], teamIds: [pick.teamId] },
  );
  const unknown = [
    ...(workers.length ? [] : [{ path: "socialWorkerId", message: "no such social worker" }]),
    ...(teams.length ? [] : [{ path: "teamId", message: "no such volunteer team" }]),
  ];
  const pinned = {
    ...facts,
    windows: [{ start: pick.start, end: new Date(pick.start.getTime() + 60_000) }],
  };
  const scored = rankCandidates(pinned, workers, teams, { limit: 1 });
  const reasons = (Object.keys(scored.excluded) as ExclusionReason[]).filter(
    (reason) => reason !== "no_common_free_slot",
  );
  return {
    facts,
    worker: workers[0],
    team: teams[0],
    unknown,
    reasons,
    candidate: scored.candidates[0],
  };
}

/**
 * One pick with its plain-word facts, for the confirmation step; undefined when it no longer
 * fits (a hard filter, or the worker or team is booked at that time by now).
 */
export async function explainedPick(db: Queryable, need: NeedRow, pick: Pick, now: Date) {
  const { facts, worker, team, candidate, reasons } = await scorePick(db, need, pick);
  if (!worker || !team || !candidate || reasons.length > 0) return undefined;
  const explanation = explainCandidate(facts, candidate, worker, team, now);
  const picked: ExplainedCandidate = { ...shown(candidate, 1, worker, team), explanation };
  return { picked, names: await namesFor(db, [explanation]) };
}
