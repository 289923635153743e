import * as v from "valibot";
import { normaliseMobile } from "../domain/mobile";
import { Name, Skills, Uuid } from "../lib/schemas";

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
