import { serviceTypeLabels, serviceTypes } from "../../domain/vocabulary";
import type { RequestProgress } from "../../requests/queries";
import { askerKindLabels, askerKinds, stationKindLabels } from "../../requests/vocabulary";
import { formatDateTime, formatDeadline, formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { MAX_DESCRIPTION, type RequestFieldErrors, type RequestFormValues } from "./request-form";

export interface AskPlace {
  communityId: string;
  communityName: string;
  stationId: string | null;
  stationName: string | null;
  stationKind: keyof typeof stationKindLabels | null;
}

function FieldError(props: { id: string; message?: string }) {
  if (!props.message) return null;
  return (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  );
}

/** A place as people name it: 春海社区 · 爱心驿站（中山路店）. */
export function placeName(place: AskPlace, lang: Lang): string {
  if (!place.stationName) return place.communityName;
  const kind = place.stationKind ? stationKindLabels[place.stationKind][lang] : "";
  return `${place.communityName} · ${kind ? `${kind}（${place.stationName}）` : place.stationName}`;
}

/**
 * 我有需求: who, what, details, an optional mobile with consent. Plain HTML (no script), one
 * column for a phone; the place comes from the poster's QR code, or is chosen from the list.
 */
export function AskForm(props: {
  t: Messages;
  lang: Lang;
  place?: AskPlace;
  choices?: { id: string; name: string; countyName: string }[];
  values: RequestFormValues;
  errors: RequestFieldErrors;
  alert?: string;
}) {
  const { t, lang, values, errors } = props;
  const a = t.ask;
  const messages = Object.values(errors).map((key) => a[key]);
  return (
    <>
      <h1>{a.heading}</h1>
      <p class="muted">{a.intro}</p>
      {props.alert && (
        <p class="alert" role="alert">
          {props.alert}
        </p>
      )}
      {messages.length > 0 && (
        <div class="alert" role="alert">
          <h2>{a.errorsTitle}</h2>
          <ul>
            {messages.map((message) => (
              <li>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <form class="stack" method="post" action="/ask">
        {props.place ? (
          <div class="field">
            <span class="label">{a.place}</span>
            <p class="card">{placeName(props.place, lang)}</p>
            {props.place.stationId ? (
              <input type="hidden" name="s" value={props.place.stationId} />
            ) : (
              <input type="hidden" name="c" value={props.place.communityId} />
            )}
          </div>
        ) : (
          <div class="field">
            <label for="c">{a.place}</label>
            <select id="c" name="c" required aria-invalid={errors.place ? "true" : undefined}>
              <option value="">{a.placeChoose}</option>
              {(props.choices ?? []).map((choice) => (
                <option value={choice.id} selected={values.communityId === choice.id}>
                  {choice.countyName} {choice.name}
                </option>
              ))}
            </select>
            <FieldError id="c-error" message={errors.place && a[errors.place]} />
          </div>
        )}
        <fieldset class={errors.askerKind ? "invalid" : undefined}>
          <legend>{a.who}</legend>
          <div class="checks">
            {askerKinds.map((kind) => (
              <label>
                <input
                  type="radio"
                  name="askerKind"
                  value={kind}
                  checked={values.askerKind === kind}
                  required
                />
                {askerKindLabels[kind][lang]}
              </label>
            ))}
          </div>
          <FieldError id="askerKind-error" message={errors.askerKind && a[errors.askerKind]} />
        </fieldset>
        <div class="field">
          <label for="kind">{a.kind}</label>
          <select id="kind" name="kind" required aria-invalid={errors.kind ? "true" : undefined}>
            <option value="">{a.kindChoose}</option>
            {serviceTypes.map((type) => (
              <option value={type} selected={values.kind === type}>
                {serviceTypeLabels[type][lang]}
              </option>
            ))}
            <option value="suggestion" selected={values.kind === "suggestion"}>
              {a.suggestion}
            </option>
          </select>
          <FieldError id="kind-error" message={errors.kind && a[errors.kind]} />
        </div>
        <div class="field">
          <label for="description">{a.description}</label>
          <p class="hint" id="description-hint">
            {a.descriptionHint}
          </p>
          <textarea
            id="description"
            name="description"
            rows={4}
            maxlength={MAX_DESCRIPTION}
            required
            aria-describedby="description-hint"
            aria-invalid={errors.description ? "true" : undefined}
          >
            {values.description}
          </textarea>
          <FieldError
            id="description-error"
            message={errors.description && a[errors.description]}
          />
        </div>
        <div class="field">
          <label for="mobile">{a.mobile}</label>
          <p class="hint" id="mobile-hint">
            {a.mobileHint}
          </p>
          <input
            id="mobile"
            name="mobile"
            type="tel"
            inputmode="numeric"
            autocomplete="tel"
            value={values.mobile}
            aria-describedby="mobile-hint"
            aria-invalid={errors.mobile ? "true" : undefined}
          />
          <FieldError id="mobile-error" message={errors.mobile && a[errors.mobile]} />
        </div>
        <div class="field checks" style="grid-template-columns:1fr">
          <label>
            <input type="checkbox" name="consent" value="yes" checked={values.consent} />
            {a.consent}
          </label>
          <FieldError id="consent-error" message={errors.consent && a[errors.consent]} />
        </div>
        <button class="primary" type="submit">
          {a.submit}
        </button>
      </form>
    </>
  );
}

/**
 * 进度可查: the request, where it is, its limits, every step, the service it became (event and
 * outcome), the reply, and the rating form once it is closed (rated once).
 */
export function ProgressPage(props: {
  t: Messages;
  lang: Lang;
  token: string;
  pageUrl: string;
  fresh: boolean;
  progress: RequestProgress;
  problem?: string;
  thanks?: boolean;
}) {
  const { t, lang, progress: p } = props;
  const g = t.progress;
  const kindLabel = p.kind === "suggestion" ? t.ask.suggestion : serviceTypeLabels[p.kind][lang];
  const closed = p.status === "resolved" || p.status === "answered";
  return (
    <>
      <h1>{g.title}</h1>
      {props.fresh && (
        <p class="notice" role="status">
          {g.saved}
        </p>
      )}
      {props.thanks && (
        <p class="notice" role="status">
          {g.thanks}
        </p>
      )}
      {props.problem && (
        <p class="alert" role="alert">
          {props.problem}
        </p>
      )}
      <div class="card">
        <dl class="facts">
          <dt>{g.code}</dt>
          <dd>
            <strong class="score">{p.trackingCode}</strong>
          </dd>
          <dt>{g.status}</dt>
          <dd>
            <strong>{g.statusText[p.status]}</strong>
          </dd>
          <dt>{g.place}</dt>
          <dd>{p.stationName ? `${p.communityName} · ${p.stationName}` : p.communityName}</dd>
          <dt>{g.desk}</dt>
          <dd>{p.deskCommunityName ?? g.deskDepartment}</dd>
          <dt>{g.kind}</dt>
          <dd>{kindLabel}</dd>
          <dt>{g.who}</dt>
          <dd>{askerKindLabels[p.askerKind][lang]}</dd>
          <dt>{g.description}</dt>
          <dd>{p.description}</dd>
          {p.mobileMasked && (
            <>
              <dt>{g.mobile}</dt>
              <dd>{p.mobileMasked}</dd>
            </>
          )}
          {!closed && (
            <>
              <dt>{g.answerBy}</dt>
              <dd>{formatDeadline(p.answerDueAt, lang)}</dd>
              <dt>{g.resolveBy}</dt>
              <dd>{formatDeadline(p.resolveDueAt, lang)}</dd>
            </>
          )}
          {p.reply && (
            <>
              <dt>{g.reply}</dt>
              <dd>{p.reply}</dd>
            </>
          )}
        </dl>
      </div>
      {p.events.length > 0 && (
        <>
          <h2>{g.service}</h2>
          <ul class="cards">
            {p.events.map((event) => (
              <li class="card">
                <div class="row">
                  <strong>{event.title}</strong>
                  <span class="badge">{g.eventStatus[event.status] ?? event.status}</span>
                </div>
                <div class="muted">{formatRange(event.startsAt, event.endsAt, lang)}</div>
                {event.outcomeStatus === "signed_off" && <div>{g.outcomeSigned}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{g.steps}</h2>
      <ol class="card">
        {p.steps.map((step) => (
          <li>
            <span class="muted">{formatDateTime(step.at, lang)}</span> {g.step[step.kind]}
            {step.deskName ? ` · ${step.deskName}` : ""}
            {step.note && step.kind !== "answered" ? t.aside(step.note) : ""}
          </li>
        ))}
      </ol>
      {closed && p.rating === null && (
        <form class="stack" method="post" action={`/requests/${props.token}/rating`}>
          <h2>{g.rateTitle}</h2>
          <fieldset>
            <legend>
              {g.rating} <span class="hint">{g.ratingHint}</span>
            </legend>
            <div class="checks">
              {[5, 4, 3, 2, 1].map((n) => (
                <label>
                  <input type="radio" name="rating" value={String(n)} required />
                  {g.ratingValue(n)}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="field">
            <label for="comment">{g.comment}</label>
            <textarea id="comment" name="comment" rows={3} maxlength={500} />
          </div>
          <button class="primary" type="submit">
            {g.rateSubmit}
          </button>
        </form>
      )}
      {p.rating !== null && (
        <p class="card">
          {g.rated(p.rating)}
          {p.ratingComment ? ` · ${p.ratingComment}` : ""}
        </p>
      )}
      <h2>{g.link}</h2>
      <p class="card link-box">
        <a href={props.pageUrl}>{props.pageUrl}</a>
      </p>
    </>
  );
}
