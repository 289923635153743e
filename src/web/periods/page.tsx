import type { OutcomeRef, PeriodView } from "../../periods/queries";
import { formatDateTime } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { ErrorSummary, FieldError } from "../layout";

export interface PeriodsPageProps {
  t: Messages;
  lang: Lang;
  region: string;
  locks: PeriodView[];
  values: { region: string; month: string };
  /** The form's problem: a malformed region or month, or a region outside the caller's area. */
  error?: string;
  outside?: boolean;
  notice?: string;
  /** The month still has outcomes awaiting sign-off: listed, with a button to close anyway. */
  unsigned?: OutcomeRef[];
}

function OutcomeLinks(props: { outcomes: OutcomeRef[] }) {
  return (
    <ul>
      {props.outcomes.map((outcome) => (
        <li>
          <a href={`/staff/events/${outcome.eventId}/outcome`}>{outcome.title}</a>
        </li>
      ))}
    </ul>
  );
}

/** 月度关账: the closed months of a region, and the form to close one. */
export function PeriodsPage(props: PeriodsPageProps) {
  const { t, lang, values } = props;
  const p = t.periods;
  return (
    <>
      <h1>{p.heading}</h1>
      <p class="muted">{p.intro}</p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <ErrorSummary
        t={t}
        errors={
          props.error ? [{ href: props.outside ? "#region" : "#month", text: props.error }] : []
        }
      />
      {props.unsigned && props.unsigned.length > 0 && (
        <section class="card" aria-labelledby="unsigned-title">
          <h2 id="unsigned-title">{p.unsignedTitle(props.unsigned.length, values.month)}</h2>
          <p>{p.unsignedBody}</p>
          <OutcomeLinks outcomes={props.unsigned} />
          <form method="post" action="/staff/periods">
            <input type="hidden" name="region" value={values.region} />
            <input type="hidden" name="month" value={values.month} />
            <input type="hidden" name="excludeUnsigned" value="1" />
            <button class="secondary" type="submit">
              {p.closeAnyway(props.unsigned.length)}
            </button>
          </form>
        </section>
      )}
      <form class="stack" method="post" action="/staff/periods">
        <div class="field">
          <label for="region">{p.region}</label>
          <input
            id="region"
            name="region"
            type="text"
            inputmode="numeric"
            value={values.region}
            aria-invalid={props.outside ? "true" : undefined}
            aria-describedby={props.outside ? "region-error" : undefined}
          />
          <FieldError id="region-error" message={props.outside ? props.error : undefined} />
        </div>
        <div class="field">
          <label for="month">{p.month}</label>
          <p class="hint">{t.tallies.monthHint}</p>
          <input id="month" name="month" type="text" value={values.month} />
        </div>
        <div class="actions">
          <button class="primary" type="submit">
            {p.close}
          </button>
        </div>
      </form>
      <section aria-labelledby="locks-title">
        <h2 id="locks-title">{p.listTitle}</h2>
        {props.locks.length === 0 ? (
          <p class="muted">{p.none}</p>
        ) : (
          <div class="scroll">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{p.month}</th>
                  <th scope="col">{p.region}</th>
                  <th scope="col">{p.lockedAt}</th>
                  <th scope="col">{p.excluded}</th>
                </tr>
              </thead>
              <tbody>
                {props.locks.map((lock) => (
                  <tr>
                    <th scope="row">{lock.month}</th>
                    <td>{lock.region}</td>
                    <td>{formatDateTime(lock.lockedAt, lang)}</td>
                    <td class="wrap">
                      {lock.excluded === 0 ? (
                        p.noneExcluded
                      ) : (
                        <>
                          {p.excludedCount(lock.excluded)}
                          <OutcomeLinks outcomes={lock.excludedOutcomes} />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
