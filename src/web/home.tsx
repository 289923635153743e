import { Hono } from "hono";
import type { Child } from "hono/jsx";
import * as v from "valibot";
import type { Principal } from "../auth/principal";
import { ownCommunityOf } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communityName as nameOfCommunity } from "../directory/communities/queries";
import { serviceTypeLabels } from "../domain/vocabulary";
import { type EventRow, eventsByTime, findEvent, latestEvents } from "../events/queries";
import { Uuid } from "../lib/schemas";
import { homeNeeds } from "../needs/queries";
import { countOverdue, listRequests } from "../requests/queries";
import type { WebEnv } from "./env";
import { eventListPath } from "./events/list";
import { ReplyForms } from "./events/manage";
import { formatRange, shortened } from "./format";
import { requireStaffRoles } from "./guard";
import type { Lang } from "./i18n";
import type { Messages } from "./i18n/zh";
import { renderPage } from "./layout";
import { needListPath } from "./needs/list";

/**
 * How many of each the home lists, so it stays within 20 KB however much there is: events to
 * come and needs still to be worked on first, then recent events, then the latest ended needs.
 */
const UPCOMING_LISTED = 5;
const PENDING_LISTED = 6;
const RECENT_LISTED = 3;
const ENDED_LISTED = 5;
/** A need's windows on its card (it may have up to 20; its page shows them all). */
const WINDOWS_LISTED = 2;
/** An event's title in its links' labels: enough to tell the cards apart, not the whole title. */
const LABEL_CHARACTERS = 20;
/** Events this recent, held or under way, are listed for their outcome to be recorded. */
const RECENT_DAYS = 60;

type NeedRow = Awaited<ReturnType<typeof homeNeeds>>[number];

async function communityName(db: Queryable, principal: Principal, t: Messages): Promise<string> {
  const own = ownCommunityOf(principal.scope);
  if (!own) return t.allCommunities;
  return (await nameOfCommunity(db, own)) ?? "";
}

function NeedList({
  t,
  lang,
  rows,
  empty,
}: {
  t: Messages;
  lang: Lang;
  rows: NeedRow[];
  empty: string;
}) {
  if (rows.length === 0) return <p class="card muted">{empty}</p>;
  return (
    <ul class="cards">
      {rows.map((need) => (
        <li class="card">
          <div class="row">
            <h3>{serviceTypeLabels[need.serviceType][lang]}</h3>
            <span class={`badge ${need.status}`}>{t.needStatus[need.status]}</span>
          </div>
          <dl class="facts">
            <dt>{t.windowsLabel}</dt>
            <dd>
              {need.windows.slice(0, WINDOWS_LISTED).map((w) => (
                <div>{formatRange(w.start, w.end, lang)}</div>
              ))}
              {need.windows.length > WINDOWS_LISTED && (
                <div class="muted">{t.moreWindows(need.windows.length - WINDOWS_LISTED)}</div>
              )}
            </dd>
          </dl>
          <a href={`/staff/needs/${need.id}`}>
            {need.status === "open" ? t.viewCandidates : t.viewNeed}
          </a>
        </li>
      ))}
    </ul>
  );
}

function EventList({
  t,
  lang,
  rows,
  empty,
  lead,
  now,
}: {
  t: Messages;
  lang: Lang;
  rows: EventRow[];
  empty: string;
  /** The signed-in lead social worker: their pending assignments take an answer here. */
  lead: boolean;
  now: Date;
}) {
  if (rows.length === 0) return <p class="card muted">{empty}</p>;
  return (
    <ul class="cards">
      {rows.map((event) => (
        <li class="card" id={`event-${event.id}`}>
          <div class="row">
            <h3>{serviceTypeLabels[event.serviceType][lang]}</h3>
            <span class={`badge ${event.status}`}>{t.eventStatus[event.status]}</span>
          </div>
          <dl class="facts">
            <dt>{t.timeLabel}</dt>
            <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
            <dt>{t.communityLabel}</dt>
            <dd>{event.communityName}</dd>
            <dt>{t.leadLabel}</dt>
            <dd>{event.leadSocialWorkerName}</dd>
            {/* Once held or cancelled, whether the lead answered no longer matters. */}
            {event.status === "scheduled" && (
              <>
                <dt>{t.leadResponseLabel}</dt>
                <dd>
                  <span class={`badge ${event.leadResponse}`}>
                    {t.leadResponse[event.leadResponse]}
                  </span>
                </dd>
              </>
            )}
          </dl>
          {lead && event.status === "scheduled" && event.leadResponse === "pending" && (
            <ReplyForms
              t={t}
              event={{ ...event, title: shortened(event.title, LABEL_CHARACTERS) }}
              back="home"
              over={event.endsAt <= now}
            />
          )}
          <p class="actions">
            <a
              href={`/staff/events/${event.id}`}
              aria-label={t.eventPage.linkLabel(shortened(event.title, LABEL_CHARACTERS))}
            >
              {t.eventPage.link}
            </a>
            {event.status !== "cancelled" && (
              <a
                href={`/staff/events/${event.id}/checkin`}
                aria-label={t.checkin.linkLabel(shortened(event.title, LABEL_CHARACTERS))}
              >
                {t.checkin.link}
              </a>
            )}
            {event.endsAt <= now && event.status !== "cancelled" && (
              <a
                href={`/staff/events/${event.id}/outcome`}
                aria-label={t.outcome.linkLabel(shortened(event.title, LABEL_CHARACTERS))}
              >
                {t.outcome.link}
              </a>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** 群众需求 waiting at the desk, and how many passed a time limit (they stand out). */
function RequestsWaiting(props: {
  t: Messages;
  rows: Awaited<ReturnType<typeof listRequests>>;
  overdue: number;
}) {
  const { t, rows, overdue } = props;
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">{t.desk.title}</h2>
      {overdue > 0 && (
        <p class="alert" role="alert">
          <a href="/staff/requests?overdue=true">{t.desk.overdueCount(overdue)}</a>
        </p>
      )}
      {rows.length === 0 ? (
        <p class="card muted">{t.desk.none}</p>
      ) : (
        <ul>
          {rows.map((row) => (
            <li>
              <a href={`/staff/requests/${row.id}`}>{row.trackingCode}</a>{" "}
              {shortened(row.description, 40)}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/staff/requests">{t.desk.navLink}</a>
      </p>
    </section>
  );
}

/**
 * The events in the caller's scope still to come (with their number: the first page of
 * /staff/events), and the latest held.
 */
async function upcomingAndRecent(db: Queryable, principal: Principal, now: Date) {
  const [upcoming, recent] = await Promise.all([
    eventsByTime(db, principal.scope, { when: "upcoming", now, limit: UPCOMING_LISTED, offset: 0 }),
    latestEvents(db, principal.scope, {
      from: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
      to: now,
      limit: RECENT_LISTED,
    }),
  ]);
  return { upcoming: upcoming.rows, upcomingTotal: upcoming.total, recent };
}

/** How many more there are than the list shows, when there are, and the link to them all. */
function MoreNotListed(props: {
  t: Messages;
  total: number;
  shown: number;
  href: string;
  label: string;
}) {
  const more = props.total - props.shown;
  if (more <= 0) return null;
  return (
    <p class="muted">
      {props.t.moreNotListed(more)} <a href={props.href}>{props.label}</a>
    </p>
  );
}

/** Ended and withdrawn needs: the latest few, one line each, folded away. */
function EndedNeeds(props: { t: Messages; lang: Lang; rows: NeedRow[] }) {
  const { t, lang, rows } = props;
  if (rows.length === 0) return null;
  const total = rows[0]?.total ?? rows.length;
  return (
    <details>
      <summary>{t.endedNeeds(total)}</summary>
      <ul>
        {rows.map((need) => (
          <li>
            <a href={`/staff/needs/${need.id}`}>{serviceTypeLabels[need.serviceType][lang]}</a>
            {need.windows[0]
              ? ` · ${formatRange(need.windows[0].start, need.windows[0].end, lang)}`
              : ""}{" "}
            <span class={`badge ${need.status}`}>{t.needStatus[need.status]}</span>
          </li>
        ))}
      </ul>
      <MoreNotListed
        t={t}
        total={total}
        shown={rows.length}
        href={needListPath("ended")}
        label={t.lists.seeEndedNeeds}
      />
    </details>
  );
}

function EventSections({
  t,
  lang,
  upcoming,
  upcomingTotal,
  recent,
  lead = false,
  now,
  between,
}: {
  t: Messages;
  lang: Lang;
  upcoming: EventRow[];
  upcomingTotal: number;
  recent: EventRow[];
  lead?: boolean;
  now: Date;
  /** What comes after the events to come and before the recent ones (the needs to work on). */
  between?: Child;
}) {
  return (
    <>
      <section aria-labelledby="events-title">
        <h2 id="events-title">{t.upcomingEvents}</h2>
        <EventList t={t} lang={lang} rows={upcoming} empty={t.noEvents} lead={lead} now={now} />
        <MoreNotListed
          t={t}
          total={upcomingTotal}
          shown={upcoming.length}
          href={eventListPath("upcoming")}
          label={t.lists.seeEvents}
        />
      </section>
      {between}
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t.recentEvents}</h2>
        <EventList
          t={t}
          lang={lang}
          rows={recent}
          empty={t.noRecentEvents(RECENT_DAYS)}
          lead={lead}
          now={now}
        />
        <p>
          <a href={eventListPath("past")}>{t.lists.seePastEvents}</a>
        </p>
      </section>
    </>
  );
}

/**
 * GET /staff: the coordinator's community, its needs and its events. A department's work is the
 * tallies, so it goes straight to the dashboard; a social worker sees the events they lead, with
 * check-in and the outcome form, and nothing else.
 */
export const homeRoutes = new Hono<WebEnv>().get(
  "/",
  requireStaffRoles(["coordinator", "admin", "department", "social_worker"]),
  async (c) => {
    const { t, lang, principal, db } = c.var;
    if (principal.role === "department") return c.redirect("/staff/tallies", 303);
    if (principal.role === "social_worker") {
      const events = await upcomingAndRecent(db, principal, c.var.now);
      const answered = (["accepted", "declined"] as const).find((key) => c.req.query(key));
      return renderPage(
        c,
        { title: t.homeTitle, principal, without: ["tables"] },
        <>
          {answered && (
            <p class="notice" role="status">
              {t.eventPage.done[answered]}
            </p>
          )}
          <p class="muted">{t.myLedEvents}</p>
          <h1>{principal.name}</h1>
          <p>
            <a href="/staff/calendar">{t.calendarPage.link}</a>
          </p>
          <EventSections t={t} lang={lang} {...events} now={c.var.now} lead />
        </>,
      );
    }
    const bookedId = c.req.query("booked");
    const [name, pending, ended, events, booked, waiting, overdue] = await Promise.all([
      communityName(db, principal, t),
      homeNeeds(db, principal.scope, { ended: false, limit: PENDING_LISTED }),
      homeNeeds(db, principal.scope, { ended: true, limit: ENDED_LISTED }),
      upcomingAndRecent(db, principal, c.var.now),
      bookedId && v.is(Uuid, bookedId) ? findEvent(db, principal.scope, bookedId) : undefined,
      listRequests(db, principal.scope, { status: "received", limit: 5, offset: 0 }, c.var.now),
      countOverdue(db, principal.scope, c.var.now),
    ]);
    const mine = ownCommunityOf(principal.scope) !== undefined;
    return renderPage(
      c,
      { title: t.homeTitle, principal, without: ["tables"] },
      <>
        {booked && (
          <p class="notice" role="status">
            {t.bookedNotice(
              serviceTypeLabels[booked.serviceType][lang],
              formatRange(booked.startsAt, booked.endsAt, lang),
              booked.leadSocialWorkerName,
            )}
          </p>
        )}
        <p class="muted">{t.communityLabel}</p>
        <h1>{name}</h1>
        <p>
          <a class="button" href="/staff/needs/new">
            {t.postNeed}
          </a>{" "}
          <a href="/staff/tallies">{t.tallies.link}</a>
        </p>
        <RequestsWaiting t={t} rows={waiting} overdue={overdue} />
        <EventSections
          t={t}
          lang={lang}
          {...events}
          now={c.var.now}
          between={
            <section aria-labelledby="needs-title">
              <h2 id="needs-title">{mine ? t.myNeeds : t.allNeeds}</h2>
              <NeedList
                t={t}
                lang={lang}
                rows={pending}
                empty={ended.length > 0 ? t.noPendingNeeds : t.noNeeds}
              />
              <MoreNotListed
                t={t}
                total={pending[0]?.total ?? 0}
                shown={pending.length}
                href={needListPath("pending")}
                label={t.lists.seeNeeds}
              />
            </section>
          }
        />
        <EndedNeeds t={t} lang={lang} rows={ended} />
      </>,
    );
  },
);
