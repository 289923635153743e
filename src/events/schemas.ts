import * as v from "valibot";
import { assignmentResponses, eventStatuses, serviceTypes } from "../domain/vocabulary";
import { paginationQuery } from "../lib/pagination";
import { Timestamp } from "../lib/responses";
import { Instant, OptionalText, PeriodQuery, Reason, RegionCode, Uuid } from "../lib/schemas";
import { DETAIL_LIMITS } from "./details";

export const ListEventsQuery = v.strictObject({
  region: v.optional(RegionCode),
  communityId: v.optional(Uuid),
  socialWorkerId: v.optional(Uuid),
  status: v.optional(v.picklist(eventStatuses)),
  ...PeriodQuery,
  ...paginationQuery,
  sort: v.optional(v.picklist(["start", "created"], "must be start or created")),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
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

/** An event as the API shows it. */
export const EventOut = v.object({
  id: v.string(),
  needId: v.nullable(v.string()),
  communityId: v.string(),
  communityName: v.string(),
  communityCode: v.string(),
  serviceType: v.picklist(serviceTypes),
  title: v.string(),
  leadSocialWorkerId: v.string(),
  leadSocialWorkerName: v.string(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  capacity: v.number(),
  status: v.picklist(eventStatuses),
  leadResponse: v.picklist(assignmentResponses),
  matchScore: v.nullable(v.number()),
  signupClosesAt: v.nullable(Timestamp),
  cancelReason: v.nullable(v.string()),
  description: v.nullable(v.string()),
  meetingPoint: v.nullable(v.string()),
  contact: v.nullable(v.string()),
  teamIds: v.array(v.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A page of events, with the cursor of the next one (null on the last). */
export const EventPage = v.object({
  data: v.array(EventOut),
  page: v.object({
    limit: v.number(),
    offset: v.number(),
    total: v.number(),
    nextCursor: v.nullable(v.string()),
  }),
});

/** A calendar feed link (the token inside `url` is shown once). */
export const CalendarFeedOut = v.object({
  id: v.string(),
  socialWorkerId: v.string(),
  url: v.string(),
});
export const RevokedOut = v.object({ id: v.string(), revoked: v.literal(true) });
