import type { SignupView } from "../../signups/queries";
import type { Messages } from "../i18n/zh";

/** An event's sign-ups as staff read them: who holds a place, who waits (in order), who left. */
export interface RosterParts {
  /** Confirmed or checked in, in the order they signed up. */
  holding: SignupView[];
  /** Waitlisted, first to move up first. */
  waitlist: SignupView[];
  cancelled: SignupView[];
}

/** Splits sign-ups (in arrival order) into those holding a place, the waitlist and the cancelled. */
export function splitRoster(signups: SignupView[]): RosterParts {
  const holding = signups.filter((s) => s.status === "confirmed" || s.status === "attended");
  const waitlist = signups
    .filter((s) => s.status === "waitlisted")
    .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
  const cancelled = signups.filter((s) => s.status === "cancelled");
  return { holding, waitlist, cancelled };
}

/** Styles of the roster tables; pages that show a roster put them in once. */
export const rosterStyles = `
.scroll{overflow-x:auto;padding:.25rem}
table.signups{width:100%;border-collapse:collapse;font-size:.95rem}
table.signups caption{text-align:left;font-weight:600;padding:.25rem 0}
table.signups th,table.signups td{padding:.35rem .4rem;text-align:left;border-bottom:1px solid #e7ecf0;white-space:nowrap}
table.signups thead th{color:#59636e;font-weight:600}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
`;

type Column = "order" | "name" | "mobile" | "code" | "checkin";

function header(t: Messages, column: Column): string {
  const labels: Record<Column, string> = {
    order: t.roster.orderHeader,
    name: t.checkin.nameHeader,
    mobile: t.checkin.mobileHeader,
    code: t.checkin.codeHeader,
    checkin: t.checkin.statusHeader,
  };
  return labels[column];
}

function cell(t: Messages, signup: SignupView, column: Column) {
  switch (column) {
    case "order":
      return <td>{signup.waitlistPosition ?? ""}</td>;
    case "name":
      return <td>{signup.name}</td>;
    case "mobile":
      return <td class="mono">{signup.mobile}</td>;
    case "code":
      return <td class="mono">{signup.confirmationCode}</td>;
    case "checkin":
      return signup.status === "attended" ? (
        <td>
          <span class="badge accepted">{t.roster.checkedIn}</span>
        </td>
      ) : (
        <td class="muted">{t.roster.notYet}</td>
      );
  }
}

/** One list of the roster: a captioned table that scrolls sideways (and takes keyboard focus). */
function RosterTable(props: {
  t: Messages;
  id: string;
  caption: string;
  rows: SignupView[];
  columns: Column[];
  limit?: number;
}) {
  const { t, rows, columns, limit } = props;
  const shown = limit === undefined ? rows : rows.slice(0, limit);
  return (
    <section class="card scroll" tabindex={0} aria-labelledby={`${props.id}-caption`}>
      <table class="signups" id={props.id}>
        <caption id={`${props.id}-caption`}>{props.caption}</caption>
        {shown.length > 0 && (
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col">{header(t, column)}</th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {shown.length === 0 ? (
            <tr>
              <td class="muted">{t.roster.none}</td>
            </tr>
          ) : (
            shown.map((signup) => (
              <tr id={`signup-${signup.id}`}>{columns.map((column) => cell(t, signup, column))}</tr>
            ))
          )}
        </tbody>
      </table>
      {shown.length < rows.length && (
        <p class="muted">{t.roster.shownFirst(shown.length, rows.length)}</p>
      )}
    </section>
  );
}

/**
 * 报名名单: those holding a place (checked in or not), the waitlist in the order it moves up,
 * and the cancelled apart (folded away: they hold no place). `limit` caps each list.
 */
export function Roster(props: { t: Messages; signups: SignupView[]; limit?: number }) {
  const { t, limit } = props;
  const { holding, waitlist, cancelled } = splitRoster(props.signups);
  return (
    <>
      <RosterTable
        t={t}
        id="roster-holding"
        caption={t.roster.confirmed(holding.length)}
        rows={holding}
        columns={["name", "mobile", "code", "checkin"]}
        limit={limit}
      />
      <RosterTable
        t={t}
        id="roster-waitlist"
        caption={t.roster.waitlist(waitlist.length)}
        rows={waitlist}
        columns={["order", "name", "mobile", "code"]}
        limit={limit}
      />
      {cancelled.length > 0 && (
        <details id="roster-cancelled">
          <summary>{t.roster.cancelled(cancelled.length)}</summary>
          <RosterTable
            t={t}
            id="roster-cancelled-list"
            caption={t.roster.cancelled(cancelled.length)}
            rows={cancelled}
            columns={["name", "mobile"]}
            limit={limit}
          />
        </details>
      )}
    </>
  );
}
