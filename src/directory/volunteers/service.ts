import type * as v from "valibot";
import type { Actor } from "../../auth/actor";
import { volunteers } from "../../db/schema";
import { directoryRecords } from "../records";
import { assertTeamExists, findVolunteer, sealMobile, volunteerColumns } from "./queries";
import type { CreateVolunteer, UpdateVolunteer } from "./schemas";

/** Volunteers as directory records; before and after (audited) are the masked output shape only. */
const volunteerRecords = directoryRecords({
  table: volunteers,
  columns: volunteerColumns,
  entity: "volunteer",
  label: "volunteer",
  find: findVolunteer,
});

/** Adds a volunteer to a team (admin); the mobile is sealed (encrypted, keyed hash, mask). */
export async function addVolunteer(actor: Actor, input: v.InferOutput<typeof CreateVolunteer>) {
  const { mobile, ...fields } = input;
  await assertTeamExists(actor.db, fields.teamId);
  const sealed = await sealMobile(actor.keys, mobile);
  return volunteerRecords.create(actor, { ...fields, ...sealed });
}

/** Changes a volunteer (admin); a new mobile is sealed like a first one. */
export async function changeVolunteer(
  actor: Actor,
  id: string,
  input: v.InferOutput<typeof UpdateVolunteer>,
) {
  const { mobile, ...changes } = input;
  await assertTeamExists(actor.db, changes.teamId);
  const sealed = mobile ? await sealMobile(actor.keys, mobile) : {};
  return volunteerRecords.change(actor, id, "update", { ...changes, ...sealed });
}

/** Deactivates a volunteer; the record stays for history. */
export function deactivateVolunteer(actor: Actor, id: string) {
  return volunteerRecords.change(actor, id, "deactivate", { active: false });
}
