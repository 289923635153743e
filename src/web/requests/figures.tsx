import type { requestFigures } from "../../requests/figures";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

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

/** 研判 on the dashboard: the requests' figures by month and by asker, the overdue, suggestions. */
export function RequestFiguresSection(props: {
  t: Messages;
  lang: Lang;
  overdue: number;
  byMonth: Figures;
  byAsker: Figures;
}) {
  const { t, overdue } = props;
  const d = t.desk;
  return (
    <section aria-labelledby="requests-figures-title">
      <h2 id="requests-figures-title">{d.figures}</h2>
      <p class={overdue > 0 ? "alert" : "muted"}>
        <a href="/staff/requests?overdue=true">{d.overdueCount(overdue)}</a> ·{" "}
        <a href="/staff/requests">{d.navLink}</a>
      </p>
      <div class="table-wrap">
        <FigureTable t={t} figures={props.byMonth} caption={d.byMonth} />
      </div>
      <div class="table-wrap">
        <FigureTable t={t} figures={props.byAsker} caption={d.byAsker} />
      </div>
      {props.byMonth.suggestions.length > 0 && (
        <details>
          <summary>{d.suggestions}</summary>
          <ul>
            {props.byMonth.suggestions.map((s) => (
              <li>
                {s.communityName}
                {s.stationName ? ` · ${s.stationName}` : ""}：{s.description}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
