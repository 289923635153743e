import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { socialWorkerFor } from "../auth/scope";
import type { Queryable } from "../db/client";
import { calendarFeeds, communities, events, socialWorkers } from "../db/schema";
import { recordAudit } from "../lib/audit";
import { notFound } from "../lib/errors";
import { randomToken, sha256Hex } from "../lib/personal-data";

/** How far back a feed lists events (calendar apps keep what they already have). */
const FEED_PAST_DAYS = 90;

/**
 * Gives a social worker a new secret feed link (an admin names whom), revoking the old one, with
 * its audit entry. Only the token's hash is stored; the token is returned once.
 */
export async function createCalendarFeed(
  actor: Actor,
  requested: string | undefined,
): Promise<{ id: string; socialWorkerId: string; token: string }> {
  const socialWorkerId = socialWorkerFor(actor.principal, requested);
  const token = randomToken(32);
  const tokenHash = await sha256Hex(token);
  return actor.db.transaction(async (tx) => {
    const [worker] = await tx
      .select({ id: socialWorkers.id })
      .from(socialWorkers)
      .where(eq(socialWorkers.id, socialWorkerId));
    if (!worker) throw notFound("social worker");
    await tx
      .update(calendarFeeds)
      .set({ revokedAt: actor.now })
      .where(
        and(eq(calendarFeeds.socialWorkerId, socialWorkerId), isNull(calendarFeeds.revokedAt)),
      );
    const [row] = await tx
      .insert(calendarFeeds)
      .values({ socialWorkerId, tokenHash })
      .returning({ id: calendarFeeds.id });
    if (!row) throw new Error("feed insert returned no row");
    await recordAudit(tx, actor, {
      action: "create",
      entity: "calendar_feed",
      entityId: row.id,
      after: { socialWorkerId },
    });
    return { id: row.id, socialWorkerId, token };
  });
}

/** Revokes a feed link (its social worker's own, or any for an admin), with its audit entry. */
export async function revokeCalendarFeed(actor: Actor, id: string): Promise<void> {
  await actor.db.transaction(async (tx) => {
    const [feed] = await tx
      .select()
      .from(calendarFeeds)
      .where(and(eq(calendarFeeds.id, id), isNull(calendarFeeds.revokedAt)))
      .for("update");
    if (!feed) throw notFound("calendar feed");
    socialWorkerFor(actor.principal, feed.socialWorkerId);
    await tx.update(calendarFeeds).set({ revokedAt: actor.now }).where(eq(calendarFeeds.id, id));
    await recordAudit(tx, actor, { action: "revoke", entity: "calendar_feed", entityId: id });
  });
}

/** The social worker and events behind a feed token, or undefined for an unknown or revoked one. */
export async function calendarByToken(db: Queryable, token: string, now: Date) {
  const [feed] = await db
    .select({ socialWorkerId: calendarFeeds.socialWorkerId, name: socialWorkers.name })
    .from(calendarFeeds)
    .innerJoin(socialWorkers, eq(socialWorkers.id, calendarFeeds.socialWorkerId))
    .where(
      and(eq(calendarFeeds.tokenHash, await sha256Hex(token)), isNull(calendarFeeds.revokedAt)),
    );
  if (!feed) return undefined;
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000);
  const rows = await db
    .select({
      id: events.id,
      title: events.title,
      start: events.startsAt,
      end: events.endsAt,
      status: events.status,
      leadResponse: events.leadResponse,
      revision: events.revision,
      updatedAt: events.updatedAt,
      serviceType: events.serviceType,
      communityName: communities.name,
      address: communities.address,
    })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .where(and(eq(events.leadSocialWorkerId, feed.socialWorkerId), gt(events.endsAt, since)))
    .orderBy(asc(events.startsAt));
  return { name: feed.name, events: rows };
}
