import * as v from "valibot";

/** `?limit=&offset=` query parameters shared by every list route. */
export const paginationQuery = {
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "limit must be a whole number from 1 to 500"),
      v.toNumber(),
      v.minValue(1, "limit must be a whole number from 1 to 500"),
      v.maxValue(500, "limit must be a whole number from 1 to 500"),
    ),
    "50",
  ),
  offset: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "offset must be a whole number from 0 to 1000000"),
      v.toNumber(),
      v.maxValue(1_000_000, "offset must be a whole number from 0 to 1000000"),
    ),
    "0",
  ),
};

export interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

/** Wraps rows fetched with `count(*) over ()` as `total` into a page. */
export function toPage<T extends { total: number }>(
  rows: T[],
  limit: number,
  offset: number,
): Page<Omit<T, "total">> {
  const total = rows[0]?.total ?? 0;
  return {
    data: rows.map(({ total: _total, ...row }) => row),
    page: { limit, offset, total: Number(total) },
  };
}
