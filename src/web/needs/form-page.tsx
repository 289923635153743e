import {
  certificateLevelLabels,
  certificateLevels,
  serviceTypeLabels,
  serviceTypes,
  targetGroupLabels,
  targetGroups,
} from "../../domain/vocabulary";
import { ErrorSummary, FieldError } from "../layout";
import {
  Checkboxes,
  describedBy,
  invalid,
  type NeedFormProps,
  NumberField,
  WindowRows,
} from "./fields";

/** Summary entries in the order of the form, each linking to its field. */
function summaryOf(props: NeedFormProps): { href: string; text: string }[] {
  const { t, errors } = props;
  const labels: [string, string][] = [
    ["communityId", t.communitySelect],
    ["serviceType", t.serviceType],
    ["targetGroups", t.targetGroups],
    ["expectedPeople", t.expectedPeople],
    ["windows", t.windows],
    ...props.values.windows.map((_, i): [string, string] => [`window-${i}`, t.windowN(i + 1)]),
    ["durationMinutes", t.durationMinutes],
    ["volunteersNeeded", t.volunteersNeeded],
    ["requiredSkills", t.requiredSkills],
    ["minCertificateLevel", t.minCertificateLevel],
    ["notes", t.notes],
  ];
  return labels.flatMap(([field, label]) => {
    const error = errors[field];
    if (!error) return [];
    const href = field.startsWith("window-") ? `#${field}-date` : `#${field}`;
    return [{ href, text: t.fieldProblem(label, t[error]) }];
  });
}

/** The need form: plain HTML controls, every one labelled, errors beside their fields. */
export function NeedForm(props: NeedFormProps) {
  const { t, lang, values, errors } = props;
  const selectError = (name: "serviceType" | "minCertificateLevel" | "communityId") => ({
    "aria-invalid": invalid(errors[name]),
    "aria-describedby": describedBy(errors[name] && `${name}-error`),
  });
  return (
    <>
      <h1>{t.newNeedTitle}</h1>
      <ErrorSummary t={t} errors={summaryOf(props)} />
      <p class="muted">{t.newNeedIntro}</p>
      <form class="stack" method="post" action="/staff/needs/new">
        {/* First submit button = the one Enter presses; it must post, not add a window. */}
        <button type="submit" class="skip" tabindex={-1}>
          {t.submitNeed}
        </button>
        {props.request && (
          <>
            <input type="hidden" name="requestId" value={props.request.id} />
            <p class="notice">{t.desk.fromRequest(props.request.trackingCode)}</p>
          </>
        )}
        {props.communities && (
          <div class="field">
            <label for="communityId">{t.communitySelect}</label>
            <select id="communityId" name="communityId" required {...selectError("communityId")}>
              <option value="">{t.chooseOne}</option>
              {props.communities.map((community) => (
                <option value={community.id} selected={values.communityId === community.id}>
                  {t.withNote(community.name, community.countyName)}
                </option>
              ))}
            </select>
            <FieldError
              id="communityId-error"
              message={errors.communityId && t[errors.communityId]}
            />
          </div>
        )}
        <div class="field">
          <label for="serviceType">{t.serviceType}</label>
          <select id="serviceType" name="serviceType" required {...selectError("serviceType")}>
            <option value="">{t.chooseOne}</option>
            {serviceTypes.map((type) => (
              <option value={type} selected={values.serviceType === type}>
                {serviceTypeLabels[type][lang]}
              </option>
            ))}
          </select>
          <FieldError
            id="serviceType-error"
            message={errors.serviceType && t[errors.serviceType]}
          />
        </div>
        <Checkboxes
          name="targetGroups"
          legend={t.targetGroups}
          options={targetGroups}
          labels={targetGroupLabels}
          checked={values.targetGroups}
          t={t}
          lang={lang}
          errors={errors}
        />
        <NumberField
          id="expectedPeople"
          label={t.expectedPeople}
          value={values.expectedPeople}
          min={1}
          max={100_000}
          t={t}
          errors={errors}
        />
        <WindowRows {...props} />
        <NumberField
          id="durationMinutes"
          label={t.durationMinutes}
          value={values.durationMinutes}
          min={15}
          max={720}
          t={t}
          errors={errors}
        />
        <NumberField
          id="volunteersNeeded"
          label={t.volunteersNeeded}
          value={values.volunteersNeeded}
          min={0}
          max={500}
          t={t}
          errors={errors}
        />
        <Checkboxes
          name="requiredSkills"
          legend={t.requiredSkills}
          options={serviceTypes}
          labels={serviceTypeLabels}
          checked={values.requiredSkills}
          t={t}
          lang={lang}
          errors={errors}
        />
        <div class="field">
          <label for="minCertificateLevel">{t.minCertificateLevel}</label>
          <select
            id="minCertificateLevel"
            name="minCertificateLevel"
            {...selectError("minCertificateLevel")}
          >
            {certificateLevels.map((level) => (
              <option value={level} selected={values.minCertificateLevel === level}>
                {certificateLevelLabels[level][lang]}
              </option>
            ))}
          </select>
          <FieldError
            id="minCertificateLevel-error"
            message={errors.minCertificateLevel && t[errors.minCertificateLevel]}
          />
        </div>
        <div class="field">
          <label for="notes">{t.notes}</label>
          <p class="hint" id="notes-hint">
            {t.notesHint}
          </p>
          <textarea
            id="notes"
            name="notes"
            rows={4}
            maxlength={2000}
            aria-invalid={invalid(errors.notes)}
            aria-describedby={describedBy("notes-hint", errors.notes && "notes-error")}
          >
            {values.notes}
          </textarea>
          <FieldError id="notes-error" message={errors.notes && t[errors.notes]} />
        </div>
        <div class="actions">
          <button class="primary" type="submit" name="intent" value="post">
            {t.submitNeed}
          </button>
          <a href="/staff">{t.cancel}</a>
        </div>
      </form>
    </>
  );
}
