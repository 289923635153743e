import {
  type ServiceType,
  serviceTypeLabels,
  type TargetGroup,
  targetGroupLabels,
} from "../../domain/vocabulary";
import type { Coverage } from "../../tallies/coverage";
import { coverageGapLabels } from "../../tallies/coverage";
import type { Tally, TallyMeasures, TallyRow } from "../../tallies/query";
import type { PilotSummary } from "../../tallies/summary";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { BarChart, type ChartItem, ColumnChart } from "./charts";

export interface DashboardData {
  totals: Tally;
  byMonth: Tally;
  byServiceType: Tally;
  byTargetGroup: Tally;
  byRegion: Tally;
  coverage?: Coverage;
  summary?: PilotSummary;
  /** Of the outcomes awaiting sign-off, those a closed month left out (they never count). */
  excludedByClosedMonths: number;
  regionChoices: { code: string; name: string }[];
  query: { region: string; from: string; to: string };
}

const numbers: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }),
};

function show(value: number | null, lang: Lang, suppressed: boolean, threshold: number): string {
  if (suppressed) return `<${threshold}`;
  return value === null ? "—" : numbers[lang].format(value);
}

/** The download link of one section, for the same region and period. */
function exportHref(table: string, query: DashboardData["query"], format: "csv" | "xlsx"): string {
  const params = new URLSearchParams({
    table,
    region: query.region,
    from: query.from,
    to: query.to,
    ...(format === "xlsx" ? { format } : {}),
  });
  return `/staff/tallies/export?${params}`;
}

function Download(props: { t: Messages; table: string; query: DashboardData["query"] }) {
  return (
    <p>
      <a href={exportHref(props.table, props.query, "xlsx")} download>
        {props.t.tallies.downloadXlsx}
      </a>
      {" · "}
      <a href={exportHref(props.table, props.query, "csv")} download>
        {props.t.tallies.download}
      </a>
    </p>
  );
}

const isSuppressed = (row: TallyRow) => row.suppressed?.includes("personTimes") ?? false;

function chartItems(
  rows: TallyRow[],
  label: (row: TallyRow) => string,
  tally: Tally,
  lang: Lang,
  name?: (row: TallyRow) => string,
) {
  return rows.map(
    (row): ChartItem => ({
      label: label(row),
      name: name?.(row),
      value: isSuppressed(row) ? null : row.personTimes,
      display: show(row.personTimes, lang, isSuppressed(row), tally.suppression.threshold),
    }),
  );
}

/** A plain table with the same numbers as a chart (or the region breakdown). */
function MeasureTable(props: {
  t: Messages;
  lang: Lang;
  caption: string;
  label: string;
  rows: { label: string; row: TallyRow }[];
  tally: Tally;
  full: boolean;
}) {
  const { t, lang, tally } = props;
  const columns: (keyof TallyMeasures)[] = props.full
    ? [
        "events",
        "personTimes",
        "uniqueVolunteers",
        "volunteerHours",
        "activeSocialWorkers",
        "communitiesReached",
      ]
    : ["events", "personTimes"];
  return (
    <div class="scroll">
      <table class="data">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.label}</th>
            {columns.map((column) => (
              <th scope="col" class="num">
                {t.tallies[column as keyof Messages["tallies"]] as string}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ label, row }) => (
            <tr>
              <th scope="row">{label}</th>
              {columns.map((column) => (
                <td class="num">
                  {show(
                    row[column] as number | null,
                    lang,
                    column === "personTimes" && isSuppressed(row),
                    tally.suppression.threshold,
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Headline({
  t,
  lang,
  tally,
  excluded,
}: {
  t: Messages;
  lang: Lang;
  tally: Tally;
  excluded: number;
}) {
  const m = tally.totals;
  const figures: [string, number | null, number | null][] = [
    [t.tallies.events, m.events, null],
    [t.tallies.personTimes, m.personTimes, m.adjustments.personTimes],
    [t.tallies.uniqueVolunteers, m.uniqueVolunteers, null],
    [t.tallies.volunteerHours, m.volunteerHours, m.adjustments.volunteerHours],
    [t.tallies.activeSocialWorkers, m.activeSocialWorkers, null],
    [t.tallies.communitiesReached, m.communitiesReached, null],
  ];
  return (
    <section aria-labelledby="headline-title">
      <h2 id="headline-title">{t.tallies.headline}</h2>
      <dl class="figures">
        {figures.map(([label, value, adjusted]) => (
          <div class="figure">
            <dt>{label}</dt>
            <dd>
              {show(value, lang, false, 0)}
              {adjusted ? (
                <small>{t.tallies.adjusted(show(adjusted, lang, false, 0))}</small>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      {tally.awaitingSignOff > 0 && (
        <p class="notice" role="status">
          {t.tallies.awaitingSignOff(tally.awaitingSignOff)}
          {excluded > 0 ? ` ${t.tallies.excludedByClosedMonths(excluded)}` : ""}
        </p>
      )}
    </section>
  );
}

function Filters(props: { t: Messages; data: DashboardData }) {
  const { t, data } = props;
  return (
    <form class="stack card filters" method="get" action="/staff/tallies">
      <div class="field">
        <label for="region">{t.tallies.region}</label>
        <select id="region" name="region">
          {data.regionChoices.map((choice) => (
            <option value={choice.code} selected={choice.code === data.query.region}>
              {choice.name}
            </option>
          ))}
        </select>
      </div>
      <div class="months">
        <div class="field">
          <label for="from">{t.tallies.from}</label>
          <input
            id="from"
            name="from"
            type="month"
            value={data.query.from}
            pattern="\d{4}-\d{2}"
            placeholder="2025-01"
            aria-describedby="month-hint"
          />
        </div>
        <div class="field">
          <label for="to">{t.tallies.to}</label>
          <input
            id="to"
            name="to"
            type="month"
            value={data.query.to}
            pattern="\d{4}-\d{2}"
            placeholder="2025-12"
            aria-describedby="month-hint"
          />
        </div>
      </div>
      <p class="hint" id="month-hint">
        {t.tallies.monthHint}
      </p>
      <button class="primary" type="submit">
        {t.tallies.show}
      </button>
    </form>
  );
}

function CoverageSection({
  t,
  lang,
  coverage,
  query,
}: {
  t: Messages;
  lang: Lang;
  coverage: Coverage;
  query: DashboardData["query"];
}) {
  const s = coverage.summary;
  const gaps = coverage.counties.filter((county) => county.gaps.length > 0);
  return (
    <section aria-labelledby="coverage-title">
      <h2 id="coverage-title">{t.tallies.coverage}</h2>
      <p class="muted">{t.tallies.coverageIntro}</p>
      <p>
        {t.tallies.coverageSummary(
          s.counties,
          s.no_event,
          s.no_active_social_worker,
          s.no_volunteer_team,
        )}
      </p>
      {gaps.length === 0 ? (
        <p class="notice">{t.tallies.coverageAllGood}</p>
      ) : (
        <div class="scroll">
          <table class="data">
            <caption>{t.tallies.coverageGapsCaption(gaps.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.tallies.county}</th>
                <th scope="col" class="num">
                  {t.tallies.events}
                </th>
                <th scope="col" class="num">
                  {t.tallies.eventsNotYetHeld}
                </th>
                <th scope="col" class="num">
                  {t.tallies.activeSocialWorkers}
                </th>
                <th scope="col" class="num">
                  {t.tallies.volunteerTeams}
                </th>
                <th scope="col">{t.tallies.gaps}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.map((county) => (
                <tr>
                  <th scope="row">{county.name}</th>
                  <td class="num">{county.events}</td>
                  <td class="num">{county.eventsNotYetHeld}</td>
                  <td class="num">{county.activeSocialWorkers}</td>
                  <td class="num">{county.volunteerTeams}</td>
                  <td class="wrap">
                    {county.gaps
                      .map((gap) =>
                        gap === "pilot_community_without_event"
                          ? t.tallies.pilotWithoutEvent(
                              county.pilotCommunities
                                .filter((p) => p.events === 0)
                                .map((p) => p.name)
                                .join(t.listSeparator),
                            )
                          : coverageGapLabels[gap][lang],
                      )
                      .join(t.listSeparator)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Download t={t} table="coverage" query={query} />
    </section>
  );
}

function SummarySection({
  t,
  lang,
  summary,
  query,
}: {
  t: Messages;
  lang: Lang;
  summary: PilotSummary;
  query: DashboardData["query"];
}) {
  const figures: [string, number][] = [
    [t.tallies.summaryPilots, summary.pilotCommunities],
    [t.tallies.summaryUniversities, summary.organisations.university],
    [t.tallies.summaryAgencies, summary.organisations.agency],
    [t.tallies.summaryVolunteerOrgs, summary.organisations.volunteer_org],
    [t.tallies.summarySocialWorkers, summary.socialWorkers],
    [t.tallies.summaryVolunteers, summary.volunteers],
    [t.tallies.summaryEvents, summary.events],
    [t.tallies.summaryPersonTimes, summary.personTimes],
  ];
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{t.tallies.summary(summary.year)}</h2>
      <dl class="figures">
        {figures.map(([label, value]) => (
          <div class="figure">
            <dt>{label}</dt>
            <dd>{numbers[lang].format(value)}</dd>
          </div>
        ))}
      </dl>
      <Download t={t} table="summary" query={query} />
    </section>
  );
}

/** 服务统计: headline figures, charts with their tables, the region breakdown and coverage. */
export function DashboardPage(props: { t: Messages; lang: Lang; data: DashboardData }) {
  const { t, lang, data } = props;
  const { totals, byMonth, byServiceType, byTargetGroup, byRegion, query } = data;
  const separator = t.listSeparator;
  // Within one year a month is its number (the period above names the year); across years, 25/03.
  const oneYear = totals.period.from.slice(0, 4) === totals.period.to.slice(0, 4);
  const monthLabel = (row: TallyRow) =>
    oneYear ? String(Number(row.month?.slice(5))) : (row.month ?? "").slice(2).replace("-", "/");
  const typeLabel = (row: TallyRow) => serviceTypeLabels[row.serviceType as ServiceType][lang];
  const groupLabel = (row: TallyRow) => targetGroupLabels[row.targetGroup as TargetGroup][lang];
  return (
    <>
      <p class="muted">{t.tallies.heading}</p>
      <h1>{totals.region.name}</h1>
      <p class="muted">{t.tallies.period(totals.period.from, totals.period.to)}</p>
      {data.coverage && (
        <p>
          <a href={`/staff/periods?region=${query.region}`}>{t.periods.link}</a>
        </p>
      )}
      <Filters t={t} data={data} />
      <Headline t={t} lang={lang} tally={totals} excluded={data.excludedByClosedMonths} />

      <section aria-labelledby="month-title">
        <h2 id="month-title">{t.tallies.byMonth}</h2>
        <ColumnChart
          id="chart-month"
          title={t.tallies.byMonthChart}
          items={chartItems(byMonth.rows, monthLabel, byMonth, lang, (row) => row.month ?? "")}
          separator={separator}
        />
        <details>
          <summary>{t.tallies.dataTable}</summary>
          <MeasureTable
            t={t}
            lang={lang}
            caption={t.tallies.byMonth}
            label={t.tallies.month}
            rows={byMonth.rows.map((row) => ({ label: row.month ?? "", row }))}
            tally={byMonth}
            full
          />
        </details>
        <Download t={t} table="month" query={query} />
      </section>

      <section aria-labelledby="type-title">
        <h2 id="type-title">{t.tallies.byServiceType}</h2>
        <BarChart
          id="chart-type"
          title={t.tallies.byServiceTypeChart}
          items={chartItems(byServiceType.rows, typeLabel, byServiceType, lang)}
          separator={separator}
        />
        <details>
          <summary>{t.tallies.dataTable}</summary>
          <MeasureTable
            t={t}
            lang={lang}
            caption={t.tallies.byServiceType}
            label={t.tallies.serviceType}
            rows={byServiceType.rows.map((row) => ({ label: typeLabel(row), row }))}
            tally={byServiceType}
            full
          />
        </details>
        <Download t={t} table="serviceType" query={query} />
      </section>

      <section aria-labelledby="group-title">
        <h2 id="group-title">{t.tallies.byTargetGroup}</h2>
        <BarChart
          id="chart-group"
          title={t.tallies.byTargetGroupChart}
          items={chartItems(byTargetGroup.rows, groupLabel, byTargetGroup, lang)}
          separator={separator}
        />
        {byTargetGroup.suppression.applied && (
          <p class="muted">{t.tallies.suppressed(byTargetGroup.suppression.threshold)}</p>
        )}
        <details>
          <summary>{t.tallies.dataTable}</summary>
          <MeasureTable
            t={t}
            lang={lang}
            caption={t.tallies.byTargetGroup}
            label={t.tallies.targetGroup}
            rows={byTargetGroup.rows.map((row) => ({ label: groupLabel(row), row }))}
            tally={byTargetGroup}
            full={false}
          />
        </details>
        <Download t={t} table="targetGroup" query={query} />
      </section>

      <section aria-labelledby="region-title">
        <h2 id="region-title">{t.tallies.byRegion}</h2>
        <MeasureTable
          t={t}
          lang={lang}
          caption={t.tallies.byRegion}
          label={t.tallies.regionName}
          rows={byRegion.rows.map((row) => ({ label: row.region?.name ?? "", row }))}
          tally={byRegion}
          full
        />
        <Download t={t} table="region" query={query} />
      </section>

      {data.coverage && (
        <CoverageSection t={t} lang={lang} coverage={data.coverage} query={query} />
      )}
      {data.summary && <SummarySection t={t} lang={lang} summary={data.summary} query={query} />}
    </>
  );
}
