import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { averageRating, medianHours } from "../../../src/requests/figures";

/** PostgreSQL's percentile_cont(0.5) over the values themselves, to a tenth of an hour. */
function medianOfValues(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(middle)] ?? 0;
  const high = sorted[Math.ceil(middle)] ?? 0;
  return Math.round(low + (high - low) / 2) / 10;
}

describe("研判's median and average from rolled-up counts", () => {
  it("reads the median off counts per tenth of an hour as percentile_cont does off the values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 60 }), (values) => {
        const counts = new Map<number, number>();
        for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
        expect(medianHours(counts)).toBe(medianOfValues(values));
      }),
    );
  });

  it("ignores durations counted down to nothing, and has no median without any", () => {
    expect(medianHours(undefined)).toBeNull();
    expect(medianHours(new Map([[30, 0]]))).toBeNull();
    expect(
      medianHours(
        new Map([
          [10, 1],
          [99, 0],
          [30, 1],
        ]),
      ),
    ).toBe(2);
  });

  it("rounds the average from the exact quotient, as PostgreSQL's round(avg, 2)", () => {
    expect(averageRating(133, 40)).toBe(3.33);
    expect(averageRating(93, 40)).toBe(2.33);
    expect(averageRating(5, 1)).toBe(5);
    expect(averageRating(0, 0)).toBeNull();
  });
});
