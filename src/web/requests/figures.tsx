import type { requestFigures } from "../../requests/figures";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { type DashboardQuery, Download } from "../tallies/tables";

type Figures = Awaited<ReturnType<typeof requestFigures>>;

const hoursText = (value: number | null) => (value === null ? "–" : String(value));

function FigureTable(props: { t: Messages; figures: Figures; caption: string }) {
  const d = props.t.desk;
  const rows = [...props.figures.rows, props.figures.total];
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">{d.received}</th>
          <th scope="col">{d.accepted}</th>
          <th scope="col">{d.turnedIntoNeeds}</th>
          <th scope="col">{d.resolvedWithinLimit}</th>
          <th scope="col">{d.overdue}</th>
          <th scope="col">{d.medianFirst}</th>
          <th scope="col">{d.medianResolve}</th>
          <th scope="col">{d.averageRating}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            <td>{row.received}</td>
            <td>{row.accepted}</td>
            <td>{row.turnedIntoNeeds}</td>
            <td>{row.resolvedWithinLimit}</td>
            <td>{row.overdue}</td>
            <td>{hoursText(row.medianHoursToFirstAnswer)}</td>
            <td>{hoursText(row.medianHoursToResolution)}</td>
            <td>{hoursText(row.averageRating)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * 研判 on the dashboard: the period's request figures at a glance (by asker in the print view), the
 * overdue, and how many suggestions came (their texts are on the desk's list). Kept small (the page has a 20 KB budget); the figures by
 * month and every other split are in `GET /api/v1/requests/figures`.
 */
export function RequestFiguresSection(props: {
  t: Messages;
  lang: Lang;
  overdue: number;
  byAsker: Figures;
  /** The print view has room for the table by asker; the screen shows the headline figures. */
  print: boolean;
  /** The dashboard's region and period: the table by asker downloads for the same. */
  query: DashboardQuery;
}) {
  const { t, overdue } = props;
  const d = t.desk;
  const total = props.byAsker.total;
  const headline: [string, string | number][] = [
    [d.received, total.received],
    [d.accepted, total.accepted],
    [d.turnedIntoNeeds, total.turnedIntoNeeds],
    [d.resolvedWithinLimit, total.resolvedWithinLimit],
    [d.overdue, total.overdue],
    [d.medianFirst, hoursText(total.medianHoursToFirstAnswer)],
    [d.medianResolve, hoursText(total.medianHoursToResolution)],
    [d.averageRating, hoursText(total.averageRating)],
  ];
  return (
    <section aria-labelledby="requests-figures-title">
      <h2 id="requests-figures-title">{d.figures}</h2>
      <p class={overdue > 0 ? "alert" : "muted"}>
        <a href="/staff/requests?overdue=true">{d.overdueCount(overdue)}</a> ·{" "}
        <a href="/staff/requests">{d.navLink}</a>
        {props.byAsker.suggestions.length > 0 && (
          <>
            {" · "}
            <a href="/staff/requests">{`${d.suggestions}${t.aside(String(props.byAsker.suggestions.length))}`}</a>
          </>
        )}
      </p>
      <dl class="figures">
        {headline.map(([label, value]) => (
          <div class="figure">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {props.byAsker.suppression.applied && <p class="muted">{d.byAskerWithheld}</p>}
      {!props.print && <Download t={t} table="requests" query={props.query} />}
      {/* Wider than a phone: the table scrolls sideways in a region the keyboard can focus. */}
      {props.print && (
        <section class="scroll" tabindex={0} aria-label={d.byAsker}>
          <FigureTable t={t} figures={props.byAsker} caption={d.byAsker} />
        </section>
      )}
    </section>
  );
}
