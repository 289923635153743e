import type { Child } from "hono/jsx";
import { DETAIL_LIMITS, TITLE_LIMIT } from "../../events/details";
import type { EventRow } from "../../events/queries";
import type { Messages } from "../i18n/zh";
import { Field, type FieldContext, WhenFields } from "./fields";
import { currentValues, type EventForm, type EventFormKind } from "./form";

interface ManageProps {
  t: Messages;
  event: EventRow;
  /** Places already taken (confirmed or checked in): the least the capacity may become. */
  taken: number;
  /** The form that was refused, shown open with what was typed and its problems. */
  form?: EventForm;
}

/**
 * The prefix of a form's field ids (`<prefix>-<name>`): its kind, and for the lead's reply the
 * event too, since the home page lists several events' reply forms.
 */
export function fieldPrefix(kind: EventFormKind, eventId: string): string {
  return kind === "decline" ? `decline-${eventId.slice(0, 8)}` : kind;
}

/** The context of one form: what was typed if it was just refused, else the event as it is. */
function contextOf(props: ManageProps, kind: EventFormKind): FieldContext {
  const refused = props.form?.kind === kind ? props.form : undefined;
  return {
    t: props.t,
    prefix: fieldPrefix(kind, props.event.id),
    values: refused?.values ?? currentValues(props.event)[kind],
    errors: refused?.errors ?? {},
  };
}

/** One form folded under its summary, opened when it comes back with problems. */
function Folded(props: {
  props: ManageProps;
  kind: EventFormKind;
  summary: string;
  submit: string;
  danger?: boolean;
  children: Child;
}) {
  const { kind } = props;
  const { event, form } = props.props;
  return (
    <details class="card" id={`form-${kind}`} open={form?.kind === kind}>
      <summary>{props.summary}</summary>
      <form class="stack" method="post" action={`/staff/events/${event.id}/${kind}`}>
        {props.children}
        <button class={props.danger ? "secondary" : "primary"} type="submit">
          {props.submit}
        </button>
      </form>
    </details>
  );
}

/** 调整活动: the details volunteers read, places and closing, another time, cancelling. */
export function ManageForms(props: ManageProps) {
  const { t } = props;
  const p = t.eventPage;
  const details = contextOf(props, "details");
  const settings = contextOf(props, "settings");
  const reschedule = contextOf(props, "reschedule");
  const cancel = contextOf(props, "cancel");
  return (
    <section aria-labelledby="manage-title">
      <h2 id="manage-title">{p.manageTitle}</h2>
      <Folded props={props} kind="details" summary={p.detailsSummary} submit={p.saveDetails}>
        <Field ctx={details} name="title" label={p.titleField} max={TITLE_LIMIT} required />
        <Field
          ctx={details}
          name="description"
          label={t.eventDetails.description}
          hint={p.descriptionHint}
          kind="textarea"
          max={DETAIL_LIMITS.description}
        />
        <Field
          ctx={details}
          name="meetingPoint"
          label={t.eventDetails.meetingPoint}
          hint={p.meetingPointHint}
          max={DETAIL_LIMITS.meetingPoint}
        />
        <Field
          ctx={details}
          name="contact"
          label={t.eventDetails.contact}
          hint={p.contactHint}
          max={DETAIL_LIMITS.contact}
        />
      </Folded>
      <Folded props={props} kind="settings" summary={p.settingsSummary} submit={p.saveSettings}>
        <Field
          ctx={settings}
          name="capacity"
          label={p.capacity}
          hint={p.capacityHint(props.taken)}
          kind="number"
          max={10_000}
          required
        />
        <WhenFields
          ctx={settings}
          errorKey="closes"
          hint={p.closesHint}
          fields={[
            { name: "closesDate", label: p.closesDate, type: "date" },
            { name: "closesTime", label: p.closesTime, type: "time" },
          ]}
        />
      </Folded>
      <Folded
        props={props}
        kind="reschedule"
        summary={p.rescheduleSummary}
        submit={p.saveReschedule}
      >
        <WhenFields
          ctx={reschedule}
          errorKey="when"
          hint={p.rescheduleHint}
          fields={[
            { name: "date", label: p.newDate, type: "date" },
            { name: "start", label: p.newStart, type: "time" },
            { name: "end", label: p.newEnd, type: "time" },
          ]}
        />
        <Field ctx={reschedule} name="reason" label={p.rescheduleReason} max={500} required />
      </Folded>
      <Folded props={props} kind="cancel" summary={p.cancelSummary} submit={p.confirmCancel} danger>
        <p class="hint">{p.cancelHint}</p>
        <Field ctx={cancel} name="reason" label={p.cancelReasonField} max={500} required />
      </Folded>
    </section>
  );
}

/** 接受 / 婉拒 for the lead social worker of a scheduled event still awaiting their reply. */
export function ReplyForms(props: {
  t: Messages;
  event: EventRow;
  /** Where the answer leads back to: the home page's list or this event's page. */
  back: "home" | "event";
  form?: EventForm;
  /** The event is over: it may still be accepted (late), no longer declined. */
  over?: boolean;
}) {
  const { t, event, back } = props;
  const p = t.eventPage;
  const decline: FieldContext = {
    t,
    prefix: fieldPrefix("decline", event.id),
    values: props.form?.kind === "decline" ? props.form.values : { reason: "" },
    errors: props.form?.kind === "decline" ? props.form.errors : {},
  };
  return (
    <div class="reply">
      <form method="post" action={`/staff/events/${event.id}/accept`}>
        <input type="hidden" name="back" value={back} />
        <button class="primary" type="submit" aria-label={p.acceptLabel(event.title)}>
          {p.accept}
        </button>
      </form>
      {!props.over && (
        <details open={props.form?.kind === "decline"}>
          <summary aria-label={p.declineLabel(event.title)}>{p.decline}</summary>
          <form class="stack" method="post" action={`/staff/events/${event.id}/decline`}>
            <input type="hidden" name="back" value={back} />
            <Field ctx={decline} name="reason" label={p.declineReason} max={500} />
            <button class="secondary" type="submit">
              {p.declineSubmit}
            </button>
          </form>
        </details>
      )}
    </div>
  );
}
