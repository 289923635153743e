import * as v from "valibot";
import { regionLevels } from "../domain/vocabulary";
import { RegionCode } from "../lib/schemas";
import { Month } from "../outcomes/schemas";
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
  format: v.optional(v.picklist(["json", "csv"], "must be json or csv"), "json"),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});
export type TallyQueryInput = v.InferOutput<typeof TallyQuery>;

export const CoverageQuery = v.strictObject({
  ...period,
  format: v.optional(v.picklist(["json", "csv"], "must be json or csv"), "json"),
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
  format: v.optional(v.picklist(["json", "csv"], "must be json or csv"), "json"),
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en"), "zh"),
});
