import type { Actor } from "../auth/actor";
import { assertRegionInScope, onlyOwnCommunity } from "../auth/scope";
import { matchingRuns } from "../db/schema";
import { AppError, notFound } from "../lib/errors";
import { acceptCandidate } from "../needs/service";
import { type AssignStats, assignBatch } from "./assign";
import { declinedWorkers, loadResources, toNeedFacts } from "./load-facts";
import { findRun, openNeedsOf, type PlanEntry } from "./queries";
import type { RunStats } from "./types";

/** What a run says of its plan's quality: the bounds, the gap, and how it was reached. */
function runStats(stats: AssignStats): RunStats {
  const { matchedBound, scoreBound, gap, solves, source, reslotted, conflicts, filled, arcs } =
    stats;
  return { matchedBound, scoreBound, gap, solves, source, reslotted, conflicts, filled, arcs };
}

/** The period over which a run must know everyone's events: the run's and every need's windows. */
function busyPeriod(from: Date, to: Date, windows: { start: Date; end: Date }[]) {
  const starts = [from, ...windows.map((w) => w.start)].map((d) => d.getTime());
  const ends = [to, ...windows.map((w) => w.end)].map((d) => d.getTime());
  return { start: new Date(Math.min(...starts)), end: new Date(Math.max(...ends)) };
}

/**
 * Proposes a plan for every open need of a region whose windows overlap the period, optimal under
 * each social worker's weekly capacity, and stores it as a run (nothing is booked). Existing
 * events are loaded over every week any of those needs' windows touch, not only the period's.
 */
export async function proposeRun(
  actor: Actor,
  input: { regionCode: string; from: Date; to: Date },
) {
  const { regionCode, from, to } = input;
  assertRegionInScope(actor.principal.scope, regionCode);
  const rows = await openNeedsOf(actor.db, regionCode, from, to);
  const declined = await declinedWorkers(
    actor.db,
    rows.map((need) => need.id),
  );
  const needFacts = rows.map((need) => ({
    ...toNeedFacts(need),
    declinedBy: declined.get(need.id) ?? [],
  }));
  const period = busyPeriod(
    from,
    to,
    needFacts.flatMap((need) => need.windows),
  );
  const { workers, teams } = await loadResources(actor.db, period);
  const result = assignBatch(needFacts, workers, teams, {});
  const workerNames = new Map(workers.map((w) => [w.id, w.name]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const communityOf = new Map(rows.map((r) => [r.id, r.communityId]));
  const plan: PlanEntry[] = result.entries.map((entry) => ({
    needId: entry.needId,
    communityId: communityOf.get(entry.needId) ?? "",
    socialWorkerId: entry.socialWorkerId,
    socialWorkerName: workerNames.get(entry.socialWorkerId) ?? "",
    teamId: entry.teamId,
    teamName: teamNames.get(entry.teamId) ?? "",
    start: entry.start.toISOString(),
    end: entry.end.toISOString(),
    score: entry.score,
    parts: entry.parts,
  }));
  const [run] = await actor.db
    .insert(matchingRuns)
    .values({
      regionCode,
      periodStart: from,
      periodEnd: to,
      totalScore: result.totalScore,
      plan,
      unmatched: result.unmatched,
      stats: runStats(result.stats),
      createdBy: actor.principal.accountId,
      createdAt: actor.now,
    })
    .returning({ id: matchingRuns.id });
  if (!run) throw new Error("run insert returned no row");
  return {
    id: run.id,
    regionCode,
    from,
    to,
    needs: rows.length,
    totalScore: result.totalScore,
    plan,
    unmatched: result.unmatched,
    stats: runStats(result.stats),
  };
}

export type AcceptRunResult =
  | { needId: string; eventId: string }
  | { needId: string; error: { code: string; message: string; [detail: string]: unknown } };

/**
 * Books a stored plan, whole or the listed needs (a coordinator only its community's). Each entry
 * goes through {@link acceptCandidate}, so it is checked as things stand now — the need still
 * open and its windows still holding the start, both people active, the certificate, skills,
 * weekly capacity, the start still ahead, no overlap — and booked in its own transaction; an entry
 * that no longer fits is reported with its reason while the rest go ahead.
 */
export async function acceptRun(actor: Actor, runId: string, needIds: string[] | undefined) {
  const run = await findRun(actor.db, actor.principal.scope, runId);
  const entries = onlyOwnCommunity(actor.principal.scope, run.plan as PlanEntry[]).filter(
    (entry) => !needIds || needIds.includes(entry.needId),
  );
  if (needIds && entries.length < new Set(needIds).size) throw notFound("plan entry");
  const results: AcceptRunResult[] = [];
  for (const entry of entries) {
    try {
      const event = await acceptCandidate(actor, entry.needId, {
        socialWorkerId: entry.socialWorkerId,
        teamId: entry.teamId,
        start: new Date(entry.start),
      });
      results.push({ needId: entry.needId, eventId: event.id });
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 400))
        throw error;
      results.push({
        needId: entry.needId,
        error: { code: error.code, message: error.message, ...error.details },
      });
    }
  }
  const booked = results.filter((r) => "eventId" in r).length;
  return { booked, failed: results.length - booked, results };
}
