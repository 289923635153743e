import type { Messages } from "../i18n/zh";
import { FieldError } from "../layout";
import { describedBy, invalid } from "../needs/fields";
import type { EventErrorKey } from "./form";

/** What every field of the event forms shares: its form's id prefix, values and problems. */
export interface FieldContext {
  t: Messages;
  /** Ids are `<prefix>-<name>`, so the page's several forms never share one. */
  prefix: string;
  values: Record<string, string>;
  errors: Partial<Record<string, EventErrorKey>>;
}

function errorText(ctx: FieldContext, key: string): string | undefined {
  const error = ctx.errors[key];
  return error ? ctx.t.eventPage[error] : undefined;
}

/** A labelled text, number or textarea field, its hint and its own error beside it. */
export function Field(props: {
  ctx: FieldContext;
  name: string;
  label: string;
  hint?: string;
  kind?: "text" | "number" | "textarea";
  max: number;
  required?: boolean;
}) {
  const { ctx, name, hint } = props;
  const id = `${ctx.prefix}-${name}`;
  const error = errorText(ctx, name);
  const aria = {
    "aria-invalid": invalid(error),
    "aria-describedby": describedBy(hint && `${id}-hint`, error && `${id}-error`),
  };
  const value = ctx.values[name] ?? "";
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {props.kind === "textarea" ? (
        <textarea id={id} name={name} maxlength={props.max} {...aria}>
          {value}
        </textarea>
      ) : props.kind === "number" ? (
        <input
          id={id}
          name={name}
          type="number"
          inputmode="numeric"
          min={1}
          max={props.max}
          step={1}
          required={props.required}
          value={value}
          {...aria}
        />
      ) : (
        <input
          id={id}
          name={name}
          type="text"
          maxlength={props.max}
          required={props.required}
          value={value}
          {...aria}
        />
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** A date and one or two times that are judged together (`errorKey` names their problem). */
export function WhenFields(props: {
  ctx: FieldContext;
  errorKey: string;
  hint?: string;
  fields: { name: string; label: string; type: "date" | "time" }[];
}) {
  const { ctx, errorKey, hint } = props;
  const error = errorText(ctx, errorKey);
  const hintId = `${ctx.prefix}-${errorKey}-hint`;
  const errorId = `${ctx.prefix}-${errorKey}-error`;
  return (
    <>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <div class="window">
        {props.fields.map((field) => (
          <div class={field.type === "date" ? "date" : undefined}>
            <label for={`${ctx.prefix}-${field.name}`}>{field.label}</label>
            <input
              id={`${ctx.prefix}-${field.name}`}
              name={field.name}
              type={field.type}
              required
              value={ctx.values[field.name] ?? ""}
              aria-invalid={invalid(error)}
              aria-describedby={describedBy(hint && hintId, error && errorId)}
            />
          </div>
        ))}
      </div>
      <FieldError id={errorId} message={error} />
    </>
  );
}
