import * as v from "valibot";
import { normaliseMobile } from "../../domain/mobile";
import { Uuid } from "../../lib/schemas";
import {
  type AskerKind,
  askerKinds,
  type RequestKind,
  requestKinds,
} from "../../requests/vocabulary";

/** The request form as typed, kept to show again when something is wrong. */
export interface RequestFormValues {
  communityId: string;
  stationId: string;
  askerKind: string;
  kind: string;
  description: string;
  mobile: string;
  consent: boolean;
}

export type RequestErrorKey =
  | "errPlace"
  | "errWho"
  | "errKind"
  | "errDescription"
  | "errDescriptionLong"
  | "errMobile"
  | "errConsent";
export type RequestFieldErrors = Partial<
  Record<"place" | "askerKind" | "kind" | "description" | "mobile" | "consent", RequestErrorKey>
>;

export const MAX_DESCRIPTION = 500;

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** Reads the posted form into strings, never trusting its shape. */
export function readRequestForm(body: Record<string, unknown>): RequestFormValues {
  return {
    communityId: text(body.c).slice(0, 40),
    stationId: text(body.s).slice(0, 40),
    askerKind: text(body.askerKind).slice(0, 40),
    kind: text(body.kind).slice(0, 40),
    description: text(body.description).slice(0, 4000),
    mobile: text(body.mobile).slice(0, 40),
    consent: body.consent === "yes",
  };
}

export type RequestFormResult =
  | { errors: RequestFieldErrors }
  | {
      errors?: undefined;
      communityId?: string;
      stationId?: string;
      askerKind: AskerKind;
      kind: RequestKind;
      description: string;
      mobile?: string;
    };

const isUuid = (id: string) => v.is(Uuid, id);

/** Checks the form: a place, who, what, 1–500 characters; a mobile only valid and with consent. */
export function validateRequestForm(values: RequestFormValues): RequestFormResult {
  const errors: RequestFieldErrors = {};
  const communityId = isUuid(values.communityId) ? values.communityId : undefined;
  const stationId = isUuid(values.stationId) ? values.stationId : undefined;
  if (!communityId && !stationId) errors.place = "errPlace";
  if (!(askerKinds as readonly string[]).includes(values.askerKind)) errors.askerKind = "errWho";
  if (!(requestKinds as readonly string[]).includes(values.kind)) errors.kind = "errKind";
  const description = values.description.trim();
  if (description.length === 0) errors.description = "errDescription";
  else if ([...description].length > MAX_DESCRIPTION) errors.description = "errDescriptionLong";
  const typed = values.mobile.trim();
  const mobile = typed ? normaliseMobile(typed) : undefined;
  if (typed && !mobile) errors.mobile = "errMobile";
  if (mobile && !values.consent) errors.consent = "errConsent";
  if (Object.keys(errors).length > 0) return { errors };
  return {
    communityId,
    stationId,
    askerKind: values.askerKind as AskerKind,
    kind: values.kind as RequestKind,
    description,
    mobile: mobile ?? undefined,
  };
}
