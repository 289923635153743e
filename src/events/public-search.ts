/**
 * What a volunteer asks the public event list, read from its address (a plain GET form, so it
 * works without JavaScript and every result page can be shared or bookmarked). Pure functions.
 */
import { regionLevelOf } from "../domain/regions";

export const whenChips = ["all", "today", "week", "weekend"] as const;
export type WhenChip = (typeof whenChips)[number];

export interface PublicSearch {
  /** A city or county (6-digit code), or none: the whole province. */
  region?: string;
  /** A community (12-digit code): the nearest events first. */
  near?: string;
  words: string[];
  when: WhenChip;
  page: number;
}

/** Events per page: a phone screen or two. */
export const PAGE_SIZE = 10;
const MAX_WORDS = 5;
const MAX_WORD_LENGTH = 20;
const MAX_PAGE = 500;

type Query = Record<string, string | undefined>;

/** A city or county code, preferring `region`, then the older `county` / `city` parameters. */
function readRegion(query: Query): string | undefined {
  for (const candidate of [query.region, query.county, query.city]) {
    const level = candidate ? regionLevelOf(candidate) : undefined;
    if (level === "city" || level === "county") return candidate;
  }
  return undefined;
}

/** Reads the list's query parameters; anything malformed is ignored rather than refused. */
export function readPublicSearch(query: Query): PublicSearch {
  const near = query.near && regionLevelOf(query.near) === "community" ? query.near : undefined;
  const words = (query.q ?? "")
    .split(/[\s\u3000]+/)
    .map((word) => [...word].slice(0, MAX_WORD_LENGTH).join(""))
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  const when = (whenChips as readonly string[]).includes(query.when ?? "")
    ? (query.when as WhenChip)
    : "all";
  const page = /^[1-9]\d{0,3}$/.test(query.page ?? "") ? Number(query.page) : 1;
  return { region: readRegion(query), near, words, when, page: Math.min(page, MAX_PAGE) };
}

/** True when the volunteer narrowed the list in any way (the empty state then says so). */
export function isFiltered(search: PublicSearch): boolean {
  return !!search.region || search.words.length > 0 || search.when !== "all";
}

/** The list's address for a search, with some parameters changed (chips, pages, links). */
export function searchPath(search: PublicSearch, change: Partial<PublicSearch> = {}): string {
  const next = { ...search, ...change };
  const params = new URLSearchParams();
  if (next.region) params.set("region", next.region);
  if (next.near) params.set("near", next.near);
  if (next.words.length > 0) params.set("q", next.words.join(" "));
  if (next.when !== "all") params.set("when", next.when);
  if (next.page > 1) params.set("page", String(next.page));
  const query = params.toString();
  return query ? `/events?${query}` : "/events";
}

const DAY_MS = 86_400_000;
/** China keeps UTC+8 all year, so Beijing days are fixed offsets from UTC. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The start-time window of a date chip, in Beijing time: today (until midnight), this week (until
 * Monday 00:00) or the weekend (Saturday 00:00 to Monday 00:00, this one if it has begun).
 * Undefined for "all". The list adds "not started yet" itself.
 */
export function dateWindow(when: WhenChip, now: Date): { from: Date; to: Date } | undefined {
  if (when === "all") return undefined;
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const startOfToday =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - SHANGHAI_OFFSET_MS;
  const weekday = local.getUTCDay(); // 0 = Sunday
  const nextMonday = startOfToday + (weekday === 0 ? 1 : 8 - weekday) * DAY_MS;
  if (when === "today") return { from: now, to: new Date(startOfToday + DAY_MS) };
  if (when === "week") return { from: now, to: new Date(nextMonday) };
  const saturday = nextMonday - 2 * DAY_MS;
  return { from: new Date(Math.max(now.getTime(), saturday)), to: new Date(nextMonday) };
}

/**
 * How far apart two places are in the region tree: 0 the same community, 1 the same street,
 * 2 the same county, 3 the same city, 4 the same province, 5 farther.
 */
export function treeDistance(a: string, b: string): number {
  if (a === b) return 0;
  const shared = [9, 6, 4, 2].findIndex((length) => a.slice(0, length) === b.slice(0, length));
  return shared === -1 ? 5 : shared + 1;
}

/** Escapes a word for ILIKE '%…%' (backslash is PostgreSQL's default escape character). */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
