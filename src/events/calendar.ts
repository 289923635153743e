import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import { serviceTypeLabels } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { publicUrl } from "../lib/links";
import { created, fileResponse, ok, reply, responses, WRITE } from "../lib/responses";
import { Uuid } from "../lib/schemas";
import { validate } from "../lib/validation";
import { calendarByToken, createCalendarFeed, revokeCalendarFeed } from "./calendar-feeds";
import { renderCalendar } from "./ical";
import { CalendarFeedOut, RevokedOut } from "./schemas";

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
      description: "The link holds a secret token, shown this once; a new link revokes the old.",
      tags: ["events"],
      responses: responses(created("The feed link", CalendarFeedOut), { ...WRITE, id: true }),
    }),
    validate("json", v.strictObject({ socialWorkerId: v.optional(Uuid) })),
    async (c) => {
      const feed = await createCalendarFeed(actorOf(c), c.req.valid("json").socialWorkerId);
      c.header("Cache-Control", "no-store");
      const url = publicUrl(c.var.config.publicOrigin, `/calendar/${feed.token}.ics`);
      return reply(
        c,
        CalendarFeedOut,
        { id: feed.id, socialWorkerId: feed.socialWorkerId, url },
        201,
      );
    },
  )
  .delete(
    "/:id",
    describeRoute({
      summary: "Revoke a calendar feed link",
      tags: ["events"],
      responses: responses(ok("The feed link, revoked", RevokedOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    validate("param", v.object({ id: Uuid })),
    async (c) => {
      const { id } = c.req.valid("param");
      await revokeCalendarFeed(actorOf(c), id);
      return reply(c, RevokedOut, { id, revoked: true as const });
    },
  );

/** `GET /calendar/<token>.ics`: the feed itself, for calendar apps (the token is the credential). */
export const publicCalendarRoutes = new Hono<AppEnv>().get(
  "/:file",
  describeRoute({
    summary: "A social worker's calendar feed (iCalendar), for calendar apps",
    description:
      "`file` is `<token>.ics`, the secret link from `POST /api/v1/calendar-feeds`: the token is " +
      "the credential. Events carry TZID=Asia/Shanghai and a SEQUENCE that grows with each change.",
    tags: ["events"],
    security: [],
    parameters: [
      {
        in: "path",
        name: "file",
        required: true,
        description: "The feed token followed by `.ics`",
        schema: { type: "string", pattern: "^[A-Za-z0-9_-]{20,80}\\.ics$" },
      },
    ],
    responses: responses({ 200: fileResponse("The calendar", "text/calendar") }, { id: true }),
  }),
  async (c) => {
    const match = /^([A-Za-z0-9_-]{20,80})\.ics$/.exec(c.req.param("file"));
    if (!match?.[1]) throw notFound("calendar feed");
    const now = c.var.now;
    const feed = await calendarByToken(c.var.db, match[1], now);
    if (!feed) throw notFound("calendar feed");
    const body = renderCalendar({
      name: `双翼 · ${feed.name}`,
      now,
      events: feed.events.map((row) => ({
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
  },
);
