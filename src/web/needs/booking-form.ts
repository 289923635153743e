import * as v from "valibot";
import { Instant, Uuid } from "../../lib/schemas";
import { type FormBody, readDetailsForm, typedCapacity } from "../events/form";
import type { BookingValues, ConfirmPageProps } from "./confirm-page";

/** The pair and start a coordinator chose: from the candidate list's link or the booking form. */
const PickFields = v.object({ socialWorkerId: Uuid, teamId: Uuid, start: Instant });

/** The pick in a query or form, or undefined when any part of it is malformed. */
export function readPick(fields: Record<string, unknown>) {
  const parsed = v.safeParse(PickFields, {
    socialWorkerId: fields.socialWorkerId,
    teamId: fields.teamId,
    start: fields.start,
  });
  return parsed.success ? parsed.output : undefined;
}

/** The booking form's event fields: as typed, their problems, and the input when all is well. */
export function readBookingForm(body: FormBody) {
  const details = readDetailsForm(body);
  const typed = typeof body.capacity === "string" ? body.capacity.slice(0, 10) : "";
  const capacity = typedCapacity(typed);
  const values: BookingValues = { ...details.form.values, capacity: typed } as BookingValues;
  const errors: ConfirmPageProps["errors"] = { ...details.form.errors };
  if (capacity === undefined) errors.capacity = "errCapacity";
  if (!details.input || capacity === undefined) return { values, errors };
  const { title, description, meetingPoint, contact } = details.input;
  return { values, errors, input: { title, capacity, description, meetingPoint, contact } };
}
