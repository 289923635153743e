import { type Context, Hono } from "hono";
import { actorOf } from "../../auth/actor";
import { socialWorkerFor } from "../../auth/scope";
import { activeFeedOf, createCalendarFeed, revokeCalendarFeed } from "../../events/calendar-feeds";
import type { WebEnv } from "../env";
import { formatDateTime } from "../format";
import { requireStaffRoles } from "../guard";
import type { Messages } from "../i18n/zh";
import { renderPage } from "../layout";
import { publicUrl, webcalUrl } from "../links";
import { qrSvg } from "../qr";

const pageStyles = `
.qr{display:block;width:min(60vw,14rem);height:auto;margin:.5rem 0}
input[readonly]{background:#f6f8fa}
form.inline{display:inline-block;margin:0 .5rem .5rem 0}
`;

/** The social worker's own id (this page is only for social workers). */
const ownWorker = (c: Context<WebEnv>): string => socialWorkerFor(c.var.principal, undefined);

/** Make a link (or a new one) and, when one exists, stop it. */
function FeedForms({ t, active }: { t: Messages; active: boolean }) {
  const p = t.calendarPage;
  return (
    <div class="actions">
      <form class="inline" method="post" action="/staff/calendar">
        <button class="primary" type="submit">
          {active ? p.replace : p.create}
        </button>
      </form>
      {active && (
        <form class="inline" method="post" action="/staff/calendar/revoke">
          <button class="secondary" type="submit">
            {p.revoke}
          </button>
        </form>
      )}
    </div>
  );
}

/** The new link, once: for calendar apps (webcal), as an address to paste, and as a QR code. */
function NewFeed({ t, url }: { t: Messages; url: string }) {
  const p = t.calendarPage;
  return (
    <section class="card" aria-labelledby="created-title">
      <h2 id="created-title">{p.createdTitle}</h2>
      <p class="notice">{p.createdHint}</p>
      <p>
        <a class="button" href={webcalUrl(url)}>
          {p.webcal}
        </a>
      </p>
      <p class="hint">{p.webcalHint}</p>
      <label for="feed-url">{p.https}</label>
      <p class="hint" id="feed-url-hint">
        {p.httpsHint}
      </p>
      <input id="feed-url" type="url" readonly value={url} aria-describedby="feed-url-hint" />
      <h3>{p.qr}</h3>
      {qrSvg(url, p.qrLabel)}
    </section>
  );
}

/**
 * /staff/calendar: a social worker subscribes their calendar app to the events they lead, through
 * the same service as POST /api/v1/calendar-feeds. The link is shown once, right after it is
 * made (never put in a redirect's address); a new link stops the old one.
 */
export const calendarPageRoutes = new Hono<WebEnv>()
  .use(requireStaffRoles(["social_worker"]))
  .get("/", async (c) => {
    const { t, lang, principal } = c.var;
    const p = t.calendarPage;
    const active = await activeFeedOf(c.var.db, ownWorker(c));
    return renderPage(
      c,
      { title: p.title, principal },
      <>
        <style>{pageStyles}</style>
        <p>
          <a href="/staff">← {t.back}</a>
        </p>
        <h1>{p.title}</h1>
        {c.req.query("revoked") !== undefined && (
          <p class="notice" role="status">
            {p.revoked}
          </p>
        )}
        <p>{p.intro}</p>
        <p class="card">{active ? p.current(formatDateTime(active.createdAt, lang)) : p.none}</p>
        <FeedForms t={t} active={active !== undefined} />
      </>,
    );
  })
  .post("/", async (c) => {
    const { t, principal } = c.var;
    const feed = await createCalendarFeed(actorOf(c), ownWorker(c));
    const url = publicUrl(c, `/calendar/${feed.token}.ics`);
    return renderPage(
      c,
      { title: t.calendarPage.title, principal },
      <>
        <style>{pageStyles}</style>
        <p>
          <a href="/staff">← {t.back}</a>
        </p>
        <h1>{t.calendarPage.title}</h1>
        <NewFeed t={t} url={url} />
        <FeedForms t={t} active />
      </>,
    );
  })
  .post("/revoke", async (c) => {
    const active = await activeFeedOf(c.var.db, ownWorker(c));
    if (active) await revokeCalendarFeed(actorOf(c), active.id);
    return c.redirect("/staff/calendar?revoked", 303);
  });
