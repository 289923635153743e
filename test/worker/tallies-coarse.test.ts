import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import type { RegionLevel } from "../../src/domain/vocabulary";
import { describeRegion, type TallyDimension, tally } from "../../src/tallies/query";
import { withDb } from "./helpers";

// Tallies over whole counties and above read the coarse tables (tally_area, tally_distinct);
// the rest read the fine rollups, whose exactness tallies-exact.test.ts proves against the raw
// records. Here: both ways give the same answer, on whatever the other test files have written,
// read in one snapshot; and the coarse tables kept by triggers equal a rebuild from scratch.

const TABLES = [
  "outcomes",
  "outcome_groups",
  "outcome_volunteers",
  "outcome_adjustments",
  "outcome_adjustment_groups",
  "tally_rollup",
  "tally_group_rollup",
  "tally_social_workers",
  "tally_volunteers",
  "tally_area",
  "tally_presence",
  "tally_distinct",
];

/** Runs `fn` on a snapshot no one writes to meanwhile, and rolls back whatever it did. */
async function inQuietSnapshot<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await withDb((db) =>
    db
      .transaction(async (tx) => {
        await tx.execute(sql.raw(`lock table ${TABLES.join(", ")} in share row exclusive mode`));
        result = await fn(tx as unknown as Database);
        throw new RollBack();
      })
      .catch((error) => {
        if (!(error instanceof RollBack)) throw error;
      }),
  );
  return result as T;
}

class RollBack extends Error {}

const regions: { code: string | undefined; levels: RegionLevel[] }[] = [
  { code: undefined, levels: ["province", "city", "county"] },
  { code: "210000", levels: ["city", "county"] },
  { code: "210100", levels: ["county"] },
  { code: "210103", levels: [] },
  { code: "210104", levels: [] },
];

const period = fc.oneof(
  fc.integer({ min: 2016, max: 2026 }).map((year) => ({ from: `${year}-01`, to: `${year}-12` })),
  fc
    .tuple(fc.integer({ min: 2016, max: 2026 }), fc.integer({ min: 1, max: 12 }), fc.nat(14))
    .map(([year, month, span]) => {
      const start = year * 12 + month - 1;
      const end = start + span;
      const fmt = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
      return { from: fmt(start), to: fmt(end) };
    }),
);

describe("coarse tallies", () => {
  it("answer exactly as the fine rollups do, for every region, grouping and period", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...regions),
        fc.subarray<TallyDimension>(["month", "region"]),
        period,
        fc.nat(),
        async (region, wanted, { from, to }, pick) => {
          const dims = region.levels.length ? wanted : wanted.filter((d) => d !== "region");
          const level = region.levels[pick % Math.max(region.levels.length, 1)];
          const request = { region: region.code, from, to, groupBy: dims, level };
          const [coarse, fine] = await inQuietSnapshot(async (tx) => {
            const info = await describeRegion(tx, region.code);
            if (!info) throw new Error(`unknown region ${region.code}`);
            return [
              await tally(tx, request, info),
              await tally(tx, request, info, { fineOnly: true }),
            ];
          });
          expect(coarse).toEqual(fine);
          compared++;
        },
      ),
      { numRuns: 25 },
    );
    expect(compared).toBe(25);
  });

  it("keeps the coarse tables equal to a rebuild from the fine ones", async () => {
    const snapshot = (tx: Database) =>
      Promise.all(
        ["tally_area", "tally_presence", "tally_distinct"].map(async (table) => {
          const result = await tx.execute(
            sql.raw(
              `select * from ${table} order by 1, 2, 3, 4${table === "tally_area" ? "" : ", 5"}`,
            ),
          );
          // Counters that fell back to zero stay as rows; a rebuild does not make them.
          return result.rows.filter((row) => !("n" in row) || Number(row.n) !== 0);
        }),
      );
    const [kept, rebuilt] = await inQuietSnapshot(async (tx) => {
      const before = await snapshot(tx);
      await tx.execute(sql`select tally_rebuild_coarse()`);
      return [before, await snapshot(tx)];
    });
    expect(kept[0]?.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  });
});
