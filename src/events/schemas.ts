import * as v from "valibot";
import { eventStatuses } from "../domain/vocabulary";
import { paginationQuery } from "../lib/pagination";
import { Instant, OptionalText, PeriodQuery, Reason, RegionCode, Uuid } from "../lib/schemas";
import { DETAIL_LIMITS } from "./details";

export const ListEventsQuery = v.strictObject({
  region: v.optional(RegionCode),
  communityId: v.optional(Uuid),
  socialWorkerId: v.optional(Uuid),
  status: v.optional(v.picklist(eventStatuses)),
  ...PeriodQuery,
  ...paginationQuery,
});

export const RescheduleEvent = v.pipe(
  v.strictObject({ start: Instant, end: v.optional(Instant), reason: Reason }),
  v.check((input) => !input.end || input.end > input.start, "the event must end after it starts"),
);

export const WithReason = v.strictObject({ reason: Reason });
export const OptionalReason = v.strictObject({ reason: v.optional(Reason) });

/**
 * What volunteers read on the event page besides the facts: what happens, where exactly to meet,
 * whom to ask. Empty or null clears a field.
 */
export const eventDetailFields = {
  description: OptionalText(DETAIL_LIMITS.description),
  meetingPoint: OptionalText(DETAIL_LIMITS.meetingPoint),
  contact: OptionalText(DETAIL_LIMITS.contact),
};

/** What staff may change on a scheduled event besides its time: title, places, sign-up closing, details. */
export const UpdateEvent = v.pipe(
  v.strictObject({
    title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
    capacity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
    signupClosesAt: v.optional(Instant),
    ...eventDetailFields,
  }),
  v.check((input) => Object.keys(input).length > 0, "send at least one field to change"),
);
