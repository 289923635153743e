import * as v from "valibot";
import { organisationKinds } from "../../domain/vocabulary";
import { paginationQuery } from "../../lib/pagination";
import { Timestamp } from "../../lib/responses";
import { BooleanQuery, Name, OrganisationKind, RegionCode } from "../../lib/schemas";

export const CreateOrganisation = v.strictObject({
  name: Name,
  kind: OrganisationKind,
  regionCode: v.optional(v.nullable(RegionCode)),
});
export type CreateOrganisationInput = v.InferOutput<typeof CreateOrganisation>;

export const UpdateOrganisation = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    kind: v.optional(OrganisationKind),
    regionCode: v.optional(v.nullable(RegionCode)),
    active: v.optional(v.boolean()),
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export const ListOrganisationsQuery = v.strictObject({
  kind: v.optional(OrganisationKind),
  region: v.optional(RegionCode),
  active: BooleanQuery,
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50, "must be at most 50 characters"))),
  ...paginationQuery,
});

/** An organisation as the API shows it. */
export const OrganisationOut = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(organisationKinds),
  regionCode: v.nullable(v.string()),
  active: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
