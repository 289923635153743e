import type { RegionLevel } from "./vocabulary";

/**
 * GB/T 2260 codes nest by prefix: province `210000` → `21`, city `210100` → `2101`,
 * county `210103` → `210103`, street (9 digits) and community (12 digits) are their own prefix.
 * "Region X includes Y" is therefore `Y.code startsWith regionPrefix(X)`.
 */
export function regionLevelOf(code: string): RegionLevel | undefined {
  if (/^\d{12}$/.test(code)) return "community";
  if (/^\d{9}$/.test(code)) return "street";
  if (!/^\d{6}$/.test(code)) return undefined;
  if (code.endsWith("0000")) return "province";
  if (code.endsWith("00")) return "city";
  return "county";
}

/** The code prefix shared by a region and everything below it, or undefined for a malformed code. */
export function regionPrefix(code: string): string | undefined {
  switch (regionLevelOf(code)) {
    case "province":
      return code.slice(0, 2);
    case "city":
      return code.slice(0, 4);
    case "county":
    case "street":
    case "community":
      return code;
    default:
      return undefined;
  }
}

/** True when `code` is `ancestor` or lies below it in the region tree. */
export function regionContains(ancestor: string, code: string): boolean {
  const prefix = regionPrefix(ancestor);
  return prefix !== undefined && code.startsWith(prefix);
}

/** The county (6-digit) code a region of county level or below belongs to. */
export function countyOf(code: string): string | undefined {
  const level = regionLevelOf(code);
  if (level === "county" || level === "street" || level === "community") return code.slice(0, 6);
  return undefined;
}

/** The codes of every region above `code`, from the province down. */
export function ancestorCodes(code: string): string[] {
  const level = regionLevelOf(code);
  const chain = [
    `${code.slice(0, 2)}0000`,
    `${code.slice(0, 4)}00`,
    code.slice(0, 6),
    code.slice(0, 9),
  ];
  const depth = { province: 0, city: 1, county: 2, street: 3, community: 4 }[level ?? "province"];
  return chain.slice(0, depth);
}
