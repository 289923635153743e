import { type Column, eq, like, type SQL } from "drizzle-orm";
import { regionPrefix } from "../domain/regions";
import { AppError } from "./errors";

/** `?region=` filter at any level: the region itself and everything below it. */
export function regionFilter(code: string | undefined, column: Column): SQL | undefined {
  if (!code) return undefined;
  const prefix = regionPrefix(code);
  if (!prefix)
    throw new AppError("VALIDATION_FAILED", "region must be a GB/T 2260 code", {
      issues: [{ path: "region", message: "not a 6-, 9- or 12-digit region code" }],
    });
  return like(column, `${prefix}%`);
}

/** Equality on an optional filter value. */
export function equalsIfGiven<T>(column: Column, value: T | undefined): SQL | undefined {
  return value === undefined ? undefined : eq(column, value);
}
