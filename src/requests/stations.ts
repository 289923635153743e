import type { Actor } from "../auth/actor";
import { communityForWrite } from "../auth/scope";
import { stations } from "../db/schema";
import { assertCommunityExists } from "../directory/communities/queries";
import { recordAudit } from "../lib/audit";
import type { StationKind } from "./vocabulary";

/** Registers a station (爱心驿站, 司机之家) as a place of a community, with its own QR poster. */
export async function createStation(
  actor: Actor,
  input: { communityId?: string; kind: StationKind; name: string; address?: string | null },
) {
  const communityId = communityForWrite(actor.principal, input.communityId);
  return actor.db.transaction(async (tx) => {
    await assertCommunityExists(tx, communityId);
    const [row] = await tx
      .insert(stations)
      .values({
        communityId,
        kind: input.kind,
        name: input.name,
        address: input.address ?? null,
        createdAt: actor.now,
      })
      .returning();
    if (!row) throw new Error("station insert returned no row");
    await recordAudit(tx, actor, {
      action: "create",
      entity: "station",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}
