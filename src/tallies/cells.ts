import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { RegionLevel } from "../domain/vocabulary";
import type { TallyDimension, TallyMeasures } from "./query";

/** The cells of a tally as its sources (sources.ts, coarse.ts) fill them. */

export type CellMeasures = TallyMeasures;

/** Where a source adds its measures: the cell of the given dimension values. */
export type Entry = (values: Record<string, unknown>) => CellMeasures;

export type Groups = Map<string, { values: Record<string, unknown>; measures: CellMeasures }>;

export const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** A stable key for a combination of dimension values. */
export function keyOf(row: Record<string, unknown>, dims: TallyDimension[]): string {
  let key = "";
  for (let i = 0; i < dims.length; i++)
    key += `${i ? "\u0001" : ""}${String(row[dims[i] as TallyDimension] ?? "")}`;
  return key;
}

export function emptyMeasures(byGroup: boolean): CellMeasures {
  return {
    events: 0,
    personTimes: 0,
    uniqueVolunteers: byGroup ? null : 0,
    volunteersAttended: byGroup ? null : 0,
    volunteerHours: byGroup ? null : 0,
    activeSocialWorkers: byGroup ? null : 0,
    communitiesReached: 0,
    adjustments: {
      personTimes: 0,
      volunteersAttended: byGroup ? null : 0,
      volunteerHours: byGroup ? null : 0,
    },
  };
}

/** An {@link Entry} that makes each cell on first use. */
export function groupEntry(out: Groups, dims: TallyDimension[], byGroup: boolean): Entry {
  return (values) => {
    const key = keyOf(values, dims);
    let found = out.get(key);
    if (!found) {
      found = { values, measures: emptyMeasures(byGroup) };
      out.set(key, found);
    }
    return found.measures;
  };
}

/** A row of additive sums, as both rollup sources select them. */
export type SumsRow = Record<
  | "events"
  | "personTimes"
  | "volunteersAttended"
  | "volunteerHours"
  | "adjustedPersonTimes"
  | "adjustedVolunteers"
  | "adjustedHours",
  unknown
>;

/** Sets the additive measures of a cell from a row of sums. */
export function setSums(m: CellMeasures, row: SumsRow): void {
  m.events = num(row.events);
  m.personTimes = num(row.personTimes);
  m.volunteersAttended = num(row.volunteersAttended);
  m.volunteerHours = num(row.volunteerHours);
  m.adjustments = {
    personTimes: num(row.adjustedPersonTimes),
    volunteersAttended: num(row.adjustedVolunteers),
    volunteerHours: num(row.adjustedHours),
  };
}

/** The code of the region at `level` that a longer region code lies in, in SQL. */
export function childCode(column: PgColumn, level: RegionLevel): SQL<string> {
  switch (level) {
    case "province":
      return sql<string>`substring(${column}, 1, 2) || '0000'`;
    case "city":
      return sql<string>`substring(${column}, 1, 4) || '00'`;
    case "county":
      return sql<string>`substring(${column}, 1, 6)`;
    case "street":
      return sql<string>`substring(${column}, 1, 9)`;
    case "community":
      return sql<string>`${column}`;
  }
}
