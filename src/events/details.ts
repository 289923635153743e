/** What volunteers read on the event page besides its facts (see `eventDetailFields`). */
export interface EventDetails {
  description?: string | null;
  meetingPoint?: string | null;
  contact?: string | null;
}

const DETAIL_KEYS = ["description", "meetingPoint", "contact"] as const;

/** The longest each detail may be, in characters (the API's schema and the pages' forms). */
export const DETAIL_LIMITS = { description: 1000, meetingPoint: 200, contact: 100 } as const;

/** The longest an event's title may be. */
export const TITLE_LIMIT = 200;

/**
 * The details as stored: a blank field is null (cleared), never an empty string; a field not
 * given is left out, so an update leaves it as it is.
 */
export function storedDetails(input: EventDetails): EventDetails {
  const stored: EventDetails = {};
  for (const key of DETAIL_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    stored[key] = value === null || value.trim() === "" ? null : value.trim();
  }
  return stored;
}
