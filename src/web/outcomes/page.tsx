import {
  outcomeNoteKindLabels,
  outcomeNoteKinds,
  type TargetGroup,
  targetGroupLabels,
  targetGroups,
} from "../../domain/vocabulary";
import type { EventRow } from "../../events/queries";
import type { OutcomeView } from "../../outcomes/queries";
import { formatDateTime, formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { ErrorSummary, FieldError } from "../layout";

/** The form as typed: strings, so that a refused form comes back exactly as it was sent. */
export interface OutcomeFormValues {
  personTimes: Partial<Record<TargetGroup, string>>;
  peopleServed: string;
  volunteerIds: string[];
  volunteersAttended: string;
  volunteerHours: string;
  notes: Partial<Record<string, string>>;
  remarks: string;
  reason: string;
  confirmNoVolunteers: boolean;
}

/** Field name → message key in t.outcome. */
export type OutcomeErrors = Partial<Record<string, string>>;

export interface OutcomePageProps {
  t: Messages;
  lang: Lang;
  event: EventRow;
  outcome: OutcomeView | undefined;
  members: { id: string; name: string; teamName: string }[];
  checkedIn: number;
  values: OutcomeFormValues;
  errors: OutcomeErrors;
  /** A refusal of the whole form (closed month, signed off, not started). */
  problem?: string;
  notice?: string;
  canEdit: boolean;
  needsReason: boolean;
  canSignOff: boolean;
  /** The service asked to confirm people served with no volunteers (or no hours). */
  askConfirm?: boolean;
}

/** The form's values from a stored outcome (or empty). */
export function valuesOf(outcome: OutcomeView | undefined, tickedIds: string[]): OutcomeFormValues {
  const notes: Partial<Record<string, string>> = {};
  for (const note of (outcome?.notes ?? []) as { kind: string; count: number }[])
    notes[note.kind] = String(note.count);
  return {
    personTimes: Object.fromEntries(
      Object.entries(outcome?.personTimes ?? {}).map(([group, n]) => [group, String(n)]),
    ),
    peopleServed: outcome?.peopleServed == null ? "" : String(outcome.peopleServed),
    volunteerIds: tickedIds,
    volunteersAttended: outcome ? String(outcome.volunteersAttended) : "",
    volunteerHours: outcome ? String(outcome.volunteerHours) : "",
    notes,
    remarks: outcome?.remarks ?? "",
    reason: "",
    confirmNoVolunteers: false,
  };
}

function NumberField(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  step?: string;
  disabled: boolean;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        name={props.name}
        type="number"
        inputmode={props.step ? "decimal" : "numeric"}
        min="0"
        step={props.step ?? "1"}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={describedBy || undefined}
        aria-invalid={props.error ? "true" : undefined}
      />
      <FieldError id={`${props.id}-error`} message={props.error} />
    </div>
  );
}

/** 服务记录: the form to record an event's outcome, and the lead's sign-off. */
export function OutcomePage(props: OutcomePageProps) {
  const { t, lang, event, outcome, values, errors } = props;
  const err = (field: string) => {
    const key = errors[field];
    return key ? (t.outcome[key as keyof Messages["outcome"]] as string) : undefined;
  };
  const hours = (event.endsAt.getTime() - event.startsAt.getTime()) / 3_600_000;
  const disabled = !props.canEdit;
  const summary = Object.entries(errors).map(([field, key]) => ({
    // The inputs' ids: pt-<group>, note-<kind> (their names are pt_<group>, note_<kind>).
    href: `#${field === "personTimes" ? "pt-elderly" : field.replace(/^(pt|note)_/, "$1-")}`,
    text: t.outcome[key as keyof Messages["outcome"]] as string,
  }));
  return (
    <>
      <p class="muted">{t.outcome.heading}</p>
      <h1>{event.title}</h1>
      <dl class="facts">
        <dt>{t.timeLabel}</dt>
        <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
        <dt>{t.communityLabel}</dt>
        <dd>{event.communityName}</dd>
        <dt>{t.leadLabel}</dt>
        <dd>{event.leadSocialWorkerName}</dd>
        <dt>{t.outcome.heading}</dt>
        <dd>
          {outcome ? (
            <span class={`badge ${outcome.status === "signed_off" ? "accepted" : "pending"}`}>
              {t.outcome.status[outcome.status]}
            </span>
          ) : (
            t.outcome.notRecorded
          )}
        </dd>
        {outcome && (
          <>
            <dt>{t.outcome.volunteerCount}</dt>
            <dd>
              {t.outcome.volunteerBreakdown(
                outcome.volunteersAttended,
                outcome.volunteersIdentified,
                outcome.volunteersNotIdentified,
              )}
            </dd>
          </>
        )}
      </dl>
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
      {outcome?.periodClosed && <p class="alert">{t.outcome.closedMonth}</p>}
      <ErrorSummary t={t} errors={summary} />
      <p class="muted">{t.outcome.intro}</p>
      <form class="stack" method="post" action={`/staff/events/${event.id}/outcome`}>
        <fieldset class={err("personTimes") ? "invalid" : undefined} aria-describedby="pt-hint">
          <legend>{t.outcome.personTimes}</legend>
          <p class="hint" id="pt-hint">
            {t.outcome.personTimesHint}
          </p>
          <FieldError id="personTimes-error" message={err("personTimes")} />
          <div class="numbers">
            {targetGroups.map((group) => (
              <NumberField
                id={`pt-${group}`}
                name={`pt_${group}`}
                label={targetGroupLabels[group][lang]}
                value={values.personTimes[group] ?? ""}
                error={err(`pt_${group}`)}
                disabled={disabled}
              />
            ))}
          </div>
        </fieldset>
        <NumberField
          id="peopleServed"
          name="peopleServed"
          label={t.outcome.peopleServed}
          value={values.peopleServed}
          error={err("peopleServed")}
          disabled={disabled}
        />
        <fieldset>
          <legend>{t.outcome.volunteers}</legend>
          <p class="hint">{t.outcome.volunteersHint(props.checkedIn)}</p>
          {props.members.length === 0 ? (
            <p class="muted">{t.outcome.noMembers}</p>
          ) : (
            <div class="checks">
              {props.members.map((member) => (
                <label>
                  <input
                    type="checkbox"
                    name="volunteerIds"
                    value={member.id}
                    checked={values.volunteerIds.includes(member.id)}
                    disabled={disabled}
                  />
                  <span>
                    {member.name} <small class="muted">{member.teamName}</small>
                  </span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <NumberField
          id="volunteersAttended"
          name="volunteersAttended"
          label={t.outcome.volunteersAttended}
          hint={t.outcome.volunteersAttendedHint}
          value={values.volunteersAttended}
          error={err("volunteersAttended")}
          disabled={disabled}
        />
        <NumberField
          id="volunteerHours"
          name="volunteerHours"
          label={t.outcome.volunteerHours}
          hint={t.outcome.volunteerHoursHint(String(hours))}
          value={values.volunteerHours}
          error={err("volunteerHours")}
          step="0.5"
          disabled={disabled}
        />
        <fieldset>
          <legend>{t.outcome.notes}</legend>
          <div class="numbers">
            {outcomeNoteKinds
              .filter((kind) => kind !== "other")
              .map((kind) => (
                <NumberField
                  id={`note-${kind}`}
                  name={`note_${kind}`}
                  label={outcomeNoteKindLabels[kind][lang]}
                  value={values.notes[kind] ?? ""}
                  error={err(`note_${kind}`)}
                  disabled={disabled}
                />
              ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="remarks">{t.outcome.remarks}</label>
          <textarea id="remarks" name="remarks" maxlength={2000} disabled={disabled}>
            {values.remarks}
          </textarea>
        </div>
        {props.needsReason && (
          <div class="field">
            <label for="reason">{t.outcome.reason}</label>
            <p class="hint" id="reason-hint">
              {t.outcome.reasonHint}
            </p>
            <input
              id="reason"
              name="reason"
              type="text"
              maxlength={500}
              required
              value={values.reason}
              aria-describedby={err("reason") ? "reason-hint reason-error" : "reason-hint"}
              aria-invalid={err("reason") ? "true" : undefined}
            />
            <FieldError id="reason-error" message={err("reason")} />
          </div>
        )}
        {props.canEdit && (props.askConfirm || values.confirmNoVolunteers) && (
          <div class="field">
            <label>
              <input
                type="checkbox"
                name="confirmNoVolunteers"
                value="1"
                checked={values.confirmNoVolunteers}
              />
              <span>{t.outcome.confirmNoVolunteers}</span>
            </label>
          </div>
        )}
        {props.canEdit && (
          <div class="actions">
            <button class="primary" type="submit">
              {t.outcome.save}
            </button>
          </div>
        )}
      </form>
      {outcome?.status === "signed_off" && outcome.signedOffAt && (
        <p class="muted">{t.outcome.signedOffAt(formatDateTime(outcome.signedOffAt, lang))}</p>
      )}
      {props.canSignOff && (
        <section class="card" aria-labelledby="sign-off-title">
          <h2 id="sign-off-title">{t.outcome.signOffTitle}</h2>
          <p class="hint">{t.outcome.signOffHint}</p>
          <form method="post" action={`/staff/events/${event.id}/outcome/sign-off`}>
            <button class="primary" type="submit">
              {t.outcome.signOff}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
