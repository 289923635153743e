import type { CityOption, PublicEventSummary, RegionOption } from "../../events/public-queries";
import {
  isFiltered,
  PAGE_SIZE,
  type PublicSearch,
  searchPath,
  whenChips,
} from "../../events/public-search";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { cardDetails } from "./cards";
import { Places } from "./event-page";

/** One select for city and county: each city's counties grouped under it (no script needed). */
export function RegionSelect(props: { t: Messages; cities: CityOption[]; selected?: string }) {
  const l = props.t.listing;
  return (
    <div class="field">
      <label for="region">{l.region}</label>
      <select id="region" name="region">
        <option value="">{l.anyRegion}</option>
        {props.cities.map((city) => (
          <optgroup label={city.name}>
            <option value={city.code} selected={city.code === props.selected}>
              {l.wholeCity(city.name)}
            </option>
            {city.counties.map((county) => (
              <option value={county.code} selected={county.code === props.selected}>
                {county.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** "Near me": the communities of the chosen county (shown once a county is chosen). */
export function NearSelect(props: { t: Messages; options: RegionOption[]; selected?: string }) {
  const l = props.t.listing;
  if (props.options.length === 0) return <p class="hint">{l.nearHint}</p>;
  return (
    <div class="field">
      <label for="near">{l.near}</label>
      <select id="near" name="near">
        <option value="">{l.nearAny}</option>
        {props.options.map((option) => (
          <option value={option.code} selected={option.code === props.selected}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The list's one form: area, community, words (a GET, so results can be shared). */
export function SearchForm(props: {
  t: Messages;
  search: PublicSearch;
  cities: CityOption[];
  nearOptions: RegionOption[];
}) {
  const { t, search } = props;
  const l = t.listing;
  return (
    <form class="stack card" method="get" action="/events">
      <RegionSelect t={t} cities={props.cities} selected={search.region} />
      <NearSelect t={t} options={props.nearOptions} selected={search.near} />
      <div class="field">
        <label for="q">{l.words}</label>
        <p class="hint" id="q-hint">
          {l.wordsHint}
        </p>
        <input
          id="q"
          name="q"
          type="search"
          maxlength={100}
          value={search.words.join(" ")}
          aria-describedby="q-hint"
        />
      </div>
      {search.when !== "all" && <input type="hidden" name="when" value={search.when} />}
      <button class="primary" type="submit">
        {l.submit}
      </button>
    </form>
  );
}

/** Date chips: plain links that keep the rest of the search. */
export function WhenChips(props: { t: Messages; search: PublicSearch }) {
  const l = props.t.listing;
  return (
    <nav aria-label={l.whenLabel}>
      <ul class="chips">
        {whenChips.map((when) => (
          <li>
            <a
              href={searchPath(props.search, { when, page: 1 })}
              aria-current={props.search.when === when ? "true" : undefined}
            >
              {l.when[when]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** One event in a list: title (the link), details the title lacks, time, nearness, places. */
export function EventCards(props: {
  t: Messages;
  lang: Lang;
  events: PublicEventSummary[];
  headingLevel?: "h2" | "h3";
}) {
  const { t, lang } = props;
  const Heading = props.headingLevel ?? "h2";
  return (
    <ul class="cards">
      {props.events.map((event) => {
        const details = cardDetails(event, lang);
        const near = event.distance !== null && event.distance <= 3;
        return (
          <li class="card">
            <Heading>
              <a href={`/events/${event.id}`}>{event.title}</a>
            </Heading>
            {details.length > 0 && <p class="muted">{details.join(" · ")}</p>}
            <div class="row">
              <span>{formatRange(event.startsAt, event.endsAt, lang)}</span>
              {near && <span class="badge">{t.listing.distance[event.distance ?? 5]}</span>}
              <Places
                t={t}
                placesLeft={event.placesLeft}
                state={event.signupsClosed ? "closed" : "open"}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function Pager(props: { t: Messages; search: PublicSearch; total: number }) {
  const l = props.t.listing;
  const pages = Math.max(1, Math.ceil(props.total / PAGE_SIZE));
  const { page } = props.search;
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={l.page(page, pages)}>
      {page > 1 ? (
        <a href={searchPath(props.search, { page: page - 1 })} rel="prev">
          {l.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{l.page(page, pages)}</span>
      {page < pages ? (
        <a href={searchPath(props.search, { page: page + 1 })} rel="next">
          {l.next}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** The public list: the search form, date chips, one page of events, and what to do if none. */
export function EventList(props: {
  t: Messages;
  lang: Lang;
  search: PublicSearch;
  cities: CityOption[];
  nearOptions: RegionOption[];
  events: PublicEventSummary[];
  total: number;
}) {
  const { t, search } = props;
  const l = t.listing;
  return (
    <>
      <h1>{t.public.eventsTitle}</h1>
      <p>{t.public.eventsIntro}</p>
      <SearchForm t={t} search={search} cities={props.cities} nearOptions={props.nearOptions} />
      <WhenChips t={t} search={search} />
      {props.events.length === 0 ? (
        <div class="card" role="status">
          {isFiltered(search) || search.page > 1 ? (
            <p>
              {l.emptyFiltered} {l.emptyFilteredHint} <a href="/events">{l.clear}</a>
            </p>
          ) : (
            <p>{l.emptyAll}</p>
          )}
        </div>
      ) : (
        <>
          <p class="muted" role="status">
            {l.count(props.total)}
          </p>
          <EventCards t={t} lang={props.lang} events={props.events} />
          <Pager t={t} search={search} total={props.total} />
        </>
      )}
    </>
  );
}
