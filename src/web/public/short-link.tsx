import { Hono } from "hono";
import { eventsByShortCode, normaliseShortCode } from "../../events/short-links";
import type { WebEnv } from "../env";
import { webErrorHandler } from "../errors";
import { formatDateTime } from "../format";
import { chooseLanguage } from "../i18n";
import { renderPage } from "../layout";
import { pageHeaders } from "../page-headers";

/**
 * `/e/<code>`: the short link printed on posters, for people who type rather than scan. One
 * event: straight to its sign-up page. Two events sharing the code (32 random bits): both
 * listed to choose from, never a guess. Mounted by src/app.ts.
 */
export const shortLinks = new Hono<WebEnv>()
  .use(pageHeaders, chooseLanguage)
  .get("/:code", async (c) => {
    const { t, lang } = c.var;
    const code = normaliseShortCode(c.req.param("code"));
    const found = code ? await eventsByShortCode(c.var.db, code) : [];
    const [only] = found;
    if (only && found.length === 1) return c.redirect(`/events/${only.id}`, 302);
    if (found.length === 0) {
      return renderPage(
        c,
        { title: t.public.notFoundTitle, status: 404 },
        <>
          <h1>{t.public.notFoundTitle}</h1>
          <p>{t.public.notFoundBody}</p>
          <p>
            <a href="/events">{t.public.backToList}</a>
          </p>
        </>,
      );
    }
    return renderPage(
      c,
      { title: t.public.eventsTitle },
      <>
        <h1>{t.public.eventsTitle}</h1>
        <ul class="cards">
          {found.map((event) => (
            <li class="card">
              <a href={`/events/${event.id}`}>{event.title}</a>
              <div class="muted">{formatDateTime(event.startsAt, lang)}</div>
            </li>
          ))}
        </ul>
      </>,
    );
  })
  .onError(webErrorHandler);
