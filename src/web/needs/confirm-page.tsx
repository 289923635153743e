import { certificateLevelLabels, serviceTypeLabels } from "../../domain/vocabulary";
import { DETAIL_LIMITS, TITLE_LIMIT } from "../../events/details";
import type { ExplainedCandidate } from "../../needs/candidates";
import { Field, type FieldContext } from "../events/fields";
import type { EventErrorKey } from "../events/form";
import { formatPoints, formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { ErrorSummary } from "../layout";
import type { RegionNames } from "./candidate-words";
import { candidateStyles, Why } from "./candidates";
import type { Need } from "./page";
import { ScoreParts } from "./score-parts";

/** What the booking form holds besides the pick: the event as volunteers will read it. */
export interface BookingValues {
  title: string;
  capacity: string;
  description: string;
  meetingPoint: string;
  contact: string;
}

/** The booking form's starting values: a title from the need, its volunteers, its notes. */
export function bookingDefaults(need: Need, lang: Lang): BookingValues {
  return {
    title: `${serviceTypeLabels[need.serviceType][lang]} · ${need.communityName}`,
    capacity: String(Math.max(need.volunteersNeeded, 1)),
    description: need.notes ?? "",
    meetingPoint: "",
    contact: "",
  };
}

export interface ConfirmPageProps {
  t: Messages;
  lang: Lang;
  need: Need;
  picked: ExplainedCandidate;
  names: RegionNames;
  values: BookingValues;
  errors: Partial<Record<keyof BookingValues, EventErrorKey>>;
}

/**
 * 确认预约: the chosen pair in plain words and the event's details for volunteers; only the
 * button here books it (POST /staff/needs/:id/accept).
 */
export function ConfirmPage(props: ConfirmPageProps) {
  const { t, lang, need, picked } = props;
  const words = t.candidatesPlain;
  const p = t.eventPage;
  const ctx: FieldContext = {
    t,
    prefix: "book",
    values: { ...props.values },
    errors: props.errors,
  };
  const summary = Object.entries(props.errors).map(([field, key]) => ({
    href: `#book-${field}`,
    text: t.eventPage[key as EventErrorKey],
  }));
  return (
    <>
      <style>{candidateStyles}</style>
      <p>
        <a href={`/staff/needs/${need.id}#candidates-title`}>← {words.backToCandidates}</a>
      </p>
      <h1>{words.confirmTitle}</h1>
      <p>{words.confirmIntro}</p>
      <ErrorSummary t={t} errors={summary} />
      <div class="card cand">
        <dl class="facts">
          <dt>{t.allNeeds}</dt>
          <dd>
            {serviceTypeLabels[need.serviceType][lang]} · {need.communityName}
          </dd>
          <dt>{t.timeLabel}</dt>
          <dd>{formatRange(picked.start, picked.end, lang)}</dd>
          <dt>{t.socialWorker}</dt>
          <dd>
            {t.withNote(
              picked.socialWorkerName,
              certificateLevelLabels[picked.socialWorkerLevel][lang],
            )}
          </dd>
          <dt>{t.team}</dt>
          <dd>{picked.teamName}</dd>
        </dl>
        <Why t={t} lang={lang} needId={need.id} names={props.names} candidate={picked} />
        <details>
          <summary>{words.scoreDetails(formatPoints(picked.score))}</summary>
          <ScoreParts t={t} candidate={picked} />
        </details>
      </div>
      <form class="stack" method="post" action={`/staff/needs/${need.id}/accept`}>
        <input type="hidden" name="socialWorkerId" value={picked.socialWorkerId} />
        <input type="hidden" name="teamId" value={picked.teamId} />
        <input type="hidden" name="start" value={picked.start.toISOString()} />
        <fieldset>
          <legend>{words.eventFields}</legend>
          <p class="hint">{words.eventFieldsHint}</p>
          <Field ctx={ctx} name="title" label={p.titleField} max={TITLE_LIMIT} required />
          <Field ctx={ctx} name="capacity" label={p.capacity} kind="number" max={10_000} required />
          <Field
            ctx={ctx}
            name="description"
            label={t.eventDetails.description}
            hint={p.descriptionHint}
            kind="textarea"
            max={DETAIL_LIMITS.description}
          />
          <Field
            ctx={ctx}
            name="meetingPoint"
            label={t.eventDetails.meetingPoint}
            hint={p.meetingPointHint}
            max={DETAIL_LIMITS.meetingPoint}
          />
          <Field
            ctx={ctx}
            name="contact"
            label={t.eventDetails.contact}
            hint={p.contactHint}
            max={DETAIL_LIMITS.contact}
          />
        </fieldset>
        <button class="primary" type="submit">
          {words.confirmSubmit}
        </button>
      </form>
    </>
  );
}
