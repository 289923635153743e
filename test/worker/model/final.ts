import { SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Queryable } from "../../../src/db/client";
import { withDb } from "../helpers";
import { ORIGIN } from "../web-helpers";
import type { Real } from "./commands/base";
import type { Model } from "./state";

/** 5 through the contract: each social worker's calendar feed shows SEQUENCE = revision. */
export async function checkFeeds(model: Model, real: Real): Promise<void> {
  const events = real.last?.events ?? [];
  for (const worker of real.workers) {
    const response = await SELF.fetch(`${ORIGIN}/calendar/${worker.feed}.ics`, {
      headers: { "X-Test-Now": new Date(model.now).toISOString() },
    });
    expect(response.status, "calendar feed").toBe(200);
    const text = (await response.text()).replace(/\r\n[ \t]/g, "");
    const shown = new Map<string, { sequence: number; status: string }>();
    for (const block of text.split("BEGIN:VEVENT").slice(1)) {
      const field = (name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)`).exec(block)?.[1] ?? "";
      shown.set(field("UID").replace(/@shuangyi$/, ""), {
        sequence: Number(field("SEQUENCE")),
        status: field("STATUS"),
      });
    }
    const expected = events
      .filter((e) => e.lead === worker.id)
      .map((e): [string, { sequence: number; status: string }] => [
        e.id,
        {
          sequence: e.revision,
          status:
            e.status === "cancelled"
              ? "CANCELLED"
              : e.leadResponse === "accepted"
                ? "CONFIRMED"
                : "TENTATIVE",
        },
      ]);
    // Only this world's events: another file's need may have picked this worker since.
    const mine = expected.map(([id]): [string, unknown] => [id, shown.get(id)]);
    expect(Object.fromEntries(mine), `calendar feed of ${worker.id}`).toEqual(
      Object.fromEntries(expected),
    );
  }
}

class Rollback extends Error {}

/** In the order tallies-coarse.test.ts locks them, so the two never deadlock. */
const TALLY_TABLES = [
  "outcomes",
  "outcome_groups",
  "outcome_volunteers",
  "outcome_adjustments",
  "outcome_adjustment_groups",
  "tally_rollup",
  "tally_group_rollup",
  "tally_social_workers",
  "tally_volunteers",
  "tally_presence",
  "tally_county",
  "tally_key_changes",
  "tally_distinct",
  "tally_distinct_changes",
];

async function rollupRows(db: Queryable, communities: string[]): Promise<string[]> {
  const list = sql.join(
    communities.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = (await db.execute(sql`
    select 'r ' || (to_jsonb(t) - 'region_code')::text as line from tally_rollup t
      where community_id in (${list})
        and (events <> 0 or person_times <> 0 or volunteers_attended <> 0 or volunteer_hours <> 0)
    union all select 'g ' || to_jsonb(t)::text from tally_group_rollup t
      where community_id in (${list}) and (events <> 0 or person_times <> 0)
    union all select 's ' || to_jsonb(t)::text from tally_social_workers t
      where community_id in (${list}) and events <> 0
    union all select 'v ' || to_jsonb(t)::text from tally_volunteers t
      where community_id in (${list}) and events <> 0
    union all select 'c ' || to_jsonb(t)::text from tally_county t
      where county_code in (select county_code from communities where id in (${list}))
        and (events, person_times, volunteers_attended, volunteer_hours, adjusted_person_times,
             adjusted_volunteers_attended, adjusted_volunteer_hours, volunteers, social_workers,
             communities, awaiting) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`)) as {
    rows: { line: string }[];
  };
  return result.rows.map((r) => r.line).sort();
}

/**
 * 7 with the real function: the rollups of every world's community (and of its county, outcomes
 * awaiting sign-off included) equal what `tally_rebuild()` computes from the outcome records (in
 * a transaction rolled back afterwards).
 */
export async function checkAgainstTallyRebuild(communities: string[]): Promise<void> {
  if (communities.length === 0) return;
  let kept: string[] = [];
  let rebuilt: string[] = [];
  await withDb((db) =>
    db
      .transaction(async (tx) => {
        // A fold's lock first (migration 0037): a fold holding it would wait for these tables.
        await tx.execute(sql`select tally_fold_lock()`);
        await tx.execute(
          sql.raw(`lock table ${TALLY_TABLES.join(", ")} in share row exclusive mode`),
        );
        // The keys' changes appended since the last fold count once folded (migration 0037).
        await tx.execute(sql`select tally_fold_keys()`);
        kept = await rollupRows(tx, communities);
        await tx.execute(sql`select tally_rebuild()`);
        rebuilt = await rollupRows(tx, communities);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      }),
  );
  expect(kept).toEqual(rebuilt);
}
