import type { Principal } from "../../auth/principal";
import { serviceTypeLabels } from "../../domain/vocabulary";
import type { EventRow } from "../../events/queries";
import type { SignupView } from "../../signups/queries";
import { formatDateTime, formatRange, shanghaiTime } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { ErrorSummary } from "../layout";
import type { EventForm } from "./form";
import { fieldPrefix, ManageForms, ReplyForms } from "./manage";
import { Roster, rosterStyles, splitRoster } from "./roster";

/** How many people each list of the event page shows (the check-in page lists them all). */
const ROSTER_SHOWN = 30;

export interface EventPageProps {
  t: Messages;
  lang: Lang;
  principal: Principal;
  event: EventRow;
  place: { address: string | null; teams: string[] };
  signups: SignupView[];
  now: Date;
  links: { publicUrl: string; shortUrl: string };
  notice?: string;
  problem?: string;
  form?: EventForm;
}

const pageStyles = `${rosterStyles}
.reply{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-start}
.reply details{flex:1 1 12rem}
input[readonly]{background:#f6f8fa}
`;

function Facts({ t, lang, event, place }: EventPageProps) {
  const p = t.eventPage;
  const d = t.eventDetails;
  const optional = (value: string | null) => value ?? <span class="muted">{p.notSet}</span>;
  return (
    <dl class="facts card">
      <dt>{t.timeLabel}</dt>
      <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
      <dt>{t.communityLabel}</dt>
      <dd>
        {event.communityName}
        {place.address && <div class="muted">{place.address}</div>}
      </dd>
      <dt>{t.leadLabel}</dt>
      <dd>
        {event.leadSocialWorkerName}{" "}
        <span class={`badge ${event.leadResponse}`}>{t.leadResponse[event.leadResponse]}</span>
      </dd>
      <dt>{p.teams}</dt>
      <dd>{place.teams.length > 0 ? place.teams.join(t.listSeparator) : t.none}</dd>
      <dt>{p.signupCloses}</dt>
      <dd>{formatDateTime(event.signupClosesAt ?? event.startsAt, lang)}</dd>
      <dt>{d.meetingPoint}</dt>
      <dd>{optional(event.meetingPoint)}</dd>
      <dt>{d.contact}</dt>
      <dd>{optional(event.contact)}</dd>
      <dt>{d.description}</dt>
      <dd class="pre">{optional(event.description)}</dd>
      {event.cancelReason && (
        <>
          <dt>{p.cancelReason}</dt>
          <dd>{event.cancelReason}</dd>
        </>
      )}
    </dl>
  );
}

function Counts(props: EventPageProps) {
  const { t, event, signups } = props;
  const p = t.eventPage;
  const { holding, waitlist, cancelled } = splitRoster(signups);
  const attended = holding.filter((s) => s.status === "attended").length;
  const figures: [string, string, string][] = [
    ["count-confirmed", p.confirmed, p.placesOf(holding.length, event.capacity)],
    ["count-waitlisted", p.waitlisted, String(waitlist.length)],
    ["count-attended", p.attended, String(attended)],
    ["count-cancelled", p.cancelled, String(cancelled.length)],
  ];
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title">{p.countsTitle}</h2>
      <dl class="figures">
        {figures.map(([id, label, value]) => (
          <div class="figure">
            <dt>{label}</dt>
            <dd id={id}>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">
        {p.asOf(shanghaiTime(props.now))} · <a href={`/staff/events/${event.id}`}>{p.refresh}</a>
      </p>
    </section>
  );
}

function Share({ t, event, links }: EventPageProps) {
  const p = t.eventPage;
  return (
    <section aria-labelledby="share-title">
      <h2 id="share-title">{p.shareTitle}</h2>
      <div class="card">
        <label for="public-url">{p.shareLabel}</label>
        <input id="public-url" type="url" readonly value={links.publicUrl} />
        <p>
          {p.shortLabel}: <span class="mono">{links.shortUrl}</span>
        </p>
        <p class="actions">
          <a class="button" href={`/staff/events/${event.id}/poster`}>
            {p.poster}
          </a>
          <a href={`/events/${event.id}`}>{p.openPublic}</a>
        </p>
      </div>
    </section>
  );
}

/**
 * The staff event page: the facts and details volunteers read, live counts, the sign-up link and
 * poster, the roster; the lead's reply, or the coordinator's changes, through the same services
 * as the API.
 */
/** The problems of a refused form, each linking to the error beside its field. */
function formErrors(t: Messages, eventId: string, form: EventForm | undefined) {
  if (!form) return [];
  const prefix = fieldPrefix(form.kind, eventId);
  return Object.entries(form.errors).flatMap(([key, error]) =>
    error ? [{ href: `#${prefix}-${key}-error`, text: t.eventPage[error] }] : [],
  );
}

export function EventPage(props: EventPageProps) {
  const { t, lang, event, principal, now } = props;
  const p = t.eventPage;
  const scheduled = event.status === "scheduled";
  const ahead = event.endsAt > now;
  const mayManage = principal.role === "coordinator" || principal.role === "admin";
  const awaitingReply =
    principal.role === "social_worker" && scheduled && event.leadResponse === "pending";
  const taken = splitRoster(props.signups).holding.length;
  return (
    <>
      <style>{pageStyles}</style>
      <p>
        <a href="/staff">← {t.back}</a>
      </p>
      <p class="muted">
        {p.heading} · {serviceTypeLabels[event.serviceType][lang]}
      </p>
      <h1>
        {event.title} <span class={`badge ${event.status}`}>{t.eventStatus[event.status]}</span>
      </h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.problem && (
        <p class="alert" role="alert">
          {props.problem}
        </p>
      )}
      {/* A refused form opens far down the page: its problems first, each a link to its field. */}
      <ErrorSummary t={t} errors={formErrors(t, event.id, props.form)} />
      {awaitingReply && (
        <section aria-labelledby="reply-title" class="card">
          <h2 id="reply-title">{p.replyTitle}</h2>
          <p class="hint">{p.replyHint}</p>
          <ReplyForms t={t} event={event} back="event" form={props.form} over={!ahead} />
        </section>
      )}
      <Facts {...props} />
      <p class="actions">
        {event.status !== "cancelled" && (
          <a href={`/staff/events/${event.id}/checkin`}>{t.checkin.link}</a>
        )}
        {event.endsAt <= now && event.status !== "cancelled" && (
          <a href={`/staff/events/${event.id}/outcome`}>{t.outcome.link}</a>
        )}
      </p>
      <Counts {...props} />
      {scheduled && ahead && <Share {...props} />}
      <section aria-labelledby="roster-title">
        <h2 id="roster-title">{t.roster.title}</h2>
        <Roster t={t} signups={props.signups} limit={ROSTER_SHOWN} />
      </section>
      {mayManage &&
        (scheduled && ahead ? (
          <ManageForms t={t} event={event} taken={taken} form={props.form} />
        ) : (
          <p class="muted">{p.readOnly}</p>
        ))}
    </>
  );
}
