import { and, gte, like, lte, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import { tallyGroupRollup, tallyRollup, tallySocialWorkers, tallyVolunteers } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";
import type { RegionLevel } from "../domain/vocabulary";
import {
  type CellMeasures,
  childCode,
  type Entry,
  emptyMeasures,
  type Groups,
  groupEntry,
  num,
  setSums,
} from "./cells";
import { type ChildRegion, coarseAggregate, coarsePlan } from "./coarse";
import type { TallyDimension, TallyOptions, TallyRequest } from "./query";

/**
 * Where a tally's numbers come from: the fine rollups (community × month × service type, by
 * target group, and who took part per cell) or, for whole counties and above not split by
 * service type or target group, the coarse ones (coarse.ts: one row per county and period,
 * distinct counts per region and period). Each function adds its measures to the cells `entry`
 * hands out.
 */

interface RollupColumns {
  regionCode: PgColumn;
  month: PgColumn;
  serviceType: PgColumn;
  targetGroup?: PgColumn;
}

/** The group-by expressions of the requested dimensions over one rollup table. */
function dimensionExpressions(
  table: RollupColumns,
  dims: TallyDimension[],
  level: RegionLevel,
): Record<string, SQL | PgColumn> {
  const out: Record<string, SQL | PgColumn> = {};
  for (const dim of dims) {
    if (dim === "month") out.month = table.month;
    if (dim === "serviceType") out.serviceType = table.serviceType;
    if (dim === "targetGroup" && table.targetGroup) out.targetGroup = table.targetGroup;
    if (dim === "region") out.region = childCode(table.regionCode, level);
  }
  return out;
}

function scopeFilter(table: RollupColumns, request: TallyRequest): SQL | undefined {
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  return and(
    prefix ? like(table.regionCode, `${prefix}%`) : undefined,
    gte(table.month, monthStart(request.from)),
    lte(table.month, monthStart(request.to)),
  );
}

/**
 * Sums the fine rollups for one set of dimensions, by dimension key with the dimension values:
 * split by target group from tally_group_rollup; otherwise additive measures from tally_rollup and
 * distinct social workers and volunteers from their presence tables.
 */
async function fineAggregate(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
): Promise<void> {
  if (dims.includes("targetGroup")) {
    const t = tallyGroupRollup;
    const expressions = dimensionExpressions(t, dims, level);
    const rows = await db
      .select({
        ...expressions,
        events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
        personTimes: sql<number>`sum(${t.personTimes})`,
        adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
        communities: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
      })
      .from(t)
      .where(scopeFilter(t, request))
      .groupBy(...Object.values(expressions));
    for (const row of rows) {
      const m = entry(row);
      m.events = num(row.events);
      m.personTimes = num(row.personTimes);
      m.communitiesReached = num(row.communities);
      m.adjustments.personTimes = num(row.adjustedPersonTimes);
    }
    return;
  }
  await additiveFromRollup(db, request, dims, level, entry);
  await distinctFromRollups(db, request, dims, level, entry, { communities: false });
}

/**
 * The grouped cells and the totals of a tally. Whole counties and above, not split by service
 * type or target group, come from the coarse tables (coarse.ts), each read once for the cells and
 * the totals; the rest from the fine rollups. For whole counties and above, also how many
 * outcomes wait for sign-off (tally_county keeps that count too), and, when the coarse cells are
 * child regions, their names.
 */
export async function aggregateWithTotals(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  options: TallyOptions,
): Promise<{ groups: Groups; totals: CellMeasures; awaiting?: number; children?: ChildRegion[] }> {
  // Who appears where (the fine rows of social workers and volunteers, the distinct counts) is
  // exact once the changes committed so far are folded in.
  await foldKeyChanges(db);
  const groups: Groups = new Map();
  const totals = emptyMeasures(false);
  const entry = groupEntry(groups, dims, dims.includes("targetGroup"));
  const groupPlan = dims.length && !options.fineOnly ? coarsePlan(request, dims, level) : undefined;
  const totalPlan = options.fineOnly ? undefined : coarsePlan(request, [], level);
  if (dims.length && !groupPlan) await fineAggregate(db, request, dims, level, entry);
  if (!totalPlan) await fineAggregate(db, request, [], level, () => totals);
  const coarse = totalPlan
    ? await coarseAggregate(
        db,
        request,
        dims,
        level,
        {
          groups: groupPlan && { plan: groupPlan, entry },
          totals: { plan: totalPlan, measures: totals },
        },
        // The child regions' names in the same statement, when its cells are theirs.
        groupPlan && dims.includes("region") ? level : undefined,
      )
    : undefined;
  // Distinct counts over several periods cannot be added up from the counters: from the fine rows.
  if (groupPlan && !groupPlan.counted)
    await distinctFromRollups(db, request, dims, level, entry, { communities: true });
  if (totalPlan && !totalPlan.counted)
    await distinctFromRollups(db, request, [], level, () => totals, { communities: true });
  return { groups, totals, awaiting: coarse?.awaiting, children: coarse?.children };
}

/** Sums, adjustments and communities reached from the fine rollup. */
async function additiveFromRollup(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
): Promise<void> {
  const t = tallyRollup;
  const expressions = dimensionExpressions(t, dims, level);
  const rows = await db
    .select({
      ...expressions,
      ...additiveSums(t),
      communities: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
    })
    .from(t)
    .where(scopeFilter(t, request))
    .groupBy(...Object.values(expressions));
  for (const row of rows) {
    const m = entry(row);
    setSums(m, row);
    m.communitiesReached = num(row.communities);
  }
}

/** The additive measures of tally_rollup, with their adjustments. */
function additiveSums(t: typeof tallyRollup) {
  return {
    events: sql<number>`sum(${t.events}) filter (where not ${t.adjustment})`,
    personTimes: sql<number>`sum(${t.personTimes})`,
    volunteersAttended: sql<number>`sum(${t.volunteersAttended})`,
    volunteerHours: sql<number>`sum(${t.volunteerHours})`,
    adjustedPersonTimes: sql<number>`sum(${t.personTimes}) filter (where ${t.adjustment})`,
    adjustedVolunteers: sql<number>`sum(${t.volunteersAttended}) filter (where ${t.adjustment})`,
    adjustedHours: sql<number>`sum(${t.volunteerHours}) filter (where ${t.adjustment})`,
  };
}

/** Distinct social workers and volunteers (and communities, if asked) from the fine rollups. */
async function distinctFromRollups(
  db: Queryable,
  request: TallyRequest,
  dims: TallyDimension[],
  level: RegionLevel,
  entry: Entry,
  options: { communities: boolean },
): Promise<void> {
  if (options.communities) {
    const t = tallyRollup;
    const expressions = dimensionExpressions(t, dims, level);
    const rows = await db
      .select({
        ...expressions,
        n: sql<number>`count(distinct ${t.communityId}) filter (where not ${t.adjustment} and ${t.events} > 0)`,
      })
      .from(t)
      .where(scopeFilter(t, request))
      .groupBy(...Object.values(expressions));
    for (const row of rows) entry(row).communitiesReached = num(row.n);
  }
  const workers = tallySocialWorkers;
  const workerExpressions = dimensionExpressions(workers, dims, level);
  const workerRows = await db
    .select({ ...workerExpressions, n: sql<number>`count(distinct ${workers.socialWorkerId})` })
    .from(workers)
    .where(scopeFilter(workers, request))
    .groupBy(...Object.values(workerExpressions));
  for (const row of workerRows) entry(row).activeSocialWorkers = num(row.n);

  const volunteers = tallyVolunteers;
  const volunteerExpressions = dimensionExpressions(volunteers, dims, level);
  const volunteerRows = await db
    .select({ ...volunteerExpressions, n: sql<number>`count(distinct ${volunteers.volunteerKey})` })
    .from(volunteers)
    .where(scopeFilter(volunteers, request))
    .groupBy(...Object.values(volunteerExpressions));
  for (const row of volunteerRows) entry(row).uniqueVolunteers = num(row.n);
}

/** The number a fold function returns (`select f() as n`). */
async function folded(db: Queryable, call: SQL): Promise<number> {
  // Every driver the app and its scripts use answers execute() with a node-postgres result.
  const result = (await db.execute(sql`select ${call} as n`)) as unknown as {
    rows: { n: number | string }[];
  };
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Writes the changes of who appears where that the triggers appended (`tally_fold_keys()`,
 * migration 0037): the fine rows of social workers and volunteers, the references and the
 * distinct counts. Every tally runs it before it reads; it costs one look when nothing waits.
 * Returns how many changes it took.
 */
function foldKeyChanges(db: Queryable): Promise<number> {
  return folded(db, sql`tally_fold_keys()`);
}

/**
 * Folds the changes of who appears where the triggers appended (as every tally does first), then
 * the distinct-count changes into tally_distinct: the Cron job, so that readers find little to
 * fold or sum. Returns how many count rows of tally_distinct changed.
 */
export function foldDistinctCounts(db: Queryable): Promise<number> {
  return folded(db, sql`tally_fold_distinct()`);
}
