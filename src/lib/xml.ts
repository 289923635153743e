/**
 * The little XML an .xlsx needs, by hand: the parts are machine-written and regular, and a
 * general XML parser would cost the Worker more than the whole reader. No DTDs, no external
 * entities: only the five predefined entities and character references are expanded.
 */

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Unescapes XML text and OOXML's `_xHHHH_` escapes (e.g. `_x000D_` for a carriage return). */
export function unescapeXml(text: string): string {
  return text
    .replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
      if (entity.startsWith("#x")) return codePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith("#")) return codePoint(Number.parseInt(entity.slice(1), 10));
      return ENTITIES[entity] ?? "";
    })
    .replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => codePoint(Number.parseInt(hex, 16)));
}

function codePoint(n: number): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "";
}

/**
 * Characters XML 1.0 cannot hold at all (tab, line feed and carriage return it can): the
 * controls, the non-characters U+FFFE and U+FFFF, and a surrogate without its pair.
 */
const CONTROL_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what it removes.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for an XML attribute or element. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(CONTROL_CHARACTERS, "");
}

/** The attributes of a start tag's attribute text, by local name (`r:id` → `id`). */
export function attributesOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = (match[1] ?? "").replace(/^[\w.-]+:/, "");
    out[name] = unescapeXml(match[2] ?? match[3] ?? "");
  }
  return out;
}

/**
 * Every element `name` (any namespace prefix) as [attribute text, inner text]; self-closing ones
 * have an empty inner text. Elements of that name must not nest (true of the parts read here).
 */
export function* elements(xml: string, name: string): Generator<[string, string]> {
  const pattern = new RegExp(
    `<(?:[\\w.-]+:)?${name}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>)`,
    "g",
  );
  for (const match of xml.matchAll(pattern)) yield [match[1] ?? "", match[2] ?? ""];
}

/** The text of a rich or plain string (`<t>` runs), leaving out phonetic guides (`<rPh>`). */
export function textOf(inner: string): string {
  const withoutPhonetics = inner.replace(/<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g, "");
  let text = "";
  for (const [, t] of elements(withoutPhonetics, "t")) text += unescapeXml(t);
  return text;
}
