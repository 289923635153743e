import * as v from "valibot";
import { normaliseMobile } from "../domain/mobile";
import { eventStatuses, serviceTypes } from "../domain/vocabulary";
import { Timestamp } from "../lib/responses";
import { Name, Skills, Uuid } from "../lib/schemas";
import { signupStatuses } from "./status";

/** A mainland mobile number as people type it, normalised to 11 digits. */
export const Mobile = v.pipe(
  v.string("must be a mobile number"),
  v.check(
    (text) => normaliseMobile(text) !== undefined,
    "must be a mainland China mobile number (11 digits starting 13–19)",
  ),
  v.transform((text) => normaliseMobile(text) ?? text),
);

/** The public sign-up form: consent to the privacy notice must be given explicitly. */
export const SignUpBody = v.strictObject({
  name: Name,
  mobile: Mobile,
  skills: v.optional(Skills, []),
  consent: v.literal(true, "consent to the privacy notice is required"),
});

export const EventIdParam = v.object({ id: Uuid });

/** A private link's token; anything else is answered like an unknown token (404). */
export const MANAGE_TOKEN = /^[A-Za-z0-9_-]{20,80}$/;

/** A sign-up as its owner or the event's staff see it (the mobile masked, except on the private link). */
export const SignupOut = v.object({
  id: v.string(),
  eventId: v.string(),
  name: v.string(),
  mobile: v.string(),
  skills: v.array(v.picklist(serviceTypes)),
  status: v.picklist(signupStatuses),
  waitlistPosition: v.nullable(v.number()),
  confirmationCode: v.string(),
  createdAt: Timestamp,
  cancelledAt: v.nullable(Timestamp),
});

/** A new sign-up: its private link's token is shown this once. */
export const SignedUpOut = v.object({
  existing: v.literal(false),
  signup: SignupOut,
  manageToken: v.string(),
  manageUrl: v.string(),
});

/** This number was already signed up: where it stands, and nothing else. */
export const AlreadySignedUpOut = v.object({
  existing: v.literal(true),
  signup: v.object({
    eventId: v.string(),
    status: v.picklist(signupStatuses),
    waitlistPosition: v.nullable(v.number()),
  }),
});

/** A volunteer's own sign-up and its event, by private link. */
export const ManageViewOut = v.object({
  signup: SignupOut,
  event: v.nullable(
    v.object({
      id: v.string(),
      title: v.string(),
      startsAt: Timestamp,
      endsAt: Timestamp,
      status: v.picklist(eventStatuses),
    }),
  ),
});

export const CancelledOut = v.object({
  signup: SignupOut,
  changed: v.boolean(),
  placePassedOn: v.boolean(),
});

export const CheckedInOut = v.object({ signup: SignupOut, changed: v.boolean() });
export const RosterOut = v.object({ items: v.array(SignupOut) });
