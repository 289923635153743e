import { and, eq, gt, inArray, like, lt } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth, requireRole } from "../auth/middleware";
import type { Scope } from "../auth/principal";
import { communities, matchingRuns, needs } from "../db/schema";
import { regionContains, regionPrefix } from "../domain/regions";
import { serviceTypeLabels } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { bookEvent } from "../events/booking";
import { AppError, notFound } from "../lib/errors";
import { Instant, RegionCode, Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { idempotent } from "../middleware/idempotency";
import { needColumns } from "../needs/queries";
import { assignBatch } from "./assign";
import { loadResources, toNeedFacts } from "./load-facts";

const tags = ["matching"];
const MAX_PERIOD_DAYS = 92;

const CreateRun = v.pipe(
  v.strictObject({ regionCode: RegionCode, from: Instant, to: Instant }),
  v.check((input) => input.from < input.to, "the period must end after it starts"),
  v.check(
    (input) => input.to.getTime() - input.from.getTime() <= MAX_PERIOD_DAYS * 86_400_000,
    `a run covers at most ${MAX_PERIOD_DAYS} days`,
  ),
);

const AcceptPlan = v.strictObject({
  needIds: v.optional(v.pipe(v.array(Uuid), v.minLength(1), v.maxLength(5_000))),
});

interface PlanEntry {
  needId: string;
  communityId: string;
  socialWorkerId: string;
  socialWorkerName: string;
  teamId: string;
  teamName: string;
  start: string;
  end: string;
  score: number;
  parts: Record<string, number>;
}

/** A region the caller may plan for: an admin anywhere, a department inside its own region. */
function assertRegionInScope(scope: Scope, regionCode: string): void {
  if (scope.kind === "all") return;
  if (scope.kind === "region" && regionContains(scope.regionCode, regionCode)) return;
  throw notFound("region");
}

/**
 * Whether a caller may see a run: admins all, departments runs inside their region, coordinators
 * runs over a region that includes their community (and then only its entries).
 */
function runVisible(scope: Scope, regionCode: string): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "community") return regionContains(regionCode, scope.regionCode);
  return scope.kind === "region" && regionContains(scope.regionCode, regionCode);
}

/** The entries a caller may see or accept: a coordinator only their community's. */
function entriesFor(scope: Scope, plan: PlanEntry[]): PlanEntry[] {
  return scope.kind === "community"
    ? plan.filter((e) => e.communityId === scope.communityId)
    : plan;
}

/**
 * Batch matching (SPEC §2): assign every open need of a region and period at once, optimally under
 * each social worker's weekly capacity (src/matching/assign.ts). A run is a proposal; accepting it
 * (all or part) creates the events.
 */
export const matchingRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/runs",
    describeRoute({ summary: "Propose a plan for all open needs of a region and period", tags }),
    requireRole("admin", "department"),
    validate("json", CreateRun),
    async (c) => {
      const { regionCode, from, to } = c.req.valid("json");
      assertRegionInScope(c.var.principal.scope, regionCode);
      const rows = await c.var.db
        .select(needColumns)
        .from(needs)
        .innerJoin(communities, eq(communities.id, needs.communityId))
        .where(
          and(
            eq(needs.status, "open"),
            like(communities.regionCode, `${regionPrefix(regionCode)}%`),
            lt(needs.windowStart, to),
            gt(needs.windowEnd, from),
          ),
        );
      const needFacts = rows.map(toNeedFacts);
      const { workers, teams } = await loadResources(c.var.db, { start: from, end: to });
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
      const [run] = await c.var.db
        .insert(matchingRuns)
        .values({
          regionCode,
          periodStart: from,
          periodEnd: to,
          totalScore: result.totalScore,
          plan,
          unmatched: result.unmatched,
          createdBy: c.var.principal.accountId,
        })
        .returning({ id: matchingRuns.id, createdAt: matchingRuns.createdAt });
      return c.json(
        {
          id: run?.id,
          regionCode,
          from,
          to,
          needs: rows.length,
          totalScore: result.totalScore,
          plan,
          unmatched: result.unmatched,
        },
        201,
      );
    },
  )
  .get(
    "/runs/:id",
    describeRoute({
      summary: "A proposed plan (a coordinator sees only their community's entries)",
      tags,
    }),
    requireRole("admin", "department", "coordinator"),
    validate("param", v.object({ id: Uuid })),
    async (c) => {
      const [run] = await c.var.db
        .select()
        .from(matchingRuns)
        .where(eq(matchingRuns.id, c.req.valid("param").id));
      if (!run || !runVisible(c.var.principal.scope, run.regionCode))
        throw notFound("matching run");
      const scope = c.var.principal.scope;
      const plan = entriesFor(scope, run.plan as PlanEntry[]);
      let unmatched = run.unmatched as { needId: string; reason: string }[];
      if (scope.kind === "community" && unmatched.length > 0) {
        // Unmatched needs are not in the plan: which are this community's is asked of the needs.
        const mine = await c.var.db
          .select({ id: needs.id })
          .from(needs)
          .where(
            and(
              inArray(
                needs.id,
                unmatched.map((u) => u.needId),
              ),
              eq(needs.communityId, scope.communityId),
            ),
          );
        const ids = new Set(mine.map((row) => row.id));
        unmatched = unmatched.filter((u) => ids.has(u.needId));
      }
      return c.json({ ...run, plan, unmatched });
    },
  )
  .post(
    "/runs/:id/accept",
    describeRoute({
      summary: "Accept a plan, whole or the listed needs: one event per entry",
      description:
        "Each entry is booked in its own transaction; an entry that no longer fits (the need was matched meanwhile, or someone is now booked) is reported with its error and the rest still go ahead.",
      tags,
    }),
    requireRole("admin", "coordinator"),
    idempotent,
    validate("param", v.object({ id: Uuid })),
    validate("json", AcceptPlan),
    async (c) => {
      const [run] = await c.var.db
        .select()
        .from(matchingRuns)
        .where(eq(matchingRuns.id, c.req.valid("param").id));
      if (!run || !runVisible(c.var.principal.scope, run.regionCode))
        throw notFound("matching run");
      const wanted = c.req.valid("json").needIds;
      const entries = entriesFor(c.var.principal.scope, run.plan as PlanEntry[]).filter(
        (e) => !wanted || wanted.includes(e.needId),
      );
      if (wanted && entries.length < new Set(wanted).size) throw notFound("plan entry");
      const details = await c.var.db
        .select({
          id: needs.id,
          serviceType: needs.serviceType,
          volunteersNeeded: needs.volunteersNeeded,
          communityName: communities.name,
        })
        .from(needs)
        .innerJoin(communities, eq(communities.id, needs.communityId))
        .where(
          inArray(
            needs.id,
            entries.map((e) => e.needId),
          ),
        );
      const byId = new Map(details.map((d) => [d.id, d]));
      const results = [];
      for (const entry of entries) {
        const need = byId.get(entry.needId);
        if (!need) continue;
        try {
          const eventId = await bookEvent(c, {
            needId: entry.needId,
            communityId: entry.communityId,
            serviceType: need.serviceType,
            title: `${serviceTypeLabels[need.serviceType].zh} · ${need.communityName}`,
            socialWorkerId: entry.socialWorkerId,
            teamIds: [entry.teamId],
            start: new Date(entry.start),
            end: new Date(entry.end),
            capacity: Math.max(need.volunteersNeeded, 1),
            matchScore: entry.score,
          });
          results.push({ needId: entry.needId, eventId });
        } catch (error) {
          if (!(error instanceof AppError) || error.status !== 409) throw error;
          results.push({
            needId: entry.needId,
            error: { code: error.code, message: error.message, ...error.details },
          });
        }
      }
      const booked = results.filter((r) => "eventId" in r).length;
      return c.json({ booked, failed: results.length - booked, results });
    },
  );
