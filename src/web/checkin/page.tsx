import type { EventRow } from "../../events/queries";
import type { SignupView } from "../../signups/queries";
import { Roster, rosterStyles } from "../events/roster";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { FieldError } from "../layout";

/** What the last 签到 did: a volunteer checked in, or why the typed code was refused. */
export type CheckinOutcome =
  | { kind: "checked-in"; name: string; changed: boolean }
  | { kind: "refused"; code: string; message: string };

interface CheckinPageProps {
  t: Messages;
  lang: Lang;
  event: EventRow;
  signups: SignupView[];
  outcome?: CheckinOutcome;
}

/** 已报名 holds a place (confirmed or attended), 已签到 came, 候补 waits for a place. */
export function countSignups(signups: SignupView[]) {
  let signedUp = 0;
  let attended = 0;
  let waitlisted = 0;
  for (const signup of signups) {
    if (signup.status === "confirmed" || signup.status === "attended") signedUp++;
    if (signup.status === "attended") attended++;
    if (signup.status === "waitlisted") waitlisted++;
  }
  return { signedUp, attended, waitlisted };
}

function CodeForm(props: { t: Messages; eventId: string; outcome?: CheckinOutcome }) {
  const { t, outcome } = props;
  const refused = outcome?.kind === "refused" ? outcome : undefined;
  const describedBy = refused ? "code-hint code-error" : "code-hint";
  return (
    <form class="stack card" method="post" action={`/staff/events/${props.eventId}/checkin`}>
      <div class="field">
        <label for="code">{t.checkin.codeLabel}</label>
        <p class="hint" id="code-hint">
          {t.checkin.codeHint}
        </p>
        <input
          class="code"
          id="code"
          name="code"
          type="text"
          inputmode="text"
          autocapitalize="characters"
          autocomplete="off"
          autocorrect="off"
          spellcheck={false}
          maxlength={20}
          required
          autofocus
          value={refused?.code ?? ""}
          aria-describedby={describedBy}
          aria-invalid={refused ? "true" : undefined}
        />
        <FieldError id="code-error" message={refused?.message} />
      </div>
      <button class="primary" type="submit">
        {t.checkin.submit}
      </button>
    </form>
  );
}

function Counts({ t, signups }: { t: Messages; signups: SignupView[] }) {
  const counts = countSignups(signups);
  return (
    <dl class="facts card" aria-label={t.checkin.countsLabel}>
      <dt>{t.checkin.countSignedUp}</dt>
      <dd id="count-signed-up">{counts.signedUp}</dd>
      <dt>{t.checkin.countAttended}</dt>
      <dd id="count-attended">{counts.attended}</dd>
      <dt>{t.checkin.countWaitlisted}</dt>
      <dd id="count-waitlisted">{counts.waitlisted}</dd>
    </dl>
  );
}

/** Styles only this page needs: a big code field, a list table that scrolls on a phone. */
const pageStyles = `
input.code{font-size:1.6rem;letter-spacing:.2em;text-transform:uppercase;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
${rosterStyles}`;

/**
 * 签到: the event, the code field with its outcome, the counts and the list of sign-ups (those
 * holding a place, the waitlist in order, the cancelled apart).
 */
export function CheckinPage(props: CheckinPageProps) {
  const { t, lang, event, signups, outcome } = props;
  return (
    <>
      <style>{pageStyles}</style>
      <p>
        <a href="/staff">← {t.back}</a>
      </p>
      <p class="muted">{t.checkin.heading}</p>
      <h1>{event.title}</h1>
      <dl class="facts card">
        <dt>{t.timeLabel}</dt>
        <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
        <dt>{t.communityLabel}</dt>
        <dd>{event.communityName}</dd>
        <dt>{t.leadLabel}</dt>
        <dd>{event.leadSocialWorkerName}</dd>
        <dt>{t.statusLabel}</dt>
        <dd>
          <span class={`badge ${event.status}`}>{t.eventStatus[event.status]}</span>
        </dd>
      </dl>
      {outcome?.kind === "checked-in" && (
        <p class="notice" role="status">
          {outcome.changed ? t.checkin.success(outcome.name) : t.checkin.already(outcome.name)}
        </p>
      )}
      <CodeForm t={t} eventId={event.id} outcome={outcome} />
      <section aria-labelledby="signups-title">
        <h2 id="signups-title">{t.checkin.signupsTitle}</h2>
        <Counts t={t} signups={signups} />
        {signups.length === 0 ? (
          <p class="card muted">{t.checkin.noSignups}</p>
        ) : (
          <Roster t={t} signups={signups} />
        )}
      </section>
    </>
  );
}
