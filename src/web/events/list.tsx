import { Hono } from "hono";
import { ownCommunityOf } from "../../auth/scope";
import { serviceTypeLabels } from "../../domain/vocabulary";
import { type EventRow, type EventTime, eventsByTime } from "../../events/queries";
import type { WebEnv } from "../env";
import { formatRange, shortened } from "../format";
import { requireEventStaff } from "../guard";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { renderPage } from "../layout";
import { LIST_PAGE_SIZE, Pager, pageCount, pageOf, ViewLinks } from "../pager";

const eventTimes = ["upcoming", "past"] as const satisfies EventTime[];

/** An event's title in the list: enough to tell events apart, short enough for 20 a page. */
const TITLE_CHARACTERS = 40;
const NAME_CHARACTERS = 20;

/** The list's address for a time and a page (the defaults left out). */
export function eventListPath(when: EventTime, page = 1): string {
  const query = new URLSearchParams();
  if (when !== "upcoming") query.set("when", when);
  if (page > 1) query.set("page", String(page));
  const search = query.toString();
  return search ? `/staff/events?${search}` : "/staff/events";
}

/** What a line says besides its title: the other communities' names, the lead for others. */
interface Shown {
  community: boolean;
  lead: boolean;
}

function EventLine(props: { t: Messages; lang: Lang; event: EventRow; shown: Shown }) {
  const { t, lang, event, shown } = props;
  const facts = [
    serviceTypeLabels[event.serviceType][lang],
    formatRange(event.startsAt, event.endsAt, lang),
    shown.community ? event.communityName : "",
    shown.lead ? shortened(event.leadSocialWorkerName, NAME_CHARACTERS) : "",
  ];
  return (
    <li class="card">
      <div class="row">
        <h3>
          <a href={`/staff/events/${event.id}`}>{shortened(event.title, TITLE_CHARACTERS)}</a>
        </h3>
        {event.status === "cancelled" && (
          <span class="badge cancelled">{t.eventStatus.cancelled}</span>
        )}
      </div>
      <p class="muted">{facts.filter(Boolean).join(" · ")}</p>
    </li>
  );
}

function EventListPage(props: {
  t: Messages;
  lang: Lang;
  title: string;
  when: EventTime;
  rows: EventRow[];
  total: number;
  page: number;
  shown: Shown;
}) {
  const { t, lang, when, page } = props;
  const l = t.lists;
  return (
    <>
      <h1>{props.title}</h1>
      <ViewLinks
        label={l.eventsView}
        views={eventTimes}
        current={when}
        labelOf={(v) => l.eventView[v]}
        pathOf={(v) => eventListPath(v)}
      />
      <p class="muted">
        {l.eventView[when]} · {l.count(props.total)}
      </p>
      {props.rows.length === 0 ? (
        <p class="card muted">{when === "upcoming" ? l.noUpcoming : l.noPast}</p>
      ) : (
        <ul class="cards">
          {props.rows.map((event) => (
            <EventLine t={t} lang={lang} event={event} shown={props.shown} />
          ))}
        </ul>
      )}
      <Pager
        t={t}
        page={page}
        pages={pageCount(props.total)}
        pathOf={(p) => eventListPath(when, p)}
      />
    </>
  );
}

/**
 * GET /staff/events: the events in the caller's reach (a coordinator its community's, a social
 * worker those they lead, an admin all), 20 a page: to come, soonest first, as the home lists them
 * (the default), or `?when=past`, latest first; each opens the event's page.
 */
export const eventListRoutes = new Hono<WebEnv>().get("/", requireEventStaff, async (c) => {
  const { t, lang, principal, db, now } = c.var;
  const when: EventTime = c.req.query("when") === "past" ? "past" : "upcoming";
  const page = pageOf(c.req.query("page"));
  const { rows, total } = await eventsByTime(db, principal.scope, {
    when,
    now,
    limit: LIST_PAGE_SIZE,
    offset: (page - 1) * LIST_PAGE_SIZE,
  });
  // Past the last page (an old link, a typed number): to the last page there is.
  if (rows.length === 0 && page > 1) {
    const all = await eventsByTime(db, principal.scope, { when, now, limit: 1, offset: 0 });
    return c.redirect(eventListPath(when, pageCount(all.total)), 303);
  }
  const lead = principal.role === "social_worker";
  const mine = ownCommunityOf(principal.scope) !== undefined;
  const title = lead ? t.myLedEvents : mine ? t.lists.myEvents : t.lists.allEvents;
  return renderPage(
    c,
    { title, principal, without: ["tables", "forms"] },
    <EventListPage
      t={t}
      lang={lang}
      title={title}
      when={when}
      rows={rows}
      total={total}
      page={page}
      shown={{ community: !mine, lead: !lead }}
    />,
  );
});
