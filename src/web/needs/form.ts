import * as v from "valibot";
import { CreateNeed, type CreateNeedInput } from "../../needs/schemas";
import { shanghaiInstant } from "../format";
import type { Messages } from "../i18n/zh";

/** What the need form holds, exactly as typed (kept when the form comes back with errors). */
export interface NeedFormValues {
  communityId: string;
  serviceType: string;
  targetGroups: string[];
  expectedPeople: string;
  windows: { date: string; from: string; to: string }[];
  durationMinutes: string;
  volunteersNeeded: string;
  requiredSkills: string[];
  minCertificateLevel: string;
  notes: string;
}

/** The form shows this many window rows at most (the API accepts 20). */
export const MAX_WINDOW_ROWS = 20;
const MIN_WINDOW_ROWS = 2;

/** Messages that describe a field's problem. */
export type ErrorKey = {
  [K in keyof Messages]: K extends `err${string}` ? K : never;
}[keyof Messages];

/** Problems by form field: `serviceType`, …, `windows` (the group) or `window-<row>`. */
export type FieldErrors = Partial<Record<string, ErrorKey>>;

export const emptyNeedForm: NeedFormValues = {
  communityId: "",
  serviceType: "",
  targetGroups: [],
  expectedPeople: "",
  windows: Array.from({ length: MIN_WINDOW_ROWS }, () => ({ date: "", from: "", to: "" })),
  durationMinutes: "120",
  volunteersNeeded: "5",
  requiredSkills: [],
  minCertificateLevel: "junior",
  notes: "",
};

type FormBody = Record<string, string | File | (string | File)[]>;

function all(body: FormBody, name: string): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

function one(body: FormBody, name: string, max = 100): string {
  return (all(body, name)[0] ?? "").slice(0, max);
}

/** Reads a posted need form (urlencoded, repeated names for checkboxes and window rows). */
export function readNeedForm(body: FormBody, options: { addWindow?: boolean } = {}) {
  const dates = all(body, "windowDate");
  const froms = all(body, "windowFrom");
  const tos = all(body, "windowTo");
  const posted = Math.min(Math.max(dates.length, froms.length, tos.length), MAX_WINDOW_ROWS);
  const rows = Math.min(
    Math.max(posted, MIN_WINDOW_ROWS) + (options.addWindow ? 1 : 0),
    MAX_WINDOW_ROWS,
  );
  const values: NeedFormValues = {
    communityId: one(body, "communityId"),
    serviceType: one(body, "serviceType"),
    targetGroups: all(body, "targetGroups").slice(0, 20),
    expectedPeople: one(body, "expectedPeople", 20),
    windows: Array.from({ length: rows }, (_, i) => ({
      date: (dates[i] ?? "").slice(0, 10),
      from: (froms[i] ?? "").slice(0, 8),
      to: (tos[i] ?? "").slice(0, 8),
    })),
    durationMinutes: one(body, "durationMinutes", 20),
    volunteersNeeded: one(body, "volunteersNeeded", 20),
    requiredSkills: all(body, "requiredSkills").slice(0, 20),
    minCertificateLevel: one(body, "minCertificateLevel"),
    notes: one(body, "notes", 5000),
  };
  return values;
}

/** A whole number as a number; anything else as typed, for the schema to refuse. */
function integerOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

const fieldErrorKeys: Record<string, ErrorKey> = {
  communityId: "errCommunity",
  serviceType: "errServiceType",
  targetGroups: "errTargetGroups",
  expectedPeople: "errExpectedPeople",
  durationMinutes: "errDuration",
  volunteersNeeded: "errVolunteers",
  requiredSkills: "errSkills",
  minCertificateLevel: "errCertificate",
  notes: "errNotes",
};

/**
 * Turns the form into the API's CreateNeed body (windows typed in Beijing time) and validates it
 * with CreateNeed itself, so the page and the API accept exactly the same needs. Each problem is
 * mapped back to the form field it came from.
 */
export function validateNeedForm(
  values: NeedFormValues,
  options: { withCommunity: boolean },
): { input: CreateNeedInput; errors?: undefined } | { input?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rowOfWindow: number[] = [];
  const windows: { start: string; end: string }[] = [];
  values.windows.forEach((row, index) => {
    if (!row.date && !row.from && !row.to) return;
    if (!DATE.test(row.date) || !TIME.test(row.from) || !TIME.test(row.to)) {
      errors[`window-${index}`] = "errWindowIncomplete";
      return;
    }
    rowOfWindow.push(index);
    windows.push({
      start: shanghaiInstant(row.date, row.from),
      end: shanghaiInstant(row.date, row.to),
    });
  });
  const notes = values.notes.trim();
  const body = {
    ...(options.withCommunity ? { communityId: values.communityId || undefined } : {}),
    serviceType: values.serviceType || undefined,
    targetGroups: values.targetGroups,
    expectedPeople: integerOrText(values.expectedPeople),
    windows,
    durationMinutes: integerOrText(values.durationMinutes),
    volunteersNeeded: integerOrText(values.volunteersNeeded),
    requiredSkills: values.requiredSkills,
    minCertificateLevel: values.minCertificateLevel || undefined,
    notes: notes === "" ? undefined : values.notes,
  };
  if (options.withCommunity && !values.communityId) errors.communityId = "errCommunity";
  const result = v.safeParse(CreateNeed, body);
  const rowErrors = Object.keys(errors).some((key) => key.startsWith("window-"));
  for (const issue of result.success ? [] : result.issues) {
    const path = (issue.path ?? []).map((item) => String(item.key));
    const [field, index, part] = path;
    if (field === "windows" && index !== undefined) {
      const row = rowOfWindow[Number(index)] ?? 0;
      errors[`window-${row}`] ??= part ? "errWindowIncomplete" : "errWindowOrder";
    } else if (field === "windows") {
      if (!rowErrors)
        errors.windows ??= issue.type === "max_length" ? "errWindowTooMany" : "errWindows";
    } else if (field && fieldErrorKeys[field]) {
      errors[field] ??= fieldErrorKeys[field];
    }
  }
  if (Object.keys(errors).length > 0 || !result.success) return { errors };
  return { input: result.output };
}
