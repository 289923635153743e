/**
 * Text Postgres cannot store: NUL, and UTF-16 surrogates without their pair (which JSON allows
 * as `\ud800` escapes but jsonb and text refuse). The API refuses such input with a 400 naming
 * the field; the HTML forms drop NUL and replace a lone surrogate with U+FFFD instead.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

export function isStorable(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

export function toStorable(text: string): string {
  return text.replaceAll("\u0000", "").replace(LONE_SURROGATES, "\uFFFD");
}

/** Deeper than this the schemas refuse the value anyway; the walk stops there. */
const MAX_DEPTH = 64;

/** The path of the first key or string in `value` that cannot be stored, or undefined. */
export function findUnstorable(value: unknown, path: string[] = []): string | undefined {
  if (path.length > MAX_DEPTH) return undefined;
  if (typeof value === "string") return isStorable(value) ? undefined : path.join(".");
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorable(item, [...path, String(index)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorable(key)) return [...path, "(key)"].join(".");
      const found = findUnstorable(item, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A parsed HTML form with every string made storable (see toStorable). */
export function storableForm<T extends Record<string, unknown>>(body: T): T {
  const clean = (value: unknown): unknown =>
    typeof value === "string" ? toStorable(value) : Array.isArray(value) ? value.map(clean) : value;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, clean(value)])) as T;
}

/**
 * A name as one line: line breaks, tabs and runs of spaces (full-width ones too) become one
 * space, the ends trimmed. A name is shown on one line of a roster, an SMS or a CSV cell.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
