import * as v from "valibot";
import { eventStatuses } from "../domain/vocabulary";
import { paginationQuery } from "../lib/pagination";
import { Instant, PeriodQuery, Reason, RegionCode, Uuid } from "../lib/schemas";

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
