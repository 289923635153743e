import * as v from "valibot";
import { organisationKinds, regionLevels, serviceTypes, targetGroups } from "../domain/vocabulary";
import { nullable } from "../lib/responses";
import { RegionCode } from "../lib/schemas";
import { Month } from "../outcomes/schemas";
import { coverageGaps } from "./coverage";
import { tallyDimensions } from "./query";

/** `?groupBy=month,serviceType`: any of the dimensions, comma-separated, each once. */
const GroupBy = v.pipe(
  v.string(),
  v.transform((text) => (text.trim() === "" ? [] : text.split(",").map((part) => part.trim()))),
  v.array(v.picklist(tallyDimensions, `group by any of: ${tallyDimensions.join(", ")}`)),
  v.check((dims) => new Set(dims).size === dims.length, "must not repeat a dimension"),
);

const period = {
  region: v.optional(RegionCode),
  from: v.optional(Month),
  to: v.optional(Month),
};

export const TallyQuery = v.strictObject({
  ...period,
  groupBy: v.optional(GroupBy, ""),
  level: v.optional(v.picklist(regionLevels, `must be one of: ${regionLevels.join(", ")}`)),
  format: v.optional(v.picklist(["json", "csv", "xlsx"], "must be json, csv or xlsx"), "json"),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});
export type TallyQueryInput = v.InferOutput<typeof TallyQuery>;

export const CoverageQuery = v.strictObject({
  ...period,
  format: v.optional(v.picklist(["json", "csv", "xlsx"], "must be json, csv or xlsx"), "json"),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});
export type CoverageQueryInput = v.InferOutput<typeof CoverageQuery>;

export const PilotSummaryQuery = v.strictObject({
  region: v.optional(RegionCode),
  year: v.pipe(
    v.string(),
    v.regex(/^\d{4}$/, "must be a year, e.g. 2025"),
    v.transform(Number),
    v.minValue(2020),
    v.maxValue(2100),
  ),
  format: v.optional(v.picklist(["json", "csv", "xlsx"], "must be json, csv or xlsx"), "json"),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});

const count = v.number();
const measures = {
  events: nullable(count),
  personTimes: nullable(count),
  uniqueVolunteers: nullable(count),
  volunteersAttended: nullable(count),
  volunteerHours: nullable(count),
  activeSocialWorkers: nullable(count),
  communitiesReached: nullable(count),
  adjustments: v.object({
    personTimes: count,
    volunteersAttended: nullable(count),
    volunteerHours: nullable(count),
  }),
};
const measureNames = Object.keys(measures) as [keyof typeof measures, ...(keyof typeof measures)[]];
const RegionRef = v.object({ code: v.string(), name: v.string() });

/** A tally: totals and rows of the measures, by the requested dimensions. */
export const TallyOut = v.object({
  region: v.object({
    code: v.nullable(v.string()),
    name: v.string(),
    level: v.picklist([...regionLevels, "country"]),
  }),
  period: v.object({ from: v.string(), to: v.string() }),
  groupBy: v.array(v.picklist(tallyDimensions)),
  level: v.nullable(v.picklist(regionLevels)),
  totals: v.object(measures),
  rows: v.array(
    v.object({
      ...measures,
      month: v.optional(v.string()),
      serviceType: v.optional(v.picklist(serviceTypes)),
      targetGroup: v.optional(v.picklist(targetGroups)),
      region: v.optional(RegionRef),
      suppressed: v.optional(v.array(v.picklist(measureNames))),
    }),
  ),
  awaitingSignOff: count,
  suppression: v.object({ applied: v.boolean(), threshold: count }),
});

const RegionInfo = v.object({
  code: v.nullable(v.string()),
  name: v.string(),
  level: v.picklist([...regionLevels, "country"]),
});

/** Coverage: every county of the region with what it had, and what it lacked. */
export const CoverageOut = v.object({
  region: RegionInfo,
  period: v.object({ from: v.string(), to: v.string() }),
  counties: v.array(
    v.object({
      code: v.string(),
      name: v.string(),
      /** Events held: signed-off outcomes of the period, as the tallies count them. */
      events: count,
      /** Scheduled in the period, not cancelled, without a signed-off outcome (yet). */
      eventsNotYetHeld: count,
      activeSocialWorkers: count,
      socialWorkersBased: count,
      volunteerTeams: count,
      pilotCommunities: v.array(
        v.object({
          id: v.string(),
          code: v.string(),
          name: v.string(),
          events: count,
          eventsNotYetHeld: count,
        }),
      ),
      gaps: v.array(v.picklist(coverageGaps)),
    }),
  ),
  summary: v.object({
    counties: count,
    ...Object.fromEntries(coverageGaps.map((gap) => [gap, count])),
  }),
});

/** The year's pilot figures, in the shape of the 2025 report. */
export const PilotSummaryOut = v.object({
  region: RegionInfo,
  year: count,
  pilotCommunities: count,
  pilotCommunitiesWithEvents: count,
  organisations: v.object(
    Object.fromEntries(organisationKinds.map((kind) => [kind, count])) as Record<
      (typeof organisationKinds)[number],
      typeof count
    >,
  ),
  socialWorkers: count,
  volunteers: count,
  events: count,
  personTimes: count,
  volunteerHours: count,
  adjustedPersonTimes: count,
});
