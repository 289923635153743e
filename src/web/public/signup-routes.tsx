import { Hono } from "hono";
import { callerOf } from "../../auth/actor";
import { renderCalendar } from "../../events/ical";
import { AppError } from "../../lib/errors";
import { eventPath, privateLinkPath, publicUrl } from "../../lib/links";
import { deliverSoon } from "../../notifications/immediate";
import { manageView } from "../../signups/queries";
import { MANAGE_TOKEN } from "../../signups/schemas";
import { cancelSignUp } from "../../signups/service";
import type { WebEnv } from "../env";
import { publicNotFound } from "./errors";
import { volunteerCalendarEvent } from "./event-ics";
import { renderPublicPage } from "./layout";
import { CancelledPage, PrivatePage } from "./signup-pages";

/** /signups/:token: the private link — view (the confirmation too), add to calendar, cancel. */
export const signupPages = new Hono<WebEnv>()
  .get("/:token", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const { t, lang } = c.var;
    const view = await manageView(c.var.db, token);
    const fresh = c.req.query("new") === "1";
    return renderPublicPage(
      c,
      { title: fresh ? t.public.confirmedTitle : t.public.manageTitle },
      <PrivatePage
        t={t}
        lang={lang}
        token={token}
        pageUrl={publicUrl(c.var.config.publicOrigin, privateLinkPath(token))}
        fresh={fresh}
        event={view.event}
        signup={view.signup}
      />,
    );
  })
  .get("/:token/event.ics", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const { event, signup } = await manageView(c.var.db, token);
    if (!event) return publicNotFound(c);
    const eventUrl = publicUrl(c.var.config.publicOrigin, eventPath(event.id));
    const body = renderCalendar({
      name: `双翼 · ${event.title}`,
      now: c.var.now,
      events: [volunteerCalendarEvent(event, signup.status, eventUrl)],
    });
    return c.body(body, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="shuangyi-event.ics"',
      "Cache-Control": "no-store",
    });
  })
  .get("/:token/cancel", (c) => c.redirect(privateLinkPath(c.req.param("token")), 303))
  .post("/:token/cancel", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const { t, lang } = c.var;
    try {
      const result = await cancelSignUp(callerOf(c), token);
      // The first on the waitlist is told at once that the place is theirs.
      deliverSoon(c, [result.promoted?.id]);
      return renderPublicPage(
        c,
        { title: t.public.cancelledTitle },
        <CancelledPage t={t} changed={result.changed} placePassedOn={result.promoted !== null} />,
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
      const view = await manageView(c.var.db, token);
      return renderPublicPage(
        c,
        { title: t.public.manageTitle, status: 409 },
        <PrivatePage
          t={t}
          lang={lang}
          token={token}
          pageUrl={publicUrl(c.var.config.publicOrigin, privateLinkPath(token))}
          fresh={false}
          event={view.event}
          signup={view.signup}
          problem={t.public.cannotCancel}
        />,
      );
    }
  });
