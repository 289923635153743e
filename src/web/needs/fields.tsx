import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { FieldError } from "../layout";
import { type FieldErrors, MAX_WINDOW_ROWS, type NeedFormValues } from "./form";

/** A pilot community an admin may post for. */
export interface CommunityOption {
  id: string;
  name: string;
  countyName: string;
}

/** What the need form shows: values as typed, problems by field. */
export interface NeedFormProps {
  t: Messages;
  lang: Lang;
  values: NeedFormValues;
  errors: FieldErrors;
  /** Only for an admin, who posts for any community. */
  communities?: CommunityOption[];
  today: string;
  /** 问需: the request this need is accepted from (the need is then linked to it). */
  request?: { id: string; trackingCode: string };
}

/** aria-describedby for a field: its hint and its error, whichever exist. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length > 0 ? list.join(" ") : undefined;
}

/** aria-invalid for a field with a problem. */
export function invalid(error: unknown): "true" | undefined {
  return error ? "true" : undefined;
}

/** A labelled whole-number input with its error beside it. */
export function NumberField(props: {
  id: keyof NeedFormValues;
  label: string;
  value: string;
  min: number;
  max: number;
  t: Messages;
  errors: FieldErrors;
}) {
  const error = props.errors[props.id];
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type="number"
        inputmode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        required
        value={props.value}
        aria-invalid={invalid(error)}
        aria-describedby={describedBy(error && `${props.id}-error`)}
      />
      <FieldError id={`${props.id}-error`} message={error && props.t[error]} />
    </div>
  );
}

/** A fieldset of labelled checkboxes (any number may be ticked). */
export function Checkboxes(props: {
  name: "targetGroups" | "requiredSkills";
  legend: string;
  options: readonly string[];
  labels: Record<string, { zh: string; en: string }>;
  checked: string[];
  t: Messages;
  lang: Lang;
  errors: FieldErrors;
}) {
  const error = props.errors[props.name];
  return (
    <fieldset
      id={props.name}
      class={error ? "invalid" : undefined}
      aria-describedby={describedBy(error && `${props.name}-error`)}
    >
      <legend>{props.legend}</legend>
      <div class="checks">
        {props.options.map((option) => (
          <label>
            <input
              type="checkbox"
              name={props.name}
              value={option}
              checked={props.checked.includes(option)}
            />
            {props.labels[option]?.[props.lang] ?? option}
          </label>
        ))}
      </div>
      <FieldError id={`${props.name}-error`} message={error && props.t[error]} />
    </fieldset>
  );
}

/** The start-time windows: date, earliest and latest start per row; more rows without JS. */
export function WindowRows(props: NeedFormProps) {
  const { t, values, errors } = props;
  const groupError = errors.windows;
  return (
    <fieldset
      id="windows"
      class={groupError ? "invalid" : undefined}
      aria-describedby={describedBy("windows-hint", groupError && "windows-error")}
    >
      <legend>{t.windows}</legend>
      <p class="hint" id="windows-hint">
        {t.windowsHint}
      </p>
      {values.windows.map((row, index) => {
        const id = `window-${index}`;
        const error = errors[id];
        const errorId = error ? `${id}-error` : undefined;
        const input = (part: "date" | "from" | "to", name: string, label: string) => (
          <div class={part === "date" ? "date" : undefined}>
            <label for={`${id}-${part}`}>{label}</label>
            <input
              id={`${id}-${part}`}
              name={name}
              type={part === "date" ? "date" : "time"}
              min={part === "date" ? props.today : undefined}
              required={index === 0}
              value={row[part]}
              aria-invalid={invalid(error)}
              aria-describedby={errorId}
            />
          </div>
        );
        return (
          <fieldset class="plain">
            <legend>
              {t.windowN(index + 1)}
              {index > 0 && <span class="muted"> {t.windowOptional}</span>}
            </legend>
            <div class="window">
              {input("date", "windowDate", t.windowDate)}
              {input("from", "windowFrom", t.windowFrom)}
              {input("to", "windowTo", t.windowTo)}
            </div>
            <FieldError id={`${id}-error`} message={error && t[error]} />
          </fieldset>
        );
      })}
      <FieldError id="windows-error" message={groupError && t[groupError]} />
      {values.windows.length < MAX_WINDOW_ROWS && (
        <button class="secondary" type="submit" name="intent" value="add-window" formnovalidate>
          {t.addWindow}
        </button>
      )}
    </fieldset>
  );
}
