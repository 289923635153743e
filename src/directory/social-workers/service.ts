import type * as v from "valibot";
import type { Actor } from "../../auth/actor";
import { socialWorkers } from "../../db/schema";
import { directoryRecords } from "../records";
import { assertReferences } from "../references";
import { findSocialWorker, socialWorkerColumns } from "./queries";
import type { CreateSocialWorker, UpdateSocialWorker } from "./schemas";

/** 专业社工 as directory records: added, changed and deactivated by admins, each audited. */
const records = directoryRecords({
  table: socialWorkers,
  columns: socialWorkerColumns,
  entity: "social_worker",
  label: "social worker",
  find: findSocialWorker,
});

/** Adds a social worker (admin); the county and organisation must exist (400 naming the field). */
export async function addSocialWorker(
  actor: Actor,
  input: v.InferOutput<typeof CreateSocialWorker>,
) {
  await assertReferences(actor.db, {
    countyField: "homeCountyCode",
    countyCode: input.homeCountyCode,
    organisationId: input.organisationId,
  });
  return records.create(actor, input);
}

/** Changes a social worker (admin). */
export async function changeSocialWorker(
  actor: Actor,
  id: string,
  changes: v.InferOutput<typeof UpdateSocialWorker>,
) {
  await assertReferences(actor.db, {
    countyField: "homeCountyCode",
    countyCode: changes.homeCountyCode,
    organisationId: changes.organisationId,
  });
  return records.change(actor, id, "update", changes);
}

/** Deactivates a social worker; the record stays for history. */
export function deactivateSocialWorker(actor: Actor, id: string) {
  return records.change(actor, id, "deactivate", { active: false });
}
