import { eq } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { communities, regions, requestSteps } from "../db/schema";
import type { RequestStepKind } from "./vocabulary";

/** The steps of a request's progress (办理记录), shared by the routing services and the Cron job. */

/** A desk's name as the requester reads it: the community, or the county's department. */
export async function deskName(
  tx: Queryable,
  desk: { communityId: string | null; countyCode: string },
) {
  if (desk.communityId) {
    const [row] = await tx
      .select({ name: communities.name })
      .from(communities)
      .where(eq(communities.id, desk.communityId));
    return row?.name ?? "";
  }
  const [county] = await tx
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, desk.countyCode));
  return `${county?.name ?? desk.countyCode}社会工作部`;
}

export async function addStep(
  tx: Queryable,
  requestId: string,
  kind: RequestStepKind,
  at: Date,
  extra: { deskName?: string | null; note?: string | null } = {},
) {
  await tx.insert(requestSteps).values({ requestId, kind, at, ...extra });
}
