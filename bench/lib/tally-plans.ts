/**
 * Plan summaries for bench/tallies.ts: every query tally() sends, run under EXPLAIN (ANALYZE,
 * BUFFERS, FORMAT JSON), reduced to its time, the rows its scans read (rows they returned plus
 * rows their filters removed) against the rows it returned, and the plan's node types.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { ScriptDatabase } from "../../scripts/lib/database";
import * as schema from "../../src/db/schema";
import { type Tally, type TallyRequest, tally } from "../../src/tallies/query";

export interface PlanSummary {
  query: string;
  executionMs: number;
  planningMs: number;
  /** Rows the scans produced or filtered out: what the query had to look at. */
  rowsRead: number;
  rowsReturned: number;
  /** Shared buffers hit and read. */
  buffers: number;
  /** Node types, outermost first; scans with their relation or index. */
  shape: string;
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

const SCANS = new Set([
  "Seq Scan",
  "Index Scan",
  "Index Only Scan",
  "Bitmap Heap Scan",
  "Tid Scan",
  "Function Scan",
]);

function walk(node: PlanNode, visit: (node: PlanNode, depth: number) => void, depth = 0): void {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, visit, depth + 1);
}

function summarisePlan(query: string, root: PlanNode, times: Record<string, number>): PlanSummary {
  let rowsRead = 0;
  const shape: string[] = [];
  walk(root, (node) => {
    const loops = node["Actual Loops"] ?? 1;
    if (SCANS.has(node["Node Type"]))
      rowsRead +=
        ((node["Actual Rows"] ?? 0) +
          (node["Rows Removed by Filter"] ?? 0) +
          (node["Rows Removed by Index Recheck"] ?? 0)) *
        loops;
    const on = node["Index Name"] ?? node["Relation Name"];
    shape.push(on ? `${node["Node Type"]} (${on})` : node["Node Type"]);
  });
  return {
    query: query.replace(/\s+/g, " "),
    executionMs: times["Execution Time"] ?? 0,
    planningMs: times["Planning Time"] ?? 0,
    rowsRead,
    rowsReturned: root["Actual Rows"] ?? 0,
    buffers: (root["Shared Hit Blocks"] ?? 0) + (root["Shared Read Blocks"] ?? 0),
    shape: shape.join(" < "),
  };
}

/** EXPLAIN ANALYZE of each query tally() sends for `request`. */
export async function explainTally(
  pool: pg.Pool,
  request: TallyRequest,
  info: Tally["region"],
): Promise<PlanSummary[]> {
  const captured: { query: string; params: unknown[] }[] = [];
  const logging = drizzle(pool, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query, params) => captured.push({ query, params }) },
  }) as unknown as ScriptDatabase;
  await tally(logging, request, info);
  const out: PlanSummary[] = [];
  for (const { query, params } of captured) {
    const { rows } = await pool.query<{ "QUERY PLAN": [Record<string, unknown>] }>(
      `explain (analyze, buffers, format json) ${query}`,
      params,
    );
    const [top] = rows[0]?.["QUERY PLAN"] ?? [];
    if (!top) continue;
    out.push(summarisePlan(query, top.Plan as PlanNode, top as Record<string, number>));
  }
  return out;
}
