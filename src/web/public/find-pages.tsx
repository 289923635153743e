import type { RecoveredSignup } from "../../signups/recovery";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { FieldError } from "../layout";
import { statusText } from "./signup-pages";

/** Step 1: the mobile number to send a code to. */
export function FindStart(props: { t: Messages; mobile: string; error?: string; alert?: string }) {
  const { t } = props;
  const f = t.find;
  return (
    <>
      <h1>{f.title}</h1>
      <p>{f.intro}</p>
      {props.alert && (
        <p class="alert" role="alert">
          {props.alert}
        </p>
      )}
      <form class="stack card" method="post" action="/find" novalidate>
        <div class="field">
          <label for="mobile">{f.mobile}</label>
          <input
            id="mobile"
            name="mobile"
            type="tel"
            inputmode="tel"
            autocomplete="tel-national"
            maxlength={20}
            required
            value={props.mobile}
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "mobile-error" : undefined}
          />
          <FieldError id="mobile-error" message={props.error} />
        </div>
        <button class="primary" type="submit">
          {f.send}
        </button>
      </form>
    </>
  );
}

/** Step 2: the code from the SMS. */
export function CodeForm(props: {
  t: Messages;
  flowToken: string;
  mobileMasked: string;
  error?: string;
}) {
  const { t } = props;
  const f = t.find;
  return (
    <>
      <h1>{f.codeTitle}</h1>
      <p class="notice" role="status">
        {f.codeSent(props.mobileMasked)}
      </p>
      <form class="stack card" method="post" action={`/find/${props.flowToken}`} novalidate>
        <div class="field">
          <label for="code">{f.code}</label>
          <p class="hint" id="code-hint">
            {f.codeHint}
          </p>
          <input
            id="code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength={12}
            required
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "code-hint code-error" : "code-hint"}
          />
          <FieldError id="code-error" message={props.error} />
        </div>
        <button class="primary" type="submit">
          {f.verify}
        </button>
      </form>
      <p>
        <a href="/find">{f.resend}</a>
      </p>
    </>
  );
}

/** Step 3: the number's sign-ups, each with its new private link. */
export function RecoveredList(props: {
  t: Messages;
  lang: Lang;
  mobileMasked: string;
  signups: RecoveredSignup[];
}) {
  const { t } = props;
  const f = t.find;
  return (
    <>
      <h1>{f.listTitle}</h1>
      <p class="muted">{props.mobileMasked}</p>
      {props.signups.length === 0 ? (
        <p class="card">{f.none}</p>
      ) : (
        <>
          <p class="notice" role="status">
            {f.listIntro}
          </p>
          <ul class="cards">
            {props.signups.map((signup) => (
              <li class="card">
                <h2>{signup.title}</h2>
                <p class="muted">{formatRange(signup.startsAt, signup.endsAt, props.lang)}</p>
                <div class="row">
                  <span>
                    {signup.status === "waitlisted"
                      ? t.checkin.status.waitlisted
                      : statusText(t, signup.status, null)}
                  </span>
                  <a href={`/signups/${signup.token}`}>{f.open}</a>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** An expired or exhausted request: start again. */
export function FindOver(props: { t: Messages; message: string }) {
  const f = props.t.find;
  return (
    <>
      <h1>{f.title}</h1>
      <p class="alert" role="alert">
        {props.message}
      </p>
      <p>
        <a class="button" href="/find">
          {f.resend}
        </a>
      </p>
    </>
  );
}
