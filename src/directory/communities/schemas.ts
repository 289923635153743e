import * as v from "valibot";
import { paginationQuery } from "../../lib/pagination";
import { Timestamp } from "../../lib/responses";
import { BooleanQuery, CommunityCode, Name, OptionalText, RegionCode } from "../../lib/schemas";

/** The community office's phone (not a personal mobile): digits and the usual separators. */
const OfficePhone = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^[0-9+\-() ]{5,20}$/, "must be a phone number of 5–20 digits, spaces or + - ( )"),
);

export const CreateCommunity = v.strictObject({
  regionCode: CommunityCode,
  name: v.optional(Name),
  address: OptionalText(200),
  isPilot: v.optional(v.boolean(), false),
  coordinatorName: v.optional(v.nullable(Name)),
  coordinatorPhone: v.optional(v.nullable(OfficePhone)),
});

export const UpdateCommunity = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    address: OptionalText(200),
    isPilot: v.optional(v.boolean()),
    coordinatorName: v.optional(v.nullable(Name)),
    coordinatorPhone: v.optional(v.nullable(OfficePhone)),
    active: v.optional(v.boolean()),
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export const ListCommunitiesQuery = v.strictObject({
  region: v.optional(RegionCode),
  pilot: BooleanQuery,
  active: BooleanQuery,
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50, "must be at most 50 characters"))),
  ...paginationQuery,
});

/** A community as the API shows it. */
export const CommunityOut = v.object({
  id: v.string(),
  regionCode: v.string(),
  countyCode: v.string(),
  name: v.string(),
  address: v.nullable(v.string()),
  isPilot: v.boolean(),
  coordinatorName: v.nullable(v.string()),
  coordinatorPhone: v.nullable(v.string()),
  active: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
