import type * as v from "valibot";
import type { Actor } from "../../auth/actor";
import { volunteerTeams } from "../../db/schema";
import { directoryRecords } from "../records";
import { assertReferences } from "../references";
import { findVolunteerTeam, volunteerTeamColumns } from "./queries";
import type { CreateVolunteerTeam, UpdateVolunteerTeam } from "./schemas";

/** 志愿服务队 as directory records: added, changed and deactivated by admins, each audited. */
const records = directoryRecords({
  table: volunteerTeams,
  columns: volunteerTeamColumns,
  entity: "volunteer_team",
  label: "volunteer team",
  find: findVolunteerTeam,
});

/** Adds a volunteer team (admin); the county and organisation must exist (400 naming the field). */
export async function addVolunteerTeam(
  actor: Actor,
  input: v.InferOutput<typeof CreateVolunteerTeam>,
) {
  await assertReferences(actor.db, {
    countyField: "countyCode",
    countyCode: input.countyCode,
    organisationId: input.organisationId,
  });
  return records.create(actor, input);
}

/** Changes a volunteer team (admin). */
export async function changeVolunteerTeam(
  actor: Actor,
  id: string,
  changes: v.InferOutput<typeof UpdateVolunteerTeam>,
) {
  await assertReferences(actor.db, {
    countyField: "countyCode",
    countyCode: changes.countyCode,
    organisationId: changes.organisationId,
  });
  return records.change(actor, id, "update", changes);
}

/** Deactivates a volunteer team; the record stays for history. */
export function deactivateVolunteerTeam(actor: Actor, id: string) {
  return records.change(actor, id, "deactivate", { active: false });
}
