import type * as v from "valibot";
import type { Actor } from "../../auth/actor";
import { communities } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { directoryRecords } from "../records";
import { communityColumns, findCommunity, findCommunityRegion } from "./queries";
import type { CreateCommunity, UpdateCommunity } from "./schemas";

/** 社区 as directory records: added, changed and deactivated by admins, each audited. */
export const communityRecords = directoryRecords({
  table: communities,
  columns: communityColumns,
  entity: "community",
  label: "community",
  find: findCommunity,
});

/**
 * Adds a community on a real 12-digit community code; its county comes from the code and its
 * name defaults to the region's.
 */
export async function addCommunity(actor: Actor, input: v.InferOutput<typeof CreateCommunity>) {
  const region = await findCommunityRegion(actor.db, input.regionCode);
  if (!region) {
    throw new AppError("VALIDATION_FAILED", "the request refers to unknown records", {
      issues: [{ path: "regionCode", message: "no community-level region has this code" }],
    });
  }
  return communityRecords.create(actor, {
    ...input,
    name: input.name ?? region.name,
    // The first six digits of a community code are its county's code.
    countyCode: input.regionCode.slice(0, 6),
  });
}

/** Changes a community (admin). */
export function changeCommunity(
  actor: Actor,
  id: string,
  changes: v.InferOutput<typeof UpdateCommunity>,
) {
  return communityRecords.change(actor, id, "update", changes);
}

/** Deactivates a community; it stays for history. */
export function deactivateCommunity(actor: Actor, id: string) {
  return communityRecords.change(actor, id, "deactivate", { active: false });
}
