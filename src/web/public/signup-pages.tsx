import type { SignupStatus } from "../../signups/status";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

/** 已报名 / 候补第 N 位 / 已取消 / 已签到. */
export function statusText(t: Messages, status: SignupStatus, position: number | null): string {
  const p = t.public;
  if (status === "waitlisted") return p.statusWaitlisted(position ?? 0);
  if (status === "cancelled") return p.statusCancelled;
  if (status === "attended") return p.statusAttended;
  return p.statusConfirmed;
}

interface EventLine {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

function EventSummary(props: { t: Messages; lang: Lang; event: EventLine }) {
  const { event } = props;
  return (
    <>
      <dt>{props.t.public.event}</dt>
      <dd>
        <a href={`/events/${event.id}`}>{event.title}</a>
        <div class="muted">{formatRange(event.startsAt, event.endsAt, props.lang)}</div>
      </dd>
    </>
  );
}

/** After a new sign-up: the code, the status, and the private link (shown this once). */
export function Confirmation(props: {
  t: Messages;
  lang: Lang;
  event: EventLine;
  name: string;
  status: SignupStatus;
  position: number | null;
  code: string;
  manageUrl: string;
}) {
  const { t } = props;
  const p = t.public;
  return (
    <>
      <h1>{props.status === "waitlisted" ? p.waitlistedTitle : p.confirmedTitle}</h1>
      <div class="notice" role="status">
        <dl class="facts">
          <dt>{p.name}</dt>
          <dd>{props.name}</dd>
          <EventSummary t={t} lang={props.lang} event={props.event} />
          <dt>{p.statusLabel}</dt>
          <dd>
            <strong>{statusText(t, props.status, props.position)}</strong>
          </dd>
          <dt>{p.codeLabel}</dt>
          <dd>
            <strong class="score">{props.code}</strong>
          </dd>
        </dl>
        <p class="hint">{p.codeHint}</p>
      </div>
      <h2>{p.manageLinkLabel}</h2>
      <p>{p.manageLinkHint}</p>
      <p class="card" style="overflow-wrap:anywhere">
        <a href={props.manageUrl}>{props.manageUrl}</a>
      </p>
    </>
  );
}

/** A second submission with the same mobile: the existing sign-up's status, nothing new. */
export function AlreadySignedUp(props: {
  t: Messages;
  lang: Lang;
  event: EventLine;
  status: SignupStatus;
  position: number | null;
}) {
  const { t } = props;
  const p = t.public;
  return (
    <>
      <h1>{p.existingTitle}</h1>
      <div class="notice" role="status">
        <p>{p.existingBody}</p>
        <dl class="facts">
          <EventSummary t={t} lang={props.lang} event={props.event} />
          <dt>{p.statusLabel}</dt>
          <dd>
            <strong>{statusText(t, props.status, props.position)}</strong>
          </dd>
        </dl>
      </div>
    </>
  );
}

/** The volunteer's own sign-up behind the private link: the only page with the full mobile. */
export function ManagePage(props: {
  t: Messages;
  lang: Lang;
  token: string;
  event: EventLine | null;
  signup: {
    name: string;
    mobile: string;
    status: SignupStatus;
    waitlistPosition: number | null;
    confirmationCode: string;
  };
  problem?: string;
}) {
  const { t, signup } = props;
  const p = t.public;
  const cancellable = signup.status === "confirmed" || signup.status === "waitlisted";
  return (
    <>
      <h1>{p.manageTitle}</h1>
      {props.problem && (
        <p class="alert" role="alert">
          {props.problem}
        </p>
      )}
      <div class="card">
        <dl class="facts">
          {props.event && <EventSummary t={t} lang={props.lang} event={props.event} />}
          <dt>{p.statusLabel}</dt>
          <dd>
            <strong>{statusText(t, signup.status, signup.waitlistPosition)}</strong>
          </dd>
          <dt>{p.codeLabel}</dt>
          <dd>
            <strong class="score">{signup.confirmationCode}</strong>
          </dd>
          <dt>{p.name}</dt>
          <dd>{signup.name}</dd>
          <dt>{p.mobile}</dt>
          <dd>{signup.mobile}</dd>
        </dl>
      </div>
      {cancellable && (
        <form class="stack" method="post" action={`/signups/${props.token}/cancel`}>
          <h2>{p.cancelTitle}</h2>
          <p>{p.cancelHint}</p>
          <button class="secondary" type="submit">
            {p.cancelSubmit}
          </button>
        </form>
      )}
    </>
  );
}

/** After cancelling: done, and whether the place went to the waitlist. */
export function CancelledPage(props: { t: Messages; changed: boolean; placePassedOn: boolean }) {
  const p = props.t.public;
  return (
    <>
      <h1>{p.cancelledTitle}</h1>
      <div class="notice" role="status">
        <p>{props.changed ? p.cancelledBody : p.alreadyCancelled}</p>
        {props.placePassedOn && <p>{p.placePassedOn}</p>}
      </div>
      <p>
        <a href="/events">{p.backToList}</a>
      </p>
    </>
  );
}
