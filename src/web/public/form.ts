import { normaliseMobile } from "../../domain/mobile";
import { type ServiceType, serviceTypes } from "../../domain/vocabulary";
import { oneLine } from "../../lib/text";

/** The form as typed, kept to show again when something is wrong. */
export interface SignupFormValues {
  name: string;
  mobile: string;
  skills: string[];
  consent: boolean;
}

export type SignupErrorKey = "errName" | "errNameLong" | "errMobile" | "errConsent";
export type SignupFieldErrors = Partial<Record<"name" | "mobile" | "consent", SignupErrorKey>>;

export const emptySignupForm: SignupFormValues = {
  name: "",
  mobile: "",
  skills: [],
  consent: false,
};

const MAX_NAME_LENGTH = 100;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Reads the posted form (urlencoded or multipart) into strings, never trusting its shape. */
export function readSignupForm(body: Record<string, unknown>): SignupFormValues {
  const skills = Array.isArray(body.skills) ? body.skills : [body.skills];
  return {
    name: text(body.name).slice(0, 1000),
    mobile: text(body.mobile).slice(0, 40),
    skills: skills.filter((skill): skill is string => typeof skill === "string"),
    consent: body.consent === "yes",
  };
}

export type SignupFormResult =
  | { errors: SignupFieldErrors }
  | { errors?: undefined; name: string; mobile: string; skills: ServiceType[] };

/** Checks the form: a name of 1–100 characters, a mainland mobile, consent given. */
export function validateSignupForm(values: SignupFormValues): SignupFormResult {
  const errors: SignupFieldErrors = {};
  const name = oneLine(values.name);
  if (name.length === 0) errors.name = "errName";
  else if ([...name].length > MAX_NAME_LENGTH) errors.name = "errNameLong";
  const mobile = normaliseMobile(values.mobile);
  if (!mobile) errors.mobile = "errMobile";
  if (!values.consent) errors.consent = "errConsent";
  if (Object.keys(errors).length > 0 || !mobile) return { errors };
  const known = new Set<string>(serviceTypes);
  const skills = [...new Set(values.skills)].filter((skill): skill is ServiceType =>
    known.has(skill),
  );
  return { name, mobile, skills };
}
