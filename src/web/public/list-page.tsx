import { serviceTypeLabels } from "../../domain/vocabulary";
import type { PublicEventSummary, RegionOption } from "../../events/public-queries";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { Places } from "./event-page";

function RegionSelect(props: {
  id: "city" | "county";
  label: string;
  anyLabel: string;
  options: RegionOption[];
  selected?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">{props.anyLabel}</option>
        {props.options.map((option) => (
          <option value={option.code} selected={option.code === props.selected}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The public list: a city/county filter (a plain GET form) and the upcoming events. */
export function EventList(props: {
  t: Messages;
  lang: Lang;
  cities: RegionOption[];
  counties: RegionOption[];
  city?: string;
  county?: string;
  events: PublicEventSummary[];
}) {
  const { t, lang } = props;
  const p = t.public;
  return (
    <>
      <h1>{p.eventsTitle}</h1>
      <p>{p.eventsIntro}</p>
      <form class="stack card filter" method="get" action="/events">
        <RegionSelect
          id="city"
          label={p.city}
          anyLabel={p.allCities}
          options={props.cities}
          selected={props.city}
        />
        {props.counties.length > 0 && (
          <RegionSelect
            id="county"
            label={p.county}
            anyLabel={p.allCounties}
            options={props.counties}
            selected={props.county}
          />
        )}
        <button class="secondary" type="submit">
          {p.filter}
        </button>
      </form>
      {props.events.length === 0 ? (
        <p>{p.noEvents}</p>
      ) : (
        <ul class="cards">
          {props.events.map((event) => (
            <li class="card">
              <h2 style="margin:0 0 .25rem">
                <a href={`/events/${event.id}`}>{event.title}</a>
              </h2>
              <p class="muted">
                {serviceTypeLabels[event.serviceType][lang]} · {event.communityName}
              </p>
              <div class="row">
                <span>{formatRange(event.startsAt, event.endsAt, lang)}</span>
                <Places t={t} placesLeft={event.placesLeft} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
