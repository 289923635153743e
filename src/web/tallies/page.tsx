import type { Child } from "hono/jsx";
import {
  type ServiceType,
  serviceTypeLabels,
  type TargetGroup,
  targetGroupLabels,
} from "../../domain/vocabulary";
import type { Coverage } from "../../tallies/coverage";
import type { PeriodPreset } from "../../tallies/presets";
import type { Tally, TallyRow } from "../../tallies/query";
import type { PilotSummary } from "../../tallies/summary";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { BarChart, ColumnChart } from "./charts";
import { Breadcrumbs, dashboardStyles, PeriodChips } from "./navigation";
import { CoverageSection, Filters, Headline, SummarySection } from "./sections";
import { chartItems, type DashboardQuery, Download, dashboardHref, MeasureTable } from "./tables";

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
  query: DashboardQuery;
  presets: PeriodPreset[];
  /** From the caller's own region down to the one shown. */
  trail: { code: string; name: string }[];
  /** The print view: every table open, no form, no links to other periods. */
  print: boolean;
  /** When the period holds no event held: the latest month that does, to point to. */
  latestMonthHeld?: string;
}

/** One breakdown: its chart, the same numbers in a table (in the print view), its CSV. */
function ChartSection(props: {
  t: Messages;
  lang: Lang;
  id: string;
  title: string;
  chart: Child;
  note?: Child;
  table: { label: string; rows: { label: string; row: TallyRow }[]; tally: Tally; full: boolean };
  download: string;
  query: DashboardQuery;
  print: boolean;
}) {
  const { t, lang, table } = props;
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.chart}
      {props.note}
      {/* The numbers behind the chart are in the print view (and the CSV); the chart's own
          description names every value for screen readers. */}
      {props.print && (
        <MeasureTable
          t={t}
          lang={lang}
          id={`${props.id}-table`}
          caption={props.title}
          label={table.label}
          rows={table.rows}
          tally={table.tally}
          full={table.full}
        />
      )}
      {!props.print && <Download t={t} table={props.download} query={props.query} />}
    </section>
  );
}

/** The outcomes still waiting for their lead's sign-off, which the figures leave out. */
function AwaitingPrompt({ t, tally, excluded }: { t: Messages; tally: Tally; excluded: number }) {
  if (tally.awaitingSignOff === 0) return null;
  return (
    <p class="prompt" role="status">
      {t.presets.awaiting(tally.awaitingSignOff)}
      {excluded > 0 ? ` ${t.tallies.excludedByClosedMonths(excluded)}` : ""}
    </p>
  );
}

/**
 * 服务统计: period presets and the way up the region tree, headline figures, charts with their
 * tables, the region breakdown (each row drills down), coverage and the year's summary; two
 * columns on a desktop, and a print view.
 */
export function DashboardPage(props: { t: Messages; lang: Lang; data: DashboardData }) {
  const { t, lang, data } = props;
  const { totals, byMonth, byServiceType, byTargetGroup, byRegion, query, print } = data;
  const separator = t.listSeparator;
  // Within one year a month is its number (the period above names the year); across years, 25/03.
  const oneYear = totals.period.from.slice(0, 4) === totals.period.to.slice(0, 4);
  const monthLabel = (row: TallyRow) =>
    oneYear ? String(Number(row.month?.slice(5))) : (row.month ?? "").slice(2).replace("-", "/");
  const typeLabel = (row: TallyRow) => serviceTypeLabels[row.serviceType as ServiceType][lang];
  const groupLabel = (row: TallyRow) => targetGroupLabels[row.targetGroup as TargetGroup][lang];
  const shared = { t, lang, query, print };
  const drill = (row: TallyRow) =>
    row.region?.code && !print ? dashboardHref({ ...query, region: row.region.code }) : undefined;
  return (
    <>
      <style>{dashboardStyles}</style>
      {print ? (
        <p class="screen-only">
          <a href={dashboardHref(query)}>← {t.presets.backToDashboard}</a> · {t.presets.printHint}
        </p>
      ) : (
        <Breadcrumbs t={t} trail={data.trail} query={query} />
      )}
      <p class="muted">{t.tallies.heading}</p>
      <h1>{totals.region.name}</h1>
      <p class="muted">{t.tallies.period(totals.period.from, totals.period.to)}</p>
      <AwaitingPrompt t={t} tally={totals} excluded={data.excludedByClosedMonths} />
      {data.latestMonthHeld && !print && (
        <p class="notice" role="status">
          {t.tallies.nothingHeld(data.latestMonthHeld)}
          <a
            href={dashboardHref({
              ...query,
              from: `${data.latestMonthHeld.slice(0, 4)}-01`,
              to: `${data.latestMonthHeld.slice(0, 4)}-12`,
            })}
          >
            {t.tallies.showYear(data.latestMonthHeld.slice(0, 4))}
          </a>
        </p>
      )}
      {data.coverage && !print && (
        <p>
          <a href={`/staff/periods?region=${query.region}`}>{t.periods.link}</a>
        </p>
      )}
      {!print && (
        <>
          <PeriodChips t={t} presets={data.presets} query={query} />
          <Filters t={t} data={data} />
          <p class="screen-only">
            <a href={dashboardHref(query, { print: "1" })}>{t.presets.print}</a>
          </p>
        </>
      )}
      <Headline t={t} lang={lang} tally={totals} />
      <div class="dash">
        <ChartSection
          {...shared}
          id="month"
          title={t.tallies.byMonth}
          chart={
            <ColumnChart
              id="chart-month"
              title={t.tallies.byMonthChart}
              items={chartItems(byMonth.rows, monthLabel, byMonth, lang, (row) => row.month ?? "")}
              separator={separator}
              described={!print}
              lang={lang}
            />
          }
          table={{
            label: t.tallies.month,
            rows: byMonth.rows.map((row) => ({ label: row.month ?? "", row })),
            tally: byMonth,
            full: true,
          }}
          download="month"
        />
        <section aria-labelledby="region-title">
          <h2 id="region-title">{t.tallies.byRegion}</h2>
          <MeasureTable
            t={t}
            lang={lang}
            id="region-table"
            caption={t.tallies.byRegion}
            label={t.tallies.regionName}
            rows={byRegion.rows.map((row) => ({
              label: row.region?.name ?? "",
              row,
              href: drill(row),
            }))}
            tally={byRegion}
            full
          />
          {!print && <Download t={t} table="region" query={query} />}
        </section>
        <ChartSection
          {...shared}
          id="type"
          title={t.tallies.byServiceType}
          chart={
            <BarChart
              id="chart-type"
              title={t.tallies.byServiceTypeChart}
              items={chartItems(byServiceType.rows, typeLabel, byServiceType, lang)}
              separator={separator}
              described={!print}
            />
          }
          table={{
            label: t.tallies.serviceType,
            rows: byServiceType.rows.map((row) => ({ label: typeLabel(row), row })),
            tally: byServiceType,
            full: true,
          }}
          download="serviceType"
        />
        <ChartSection
          {...shared}
          id="group"
          title={t.tallies.byTargetGroup}
          chart={
            <BarChart
              id="chart-group"
              title={t.tallies.byTargetGroupChart}
              items={chartItems(byTargetGroup.rows, groupLabel, byTargetGroup, lang)}
              separator={separator}
              described={!print}
            />
          }
          note={
            byTargetGroup.suppression.applied && (
              <p class="muted">{t.tallies.suppressed(byTargetGroup.suppression.threshold)}</p>
            )
          }
          table={{
            label: t.tallies.targetGroup,
            rows: byTargetGroup.rows.map((row) => ({ label: groupLabel(row), row })),
            tally: byTargetGroup,
            full: false,
          }}
          download="targetGroup"
        />
        {data.coverage && (
          <div class="whole">
            <CoverageSection
              t={t}
              lang={lang}
              coverage={data.coverage}
              query={query}
              print={print}
              names={Object.fromEntries(
                byRegion.rows.flatMap((row) =>
                  row.region?.code ? [[row.region.code, row.region.name]] : [],
                ),
              )}
            />
          </div>
        )}
        {data.summary && (
          <div class="whole">
            <SummarySection t={t} lang={lang} summary={data.summary} query={query} print={print} />
          </div>
        )}
      </div>
    </>
  );
}
