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
  status?: string;
  cancelReason?: string | null;
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

/** A second submission with the same mobile: the status, and a code to find the link again. */
export function AlreadySignedUp(props: {
  t: Messages;
  lang: Lang;
  event: EventLine;
  status: SignupStatus;
  position: number | null;
  mobile: string;
  mobileMasked: string;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t.public.existingTitle}</h1>
      <div class="notice" role="status">
        <p>{t.signupPage.existingBody}</p>
        <dl class="facts">
          <EventSummary t={t} lang={props.lang} event={props.event} />
          <dt>{t.public.statusLabel}</dt>
          <dd>
            <strong>{statusText(t, props.status, props.position)}</strong>
          </dd>
        </dl>
      </div>
      <form method="post" action="/find">
        <input type="hidden" name="mobile" value={props.mobile} />
        <button class="primary" type="submit">
          {t.signupPage.sendCode(props.mobileMasked)}
        </button>
      </form>
    </>
  );
}

/**
 * The private link's page: what the volunteer signed up for, the code for check-in, the mobile
 * masked, add to calendar, and cancel. Right after signing up (`fresh`) it is the confirmation,
 * reached by a redirect, so reloading it shows it again and never sends the form twice.
 */
export function PrivatePage(props: {
  t: Messages;
  lang: Lang;
  token: string;
  pageUrl: string;
  fresh: boolean;
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
  const s = t.signupPage;
  // A cancelled event: said first, and nothing offered that only a held event needs.
  const eventCancelled = props.event?.status === "cancelled";
  const active = signup.status === "confirmed" || signup.status === "waitlisted";
  const cancellable = active && !eventCancelled;
  const heading = !props.fresh
    ? p.manageTitle
    : signup.status === "waitlisted"
      ? p.waitlistedTitle
      : p.confirmedTitle;
  return (
    <>
      <h1>{heading}</h1>
      {props.problem && (
        <p class="alert" role="alert">
          {props.problem}
        </p>
      )}
      {eventCancelled && (
        <p class="alert" role="status">
          {p.eventCancelledNotice(props.event?.cancelReason ?? null)}
        </p>
      )}
      {props.fresh && (
        <p class="notice" role="status">
          {s.savedNotice}
        </p>
      )}
      <div class="card">
        <dl class="facts">
          {props.event && <EventSummary t={t} lang={props.lang} event={props.event} />}
          <dt>{p.statusLabel}</dt>
          <dd>
            <strong>
              {eventCancelled
                ? p.eventCancelledStatus
                : statusText(t, signup.status, signup.waitlistPosition)}
            </strong>
          </dd>
          {active && !eventCancelled && (
            <>
              <dt>{p.codeLabel}</dt>
              <dd>
                <strong class="score">{signup.confirmationCode}</strong>
                <div class="muted">
                  {signup.status === "waitlisted" ? p.codeHintWaitlisted : p.codeHint}
                </div>
              </dd>
            </>
          )}
          <dt>{p.name}</dt>
          <dd>{signup.name}</dd>
          <dt>{p.mobile}</dt>
          <dd>{signup.mobile}</dd>
        </dl>
      </div>
      {props.event && signup.status !== "cancelled" && !eventCancelled && (
        <div class="actions">
          <a class="button secondary" href={`/signups/${props.token}/event.ics`} download="">
            {s.addToCalendar}
          </a>
          <span class="hint">{s.calendarHint}</span>
        </div>
      )}
      <h2>{s.pageLink}</h2>
      <p class="card link-box">
        <a href={props.pageUrl}>{props.pageUrl}</a>
      </p>
      {cancellable && (
        <form class="stack" method="post" action={`/signups/${props.token}/cancel`}>
          <h2>{p.cancelTitle}</h2>
          <p>{p.cancelHint}</p>
          <button class="secondary" type="submit">
            {p.cancelSubmit}
          </button>
        </form>
      )}
      <p class="muted">
        {s.lostLink} <a href="/find">{t.find.title}</a>
      </p>
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
