import type * as v from "valibot";
import type { Actor } from "../../auth/actor";
import { organisations } from "../../db/schema";
import { directoryRecords } from "../records";
import { assertRegionExists, findOrganisation, organisationColumns } from "./queries";
import type { CreateOrganisation, UpdateOrganisation } from "./schemas";

/** Organisations serve every county, so every signed-in role may see them (no scope). */
const organisationRecords = directoryRecords({
  table: organisations,
  columns: organisationColumns,
  entity: "organisation",
  label: "organisation",
  find: (db, _scope, id, options) => findOrganisation(db, id, options),
});

/** Adds a university, agency or volunteer organisation (admin). */
export async function addOrganisation(
  actor: Actor,
  input: v.InferOutput<typeof CreateOrganisation>,
) {
  await assertRegionExists(actor.db, input.regionCode);
  return organisationRecords.create(actor, input);
}

/** Changes an organisation (admin). */
export async function changeOrganisation(
  actor: Actor,
  id: string,
  changes: v.InferOutput<typeof UpdateOrganisation>,
) {
  await assertRegionExists(actor.db, changes.regionCode);
  return organisationRecords.change(actor, id, "update", changes);
}

/** Deactivates an organisation; it stays for history. */
export function deactivateOrganisation(actor: Actor, id: string) {
  return organisationRecords.change(actor, id, "deactivate", { active: false });
}
