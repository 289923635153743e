/**
 * An independent check of a plan against the facts, written without the engine's shortcuts (no
 * prepared timelines, no bit masks), so tests and callers can trust it to catch the engine's bugs.
 */
import { meetsCertificateLevel } from "../domain/vocabulary";
import { weekOf } from "./time";
import type { Candidate, Interval, NeedFacts, TeamFacts, WorkerFacts } from "./types";

function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

function inWindows(need: NeedFacts, start: Date): boolean {
  const at = start.getTime();
  return need.windows.some((w) => w.start.getTime() <= at && at < w.end.getTime());
}

function checkEntry(
  entry: Candidate,
  need: NeedFacts,
  worker: WorkerFacts,
  team: TeamFacts,
): string[] {
  const problems: string[] = [];
  const label = `need ${need.id}`;
  if (!worker.active) problems.push(`${label}: social worker ${worker.id} is inactive`);
  if (!team.active) problems.push(`${label}: team ${team.id} is inactive`);
  if (!meetsCertificateLevel(worker.certificateLevel, need.minCertificateLevel)) {
    problems.push(`${label}: social worker ${worker.id} is below the minimum certificate`);
  }
  if (team.size < need.volunteersNeeded) problems.push(`${label}: team ${team.id} is too small`);
  const wanted = new Set([need.serviceType, ...need.requiredSkills]);
  if (![...worker.skills, ...team.skills].some((skill) => wanted.has(skill))) {
    problems.push(`${label}: no wanted skill between ${worker.id} and ${team.id}`);
  }
  if (!inWindows(need, entry.start)) problems.push(`${label}: start is outside its windows`);
  if (entry.end.getTime() - entry.start.getTime() !== need.durationMinutes * 60_000) {
    problems.push(`${label}: the event does not last ${need.durationMinutes} minutes`);
  }
  if (worker.busy.some((busy) => overlaps(busy, entry))) {
    problems.push(`${label}: overlaps an existing event of social worker ${worker.id}`);
  }
  if (team.busy.some((busy) => overlaps(busy, entry))) {
    problems.push(`${label}: overlaps an existing event of team ${team.id}`);
  }
  return problems;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function checkOverlaps(entries: Candidate[], key: "socialWorkerId" | "teamId"): string[] {
  const problems: string[] = [];
  const byOwner = groupBy(entries, (entry) => entry[key]);
  for (const [owner, list] of byOwner) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Candidate;
        const b = list[j] as Candidate;
        if (overlaps(a, b)) problems.push(`${owner}: needs ${a.needId} and ${b.needId} overlap`);
      }
    }
  }
  return problems;
}

function checkCapacity(entries: Candidate[], workers: Map<string, WorkerFacts>): string[] {
  const problems: string[] = [];
  const byWorker = groupBy(entries, (entry) => entry.socialWorkerId);
  for (const [id, list] of byWorker) {
    const worker = workers.get(id);
    if (!worker) continue;
    const load = new Map<number, number>();
    for (const event of [...worker.busy, ...list]) {
      const week = weekOf(event.start.getTime());
      load.set(week, (load.get(week) ?? 0) + 1);
    }
    for (const week of new Set(list.map((entry) => weekOf(entry.start.getTime())))) {
      const count = load.get(week) ?? 0;
      if (count > worker.weeklyCapacity) {
        problems.push(`${id}: ${count} events in one week, capacity ${worker.weeklyCapacity}`);
      }
    }
  }
  return problems;
}

/** Every way the plan breaks the rules; empty when it is feasible. */
export function validatePlan(
  plan: { entries: Candidate[]; totalScore?: number },
  needs: readonly NeedFacts[],
  workers: readonly WorkerFacts[],
  teams: readonly TeamFacts[],
): string[] {
  const needById = new Map(needs.map((need) => [need.id, need]));
  const workerById = new Map(workers.map((worker) => [worker.id, worker]));
  const teamById = new Map(teams.map((team) => [team.id, team]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of plan.entries) {
    if (seen.has(entry.needId)) problems.push(`need ${entry.needId} is planned more than once`);
    seen.add(entry.needId);
    const need = needById.get(entry.needId);
    const worker = workerById.get(entry.socialWorkerId);
    const team = teamById.get(entry.teamId);
    if (!need || !worker || !team) {
      problems.push(`need ${entry.needId}: unknown need, social worker or team`);
      continue;
    }
    problems.push(...checkEntry(entry, need, worker, team));
  }
  problems.push(...checkOverlaps(plan.entries, "socialWorkerId"));
  problems.push(...checkOverlaps(plan.entries, "teamId"));
  problems.push(...checkCapacity(plan.entries, workerById));
  if (plan.totalScore !== undefined) {
    const sum = plan.entries.reduce((total, entry) => total + entry.score, 0);
    if (Math.abs(sum - plan.totalScore) > 1e-6 * Math.max(1, plan.entries.length)) {
      problems.push(`total score ${plan.totalScore} is not the sum of the entries (${sum})`);
    }
  }
  return problems;
}
