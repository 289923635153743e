/**
 * Deterministic randomness for the demo seed: the same seed gives the same data on every machine,
 * so re-running the seed finds every row already there.
 */
import { createHash } from "node:crypto";

/** A pseudo-random generator: `next()` returns a float in [0, 1). */
export interface Random {
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks one item, each with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** `count` distinct items in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: a tiny 32-bit generator, plenty for demo data (not for secrets). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a string (FNV-1a), so each part of the data can have its own stream. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `items[index]`, throwing instead of returning undefined when out of range. */
export function itemAt<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) throw new Error(`index ${index} out of range`);
  return items[index] as T;
}

/** A generator seeded with a number or a string. */
export function createRandom(seed: number | string): Random {
  const next = mulberry32(typeof seed === "string" ? seedFromString(seed) : seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [itemAt(copy, j), itemAt(copy, i)];
    }
    return copy;
  };
  return {
    next,
    int,
    shuffle,
    pick: (items) => itemAt(items, int(0, items.length - 1)),
    weighted: (items, weight) => {
      const total = items.reduce((sum, item) => sum + weight(item), 0);
      let target = next() * total;
      for (const item of items) {
        target -= weight(item);
        if (target < 0) return item;
      }
      return itemAt(items, items.length - 1);
    },
    sample: (items, count) => shuffle(items).slice(0, count),
  };
}

/**
 * A UUID-shaped id derived from a stable key (`community:210103005024`): SHA-256, truncated to
 * 128 bits, with the version-8 ("custom") and RFC 9562 variant bits set.
 */
export function stableUuid(key: string): string {
  const bytes = createHash("sha256").update(`shuangyi-demo:${key}`).digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x80, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
