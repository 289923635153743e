import { certificateLevelLabels, serviceTypeLabels, serviceTypes } from "../../domain/vocabulary";
import { type PublicEvent, signupState } from "../../events/public-queries";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { ErrorSummary, FieldError } from "../layout";
import { describedBy, invalid } from "../needs/fields";
import type { SignupFieldErrors, SignupFormValues } from "./form";

type SignupState = ReturnType<typeof signupState>;

/**
 * 剩余 N 个名额, or 已满，可候补 once the confirmed places are taken; 报名已截止, 已取消 or 已结束
 * instead once the event takes no sign-ups (no place is on offer then).
 */
export function Places(props: { t: Messages; placesLeft: number; state: SignupState }) {
  const { t, placesLeft, state } = props;
  if (state !== "open") return <span class="badge closed">{t.public.noSignups[state]}</span>;
  if (placesLeft > 0) return <span class="badge open">{t.public.placesLeft(placesLeft)}</span>;
  return <span class="badge pending">{t.public.fullWaitlist}</span>;
}

/** What, where, when, who leads, which teams, places left. */
export function EventFacts(props: {
  t: Messages;
  lang: Lang;
  event: PublicEvent;
  state: SignupState;
}) {
  const { t, lang, event } = props;
  const p = t.public;
  return (
    <dl class="facts">
      <dt>{p.what}</dt>
      <dd>{serviceTypeLabels[event.serviceType][lang]}</dd>
      <dt>{p.where}</dt>
      <dd>
        {event.communityName}
        {event.address && <div class="muted">{event.address}</div>}
      </dd>
      {event.meetingPoint && (
        <>
          <dt>{t.eventDetails.meetingPoint}</dt>
          <dd>{event.meetingPoint}</dd>
        </>
      )}
      <dt>{p.when}</dt>
      <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
      <dt>{p.ledBy}</dt>
      <dd>{t.withNote(event.leadName, certificateLevelLabels[event.leadCertificate][lang])}</dd>
      {event.teams.length > 0 && (
        <>
          <dt>{p.teams}</dt>
          <dd>{event.teams.join(t.listSeparator)}</dd>
        </>
      )}
      <dt>{p.places}</dt>
      <dd>
        <Places t={t} placesLeft={event.placesLeft} state={props.state} />
      </dd>
      {event.contact && (
        <>
          <dt>{t.eventDetails.contact}</dt>
          <dd>{event.contact}</dd>
        </>
      )}
      {event.description && (
        <>
          <dt>{t.eventDetails.description}</dt>
          <dd class="pre">{event.description}</dd>
        </>
      )}
    </dl>
  );
}

export interface SignupFormProps {
  t: Messages;
  lang: Lang;
  eventId: string;
  values: SignupFormValues;
  errors: SignupFieldErrors;
  retentionDays: number;
}

/** The sign-up form: every error beside its field, and listed (announced) at the top. */
export function SignupForm(props: SignupFormProps) {
  const { t, lang, values, errors } = props;
  const p = t.public;
  const summary = (["name", "mobile", "consent"] as const).flatMap((field) => {
    const error = errors[field];
    return error ? [{ href: `#${field}`, text: p[error] }] : [];
  });
  return (
    <form class="stack card" method="post" action={`/events/${props.eventId}/signup`} novalidate>
      <h2 id="signup" style="margin-top:0">
        {p.formTitle}
      </h2>
      <ErrorSummary t={t} errors={summary} />
      <div class="field">
        <label for="name">{p.name}</label>
        <input
          id="name"
          name="name"
          type="text"
          autocomplete="name"
          maxlength={100}
          required
          value={values.name}
          aria-invalid={invalid(errors.name)}
          aria-describedby={describedBy(errors.name && "name-error")}
        />
        <FieldError id="name-error" message={errors.name && p[errors.name]} />
      </div>
      <div class="field">
        <label for="mobile">{p.mobile}</label>
        <p class="hint" id="mobile-hint">
          {p.mobileHint}
        </p>
        <input
          id="mobile"
          name="mobile"
          type="tel"
          inputmode="tel"
          autocomplete="tel-national"
          maxlength={20}
          required
          value={values.mobile}
          aria-invalid={invalid(errors.mobile)}
          aria-describedby={describedBy("mobile-hint", errors.mobile && "mobile-error")}
        />
        <FieldError id="mobile-error" message={errors.mobile && p[errors.mobile]} />
      </div>
      <fieldset>
        <legend>{p.skills}</legend>
        <div class="checks">
          {serviceTypes.map((skill) => (
            <label>
              <input
                type="checkbox"
                name="skills"
                value={skill}
                checked={values.skills.includes(skill)}
              />
              {serviceTypeLabels[skill][lang]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset
        id="privacy"
        class={errors.consent ? "invalid" : undefined}
        style={errors.consent ? "border:2px solid #b3261e" : undefined}
        aria-describedby={describedBy("privacy-notice", errors.consent && "consent-error")}
      >
        <legend>{p.privacyTitle}</legend>
        <p class="hint" id="privacy-notice">
          {p.privacyNotice(props.retentionDays)}
        </p>
        <div class="checks" style="grid-template-columns:1fr">
          <label>
            <input
              id="consent"
              type="checkbox"
              name="consent"
              value="yes"
              required
              checked={values.consent}
              aria-invalid={invalid(errors.consent)}
              aria-describedby={describedBy(errors.consent && "consent-error")}
            />
            {p.consent}
          </label>
        </div>
        <FieldError id="consent-error" message={errors.consent && p[errors.consent]} />
      </fieldset>
      <button class="primary" type="submit">
        {p.submit}
      </button>
    </form>
  );
}

/** The event page: its facts, then the form, or why there is none. */
export function EventPage(
  props: Omit<SignupFormProps, "eventId"> & { event: PublicEvent; now: Date; alert?: string },
) {
  const { t, event } = props;
  const p = t.public;
  const state = signupState(event, props.now);
  const closed = { cancelled: p.cancelledEvent, over: p.pastEvent, closed: p.closedEvent };
  return (
    <>
      <p>
        <a href="/events">{p.backToList}</a>
      </p>
      <h1>{event.title}</h1>
      <div class="card">
        <EventFacts t={t} lang={props.lang} event={event} state={state} />
        <p class="muted">
          <a href={`/events/${event.id}/qr.svg`}>{p.posterQr}</a>
        </p>
      </div>
      {props.alert && (
        <p class="alert" role="alert">
          {props.alert}
        </p>
      )}
      {state === "open" ? (
        <SignupForm {...props} eventId={event.id} />
      ) : (
        <p class="alert" role="status">
          {closed[state]}
        </p>
      )}
    </>
  );
}
