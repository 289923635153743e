/**
 * Brute force over plans, for property tests: the best feasible plan drawn from a list of
 * candidates, by exhaustive search, and the full model's candidates (every worker, team and start
 * on a 30-minute grid), so that the best plan over them is the best plan the rules allow, not
 * only the best among each pair's earliest starts.
 */
import { weekOf } from "../../../src/matching/time";
import type { NeedFacts, TeamFacts, WorkerFacts } from "../../../src/matching/types";
import { loadIn, type OracleCandidate, oracleScore, overlaps, pairReason } from "./oracle";

/** How many needs a plan serves and its total score. */
export interface OracleBest {
  matched: number;
  score: number;
}

/** "score": the highest total; "lexicographic": the most needs, then the highest total. */
export type Objective = "score" | "lexicographic";

const EPSILON = 1e-9;

function beats(a: OracleBest, b: OracleBest, objective: Objective): boolean {
  if (objective === "lexicographic" && a.matched !== b.matched) return a.matched > b.matched;
  return a.score > b.score + EPSILON;
}

/** The best feasible plan drawn from `candidates` for the objective, by exhaustive search. */
export function oracleBestPlan(
  needs: NeedFacts[],
  workers: WorkerFacts[],
  candidates: OracleCandidate[],
  objective: Objective = "score",
): OracleBest {
  const byNeed = needs.map((need) =>
    candidates.filter((c) => c.need === need.id).sort((a, b) => b.score - a.score),
  );
  const suffix = (value: (list: OracleCandidate[]) => number) =>
    byNeed.map((_, i) => byNeed.slice(i).reduce((sum, list) => sum + value(list), 0));
  const scoreLeft = suffix((list) => list[0]?.score ?? 0);
  const needsLeft = suffix((list) => (list.length > 0 ? 1 : 0));
  const workerById = new Map(workers.map((w) => [w.id, w]));
  const chosen: OracleCandidate[] = [];
  let best: OracleBest = { matched: 0, score: 0 };
  const fits = (c: OracleCandidate) => {
    const worker = workerById.get(c.worker);
    if (!worker) return false;
    const sameWeek = chosen.filter((o) => o.worker === c.worker && o.week === c.week).length;
    if (loadIn(worker, c.week) + sameWeek + 1 > worker.weeklyCapacity) return false;
    return !chosen.some(
      (o) => (o.worker === c.worker || o.team === c.team) && o.start < c.end && c.start < o.end,
    );
  };
  const visit = (i: number, matched: number, score: number) => {
    if (beats({ matched, score }, best, objective)) best = { matched, score };
    if (i === byNeed.length) return;
    const bound = { matched: matched + (needsLeft[i] ?? 0), score: score + (scoreLeft[i] ?? 0) };
    if (!beats(bound, best, objective)) return;
    for (const c of byNeed[i] ?? []) {
      if (!fits(c)) continue;
      chosen.push(c);
      visit(i + 1, matched + 1, score + c.score);
      chosen.pop();
    }
    visit(i + 1, matched, score);
  };
  visit(0, 0, 0);
  return best;
}

const GRID = 30 * 60_000;

function onGrid(...instants: number[]): void {
  for (const instant of instants) {
    if (instant % GRID !== 0) throw new Error("full-model oracle: times must be on a 30-min grid");
  }
}

/**
 * Every (worker, team, start) the rules allow for the need, starts every 30 minutes inside its
 * windows. With every window, busy time and duration on that grid, an optimal plan exists with
 * every start on it: moving a start earlier within its week never lowers the score, and an entry
 * moved as early as it can go starts at a window start, a week start or the end of a busy time or
 * of another entry.
 */
export function fullModelCandidates(
  need: NeedFacts,
  workers: WorkerFacts[],
  teams: TeamFacts[],
): OracleCandidate[] {
  const duration = need.durationMinutes * 60_000;
  onGrid(duration, ...need.windows.flatMap((w) => [w.start.getTime(), w.end.getTime()]));
  const starts = new Set<number>();
  for (const w of need.windows) {
    for (let s = w.start.getTime(); s < w.end.getTime(); s += GRID) starts.add(s);
  }
  const candidates: OracleCandidate[] = [];
  for (const worker of workers) {
    for (const team of teams) {
      if (pairReason(need, worker, team)) continue;
      const busy = [...worker.busy, ...team.busy];
      onGrid(...busy.flatMap((b) => [b.start.getTime(), b.end.getTime()]));
      for (const start of [...starts].sort((a, b) => a - b)) {
        const week = weekOf(start);
        const end = start + duration;
        if (loadIn(worker, week) >= worker.weeklyCapacity) continue;
        if (busy.some((b) => overlaps(b, start, end))) continue;
        const score = oracleScore(need, worker, team, start);
        candidates.push({
          need: need.id,
          worker: worker.id,
          team: team.id,
          start,
          end,
          week,
          score,
        });
      }
    }
  }
  return candidates;
}

/** The full model's most needs served and highest score (each by its own search). */
export function fullModelOptimum(needs: NeedFacts[], workers: WorkerFacts[], teams: TeamFacts[]) {
  const candidates = needs.flatMap((need) => fullModelCandidates(need, workers, teams));
  return {
    mostServed: oracleBestPlan(needs, workers, candidates, "lexicographic").matched,
    bestScore: oracleBestPlan(needs, workers, candidates, "score").score,
  };
}
