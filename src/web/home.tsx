import { Hono } from "hono";
import * as v from "valibot";
import type { Principal } from "../auth/principal";
import { ownCommunityOf } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communityName as nameOfCommunity } from "../directory/communities/queries";
import { serviceTypeLabels } from "../domain/vocabulary";
import { type EventRow, findEvent, listEvents } from "../events/queries";
import { Uuid } from "../lib/schemas";
import { listNeeds } from "../needs/queries";
import { countOverdue, listRequests } from "../requests/queries";
import type { WebEnv } from "./env";
import { ReplyForms } from "./events/manage";
import { formatRange } from "./format";
import { requireStaffRoles } from "./guard";
import type { Lang } from "./i18n";
import type { Messages } from "./i18n/zh";
import { renderPage } from "./layout";

const LISTED = 50;
/** Events this recent, held or under way, are listed for their outcome to be recorded. */
const RECENT_DAYS = 60;

type NeedRow = Awaited<ReturnType<typeof listNeeds>>[number];

async function communityName(db: Queryable, principal: Principal, t: Messages): Promise<string> {
  const own = ownCommunityOf(principal.scope);
  if (!own) return t.allCommunities;
  return (await nameOfCommunity(db, own)) ?? "";
}

function NeedList({ t, lang, rows }: { t: Messages; lang: Lang; rows: NeedRow[] }) {
  if (rows.length === 0) return <p class="card muted">{t.noNeeds}</p>;
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
              {need.windows.map((w) => (
                <div>{formatRange(w.start, w.end, lang)}</div>
              ))}
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
            <ReplyForms t={t} event={event} back="home" over={event.endsAt <= now} />
          )}
          <p class="actions">
            <a href={`/staff/events/${event.id}`} aria-label={t.eventPage.linkLabel(event.title)}>
              {t.eventPage.link}
            </a>
            {event.status !== "cancelled" && (
              <a
                href={`/staff/events/${event.id}/checkin`}
                aria-label={t.checkin.linkLabel(event.title)}
              >
                {t.checkin.link}
              </a>
            )}
            {event.endsAt <= now && event.status !== "cancelled" && (
              <a
                href={`/staff/events/${event.id}/outcome`}
                aria-label={t.outcome.linkLabel(event.title)}
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
              <a href={`/staff/requests/${row.id}`}>{row.trackingCode}</a> {row.description}
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

/** The events in the caller's scope still to come, and those of the last RECENT_DAYS. */
async function upcomingAndRecent(db: Queryable, principal: Principal, now: Date) {
  const [upcoming, recent] = await Promise.all([
    listEvents(db, principal.scope, { from: now, limit: LISTED, offset: 0 }),
    listEvents(db, principal.scope, {
      from: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
      to: now,
      limit: LISTED,
      offset: 0,
    }),
  ]);
  return [upcoming.data, recent.data] as const;
}

function EventSections({
  t,
  lang,
  upcoming,
  recent,
  lead = false,
  now,
}: {
  t: Messages;
  lang: Lang;
  upcoming: EventRow[];
  recent: EventRow[];
  lead?: boolean;
  now: Date;
}) {
  return (
    <>
      <section aria-labelledby="events-title">
        <h2 id="events-title">{t.upcomingEvents}</h2>
        <EventList t={t} lang={lang} rows={upcoming} empty={t.noEvents} lead={lead} now={now} />
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t.recentEvents}</h2>
        <EventList
          t={t}
          lang={lang}
          rows={recent.filter((event) => event.status !== "cancelled").reverse()}
          empty={t.noRecentEvents(RECENT_DAYS)}
          lead={lead}
          now={now}
        />
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
      const [upcoming, recent] = await upcomingAndRecent(db, principal, c.var.now);
      const answered = (["accepted", "declined"] as const).find((key) => c.req.query(key));
      return renderPage(
        c,
        { title: t.homeTitle, principal },
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
          <EventSections
            t={t}
            lang={lang}
            upcoming={upcoming}
            recent={recent}
            now={c.var.now}
            lead
          />
        </>,
      );
    }
    const bookedId = c.req.query("booked");
    const [name, needRows, [eventRows, recentRows], booked, waiting, overdue] = await Promise.all([
      communityName(db, principal, t),
      listNeeds(db, principal.scope, { limit: LISTED, offset: 0 }),
      upcomingAndRecent(db, principal, c.var.now),
      bookedId && v.is(Uuid, bookedId) ? findEvent(db, principal.scope, bookedId) : undefined,
      listRequests(db, principal.scope, { status: "received", limit: 5, offset: 0 }, c.var.now),
      countOverdue(db, principal.scope, c.var.now),
    ]);
    const mine = ownCommunityOf(principal.scope) !== undefined;
    return renderPage(
      c,
      { title: t.homeTitle, principal },
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
        <section aria-labelledby="needs-title">
          <h2 id="needs-title">{mine ? t.myNeeds : t.allNeeds}</h2>
          <NeedList t={t} lang={lang} rows={needRows} />
        </section>
        <EventSections t={t} lang={lang} upcoming={eventRows} recent={recentRows} now={c.var.now} />
      </>,
    );
  },
);
