import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { regionLevelOf } from "../../domain/regions";
import {
  citiesWithCounties,
  communityOptions,
  listPublicEvents,
  type PublicEventSummary,
  type RegionOption,
} from "../../events/public-queries";
import { readPublicSearch, searchPath } from "../../events/public-search";
import type { WebEnv } from "../env";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { NEAR_COOKIE, PROVINCE_CODE } from "./event-routes";
import { renderPublicPage } from "./layout";
import { EventCards, NearSelect, RegionSelect } from "./list-page";

/** How many events the front door shows before "see all". */
const FRONT_EVENTS = 5;

function FrontPage(props: {
  t: Messages;
  lang: Lang;
  cities: Awaited<ReturnType<typeof citiesWithCounties>>;
  region?: string;
  nearOptions: RegionOption[];
  near?: RegionOption;
  events: PublicEventSummary[];
}) {
  const { t, near } = props;
  const f = t.front;
  const county = near ? near.code.slice(0, 6) : props.region;
  const all = near
    ? searchPath({ region: county, near: near.code, words: [], when: "all", page: 1 })
    : "/events";
  return (
    <>
      <h1>{f.heading}</h1>
      <p>
        <strong>{f.motto}</strong>
      </p>
      <p>{f.intro}</p>
      <form class="stack card" method="get" action="/">
        <RegionSelect t={t} cities={props.cities} selected={county} />
        <NearSelect t={t} options={props.nearOptions} selected={near?.code} />
        <button class="primary" type="submit">
          {t.listing.submit}
        </button>
      </form>
      <h2>{near ? f.nearHeading(near.name) : f.upcomingHeading}</h2>
      {props.events.length === 0 ? (
        <p class="card">{t.listing.emptyAll}</p>
      ) : (
        <EventCards t={t} lang={props.lang} events={props.events} headingLevel="h3" />
      )}
      <p>
        <a class="button secondary" href={all}>
          {near ? f.seeAllNear(near.name) : f.seeAll}
        </a>
      </p>
      <section class="card" aria-labelledby="find-title">
        <h2 id="find-title">{f.findTitle}</h2>
        <p>
          {f.findBody} <a href="/find">{t.find.title}</a>
        </p>
      </section>
      <section class="card" aria-labelledby="staff-title">
        <h2 id="staff-title">{f.staffTitle}</h2>
        <p>{f.staffBody}</p>
        <p class="actions">
          <a class="button" href="/staff/login">
            {f.staffLink}
          </a>
          <a href="/docs">{f.apiDocs}</a>
        </p>
      </section>
    </>
  );
}

/**
 * `/`: the front door. Upcoming events, nearest first to the community the visitor chose (kept
 * in a cookie for the next visit), finding one's sign-ups, and the way in for staff.
 */
export const frontPage = new Hono<WebEnv>().get("/", async (c) => {
  const { t, lang, db } = c.var;
  const asked = readPublicSearch(c.req.query());
  const remembered = getCookie(c, NEAR_COOKIE);
  const nearCode =
    asked.near ??
    (remembered && regionLevelOf(remembered) === "community" ? remembered : undefined);
  const county = nearCode?.slice(0, 6) ?? (asked.region?.endsWith("00") ? undefined : asked.region);
  const [cities, nearOptions, page] = await Promise.all([
    citiesWithCounties(db, PROVINCE_CODE),
    county ? communityOptions(db, county) : [],
    listPublicEvents(
      db,
      { region: asked.region, near: nearCode, words: [], when: "all", page: 1 },
      c.var.now,
      { limit: FRONT_EVENTS, offset: 0 },
    ),
  ]);
  const near = nearOptions.find((option) => option.code === nearCode);
  if (asked.near && near)
    setCookie(c, NEAR_COOKIE, near.code, {
      path: "/",
      maxAge: 365 * 86_400,
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
    });
  return renderPublicPage(
    c,
    { title: t.front.title },
    <FrontPage
      t={t}
      lang={lang}
      cities={cities}
      region={asked.region}
      nearOptions={nearOptions}
      near={near}
      events={page.events}
    />,
  );
});
