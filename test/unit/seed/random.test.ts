import { describe, expect, it } from "vitest";
import { createRandom, mulberry32, seedFromString, stableUuid } from "../../../scripts/seed/random";

const draw = (next: () => number, count: number) => Array.from({ length: count }, next);

describe("mulberry32", () => {
  it("gives the same sequence for the same seed", () => {
    expect(draw(mulberry32(42), 20)).toEqual(draw(mulberry32(42), 20));
  });

  it("gives different sequences for different seeds", () => {
    expect(draw(mulberry32(42), 5)).not.toEqual(draw(mulberry32(43), 5));
  });

  it("stays within [0, 1)", () => {
    for (const value of draw(mulberry32(7), 10_000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe("createRandom", () => {
  it("is deterministic for a string seed", () => {
    const a = createRandom("social-workers");
    const b = createRandom("social-workers");
    expect([a.int(1, 6), a.pick(["x", "y", "z"]), a.shuffle([1, 2, 3, 4])]).toEqual([
      b.int(1, 6),
      b.pick(["x", "y", "z"]),
      b.shuffle([1, 2, 3, 4]),
    ]);
    expect(seedFromString("a")).not.toBe(seedFromString("b"));
  });

  it("draws integers within both bounds", () => {
    const rng = createRandom(1);
    const seen = new Set(Array.from({ length: 1_000 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it("samples distinct items", () => {
    const sample = createRandom(3).sample([1, 2, 3, 4, 5], 3);
    expect(new Set(sample).size).toBe(3);
  });

  it("throws when picking from an empty list", () => {
    expect(() => createRandom(1).pick([])).toThrow();
  });
});

describe("stableUuid", () => {
  it("derives the same UUID-shaped id from the same key", () => {
    const id = stableUuid("community:210103005024");
    expect(id).toBe(stableUuid("community:210103005024"));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(stableUuid("community:210104002014"));
  });
});
