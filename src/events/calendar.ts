import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { requireAuth, requireRole } from "../auth/middleware";
import { calendarFeeds, communities, events, socialWorkers } from "../db/schema";
import { serviceTypeLabels } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { randomToken, sha256Hex } from "../lib/personal-data";
import { Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { renderCalendar } from "./ical";

const FEED_PAST_DAYS = 90;

/** Which social worker a feed request is about: a social worker only ever their own. */
function feedOwner(
  principal: AppEnv["Variables"]["principal"],
  requested: string | undefined,
): string {
  if (principal.scope.kind === "social_worker") {
    if (requested && requested !== principal.scope.socialWorkerId) throw notFound("social worker");
    return principal.scope.socialWorkerId;
  }
  if (!requested) {
    throw new AppError("VALIDATION_FAILED", "name the social worker", {
      issues: [{ path: "socialWorkerId", message: "required for an admin" }],
    });
  }
  return requested;
}

/**
 * A social worker's private iCalendar feed: a secret link (only its hash is stored) that
 * calendar apps subscribe to. Making a new link revokes the old one.
 */
export const calendarFeedRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireRole("admin", "social_worker"))
  .post(
    "/",
    describeRoute({
      summary: "Create (or replace) a social worker's calendar feed link",
      tags: ["events"],
    }),
    validate("json", v.strictObject({ socialWorkerId: v.optional(Uuid) })),
    async (c) => {
      const socialWorkerId = feedOwner(c.var.principal, c.req.valid("json").socialWorkerId);
      const token = randomToken(32);
      const feed = await c.var.db.transaction(async (tx) => {
        const [worker] = await tx
          .select({ id: socialWorkers.id })
          .from(socialWorkers)
          .where(eq(socialWorkers.id, socialWorkerId));
        if (!worker) throw notFound("social worker");
        await tx
          .update(calendarFeeds)
          .set({ revokedAt: new Date() })
          .where(
            and(eq(calendarFeeds.socialWorkerId, socialWorkerId), isNull(calendarFeeds.revokedAt)),
          );
        const [row] = await tx
          .insert(calendarFeeds)
          .values({ socialWorkerId, tokenHash: await sha256Hex(token) })
          .returning({ id: calendarFeeds.id });
        if (!row) throw new Error("feed insert returned no row");
        await recordAudit(tx, c, {
          action: "create",
          entity: "calendar_feed",
          entityId: row.id,
          after: { socialWorkerId },
        });
        return row;
      });
      c.header("Cache-Control", "no-store");
      const url = new URL(`/calendar/${token}.ics`, c.req.url).toString();
      return c.json({ id: feed.id, socialWorkerId, url }, 201);
    },
  )
  .delete(
    "/:id",
    describeRoute({ summary: "Revoke a calendar feed link", tags: ["events"] }),
    validate("param", v.object({ id: Uuid })),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.var.db.transaction(async (tx) => {
        const [feed] = await tx
          .select()
          .from(calendarFeeds)
          .where(and(eq(calendarFeeds.id, id), isNull(calendarFeeds.revokedAt)));
        if (!feed) throw notFound("calendar feed");
        feedOwner(c.var.principal, feed.socialWorkerId);
        await tx
          .update(calendarFeeds)
          .set({ revokedAt: new Date() })
          .where(eq(calendarFeeds.id, id));
        await recordAudit(tx, c, { action: "revoke", entity: "calendar_feed", entityId: id });
      });
      return c.json({ id, revoked: true });
    },
  );

/** `GET /calendar/<token>.ics`: the feed itself, for calendar apps (the token is the credential). */
export const publicCalendarRoutes = new Hono<AppEnv>().get("/:file", async (c) => {
  const match = /^([A-Za-z0-9_-]{20,80})\.ics$/.exec(c.req.param("file"));
  if (!match?.[1]) throw notFound("calendar feed");
  const [feed] = await c.var.db
    .select({ socialWorkerId: calendarFeeds.socialWorkerId, name: socialWorkers.name })
    .from(calendarFeeds)
    .innerJoin(socialWorkers, eq(socialWorkers.id, calendarFeeds.socialWorkerId))
    .where(
      and(eq(calendarFeeds.tokenHash, await sha256Hex(match[1])), isNull(calendarFeeds.revokedAt)),
    );
  if (!feed) throw notFound("calendar feed");
  const since = new Date(Date.now() - FEED_PAST_DAYS * 86_400_000);
  const rows = await c.var.db
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
  const body = renderCalendar({
    name: `双翼 · ${feed.name}`,
    now: new Date(),
    events: rows.map((row) => ({
      id: row.id,
      title: row.title,
      start: row.start,
      end: row.end,
      location: [row.communityName, row.address].filter(Boolean).join(" "),
      description: `${serviceTypeLabels[row.serviceType].zh}（双翼 专业社工+志愿服务）`,
      status: row.status,
      accepted: row.leadResponse === "accepted",
      sequence: row.revision,
      updatedAt: row.updatedAt,
    })),
  });
  return c.body(body, 200, {
    "Content-Type": "text/calendar; charset=utf-8",
    "Content-Disposition": 'inline; filename="shuangyi.ics"',
    "Cache-Control": "private, max-age=300",
  });
});
