import type { Context } from "hono";
import type * as v from "valibot";
import type { Queryable } from "../db/client";
import { needs } from "../db/schema";
import { serviceTypeLabels } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { bookEvent } from "../events/booking";
import { createWithAudit } from "../lib/audit";
import { AppError } from "../lib/errors";
import { rankCandidates } from "../matching/candidates";
import { loadResources, toNeedFacts } from "../matching/load-facts";
import { type findNeed, storedWindows, windowBounds } from "./queries";
import type { AcceptCandidate, CreateNeedInput } from "./schemas";

/** A need as read by `findNeed`. */
export type NeedRow = NonNullable<Awaited<ReturnType<typeof findNeed>>>;

/** Inserts a need for a community, with its audit entry; shared by the API and the staff pages. */
export async function insertNeed(
  c: Context<AppEnv>,
  communityId: string,
  input: Omit<CreateNeedInput, "communityId">,
): Promise<string> {
  const { windows, ...fields } = input;
  const [created] = await createWithAudit(c, "need", (tx) =>
    tx
      .insert(needs)
      .values({
        ...fields,
        communityId,
        windows: storedWindows(windows),
        ...windowBounds(windows),
        createdBy: c.var.principal.accountId,
      })
      .returning(),
  );
  if (!created) throw new Error("need insert returned no row");
  return created.id;
}

/** The ranked candidates for a need, with the names and levels people need to judge them. */
export async function rankNeedCandidates(db: Queryable, need: NeedRow, limit: number) {
  const facts = toNeedFacts(need);
  const period = {
    start: facts.windows[0]?.start ?? new Date(),
    end: facts.windows.at(-1)?.end ?? new Date(),
  };
  const { workers, teams } = await loadResources(db, period);
  const ranked = rankCandidates(facts, workers, teams, { limit });
  const workerById = new Map(workers.map((w) => [w.id, w]));
  const teamById = new Map(teams.map((t) => [t.id, t]));
  return {
    considered: ranked.considered,
    excluded: ranked.excluded,
    candidates: ranked.candidates.map((candidate, index) => {
      const worker = workerById.get(candidate.socialWorkerId);
      return {
        rank: index + 1,
        ...candidate,
        socialWorkerName: worker?.name ?? "",
        socialWorkerLevel: worker?.certificateLevel ?? "junior",
        teamName: teamById.get(candidate.teamId)?.name ?? "",
      };
    }),
  };
}

/**
 * Books a picked candidate — any of them, not only the first. The need must be open, the start
 * inside one of its windows, and the pair must pass the hard filters; availability is the
 * database's to decide (an overlap is a 409 naming the other event). Returns the event id.
 */
export async function acceptCandidate(
  c: Context<AppEnv>,
  need: NeedRow,
  pick: v.InferOutput<typeof AcceptCandidate>,
): Promise<string> {
  if (need.status !== "open")
    throw new AppError("CONFLICT", `the need is ${need.status}, not open`);
  const facts = toNeedFacts(need);
  if (!facts.windows.some((w) => pick.start >= w.start && pick.start < w.end)) {
    throw new AppError("VALIDATION_FAILED", "the start is outside the need's windows", {
      issues: [{ path: "start", message: "must fall inside one of the need's windows" }],
    });
  }
  // Only the picked pair: the whole province's workers and teams are the candidates list's work.
  const { workers, teams } = await loadResources(
    c.var.db,
    { start: pick.start, end: pick.start },
    { workerIds: [pick.socialWorkerId], teamIds: [pick.teamId] },
  );
  const worker = workers.filter((w) => w.id === pick.socialWorkerId);
  const team = teams.filter((t) => t.id === pick.teamId);
  const unknown = [
    ...(worker.length ? [] : [{ path: "socialWorkerId", message: "no such social worker" }]),
    ...(team.length ? [] : [{ path: "teamId", message: "no such volunteer team" }]),
  ];
  if (unknown.length > 0) {
    throw new AppError("VALIDATION_FAILED", "unknown social worker or volunteer team", {
      issues: unknown,
    });
  }
  // Score the pick as placed: a one-minute window at the chosen start.
  const pinned = {
    ...facts,
    windows: [{ start: pick.start, end: new Date(pick.start.getTime() + 60_000) }],
  };
  const scored = rankCandidates(pinned, worker, team, { limit: 1 });
  const reasons = Object.keys(scored.excluded).filter(
    (reason) => reason !== "no_common_free_slot" && reason !== "worker_at_capacity",
  );
  if (reasons.length > 0) {
    throw new AppError("CONFLICT", `this pair does not meet the need: ${reasons.join(", ")}`, {
      details: { reasons },
    });
  }
  return bookEvent(c, {
    needId: need.id,
    communityId: need.communityId,
    serviceType: need.serviceType,
    title: pick.title ?? `${serviceTypeLabels[need.serviceType].zh} · ${need.communityName}`,
    socialWorkerId: pick.socialWorkerId,
    teamIds: [pick.teamId],
    start: pick.start,
    end: new Date(pick.start.getTime() + need.durationMinutes * 60_000),
    capacity: pick.capacity ?? Math.max(need.volunteersNeeded, 1),
    matchScore: scored.candidates[0]?.score,
  });
}
