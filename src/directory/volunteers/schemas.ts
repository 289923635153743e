import * as v from "valibot";
import { normaliseMobile } from "../../domain/mobile";
import { serviceTypes } from "../../domain/vocabulary";
import { paginationQuery } from "../../lib/pagination";
import { Timestamp } from "../../lib/responses";
import { BooleanQuery, Name, RegionCode, Skills, Uuid } from "../../lib/schemas";

const notAMobile = "must be a mainland China mobile number";

/** A mobile number as people type it, normalised to 11 digits (the form that is hashed). */
export const Mobile = v.pipe(
  v.string(notAMobile),
  v.maxLength(30, notAMobile),
  v.check((input) => normaliseMobile(input) !== undefined, notAMobile),
  v.transform((input) => normaliseMobile(input) as string),
);

export const CreateVolunteer = v.strictObject({
  name: Name,
  mobile: Mobile,
  teamId: v.optional(v.nullable(Uuid)),
  skills: v.optional(Skills, []),
});

export const UpdateVolunteer = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    mobile: v.optional(Mobile),
    teamId: v.optional(v.nullable(Uuid)),
    skills: v.optional(Skills),
    active: v.optional(v.boolean()),
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);

export const ListVolunteersQuery = v.strictObject({
  teamId: v.optional(Uuid),
  region: v.optional(RegionCode),
  active: BooleanQuery,
  ...paginationQuery,
});

/** Look-up by number goes in a body, not the URL, so request logs never hold a mobile number. */
export const LookupVolunteer = v.strictObject({ mobile: Mobile });

/** A volunteer as the API shows them: the mobile masked (`138****5678`). */
export const VolunteerOut = v.object({
  id: v.string(),
  teamId: v.nullable(v.string()),
  name: v.string(),
  mobile: v.string(),
  skills: v.array(v.picklist(serviceTypes)),
  active: v.boolean(),
  createdAt: Timestamp,
});
