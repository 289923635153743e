import { type Coverage, coverageGapLabels } from "../../tallies/coverage";
import type { Tally } from "../../tallies/query";
import type { PilotSummary } from "../../tallies/summary";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { type DashboardQuery, Download, dashboardHref, numbers, ScrollTable, show } from "./tables";

/** Above this many counties with gaps, they are listed by city (a province's 100 otherwise). */
/** More counties with gaps than this are grouped by city (a page stays under 20 KB). */
const GAPS_LISTED = 8;

type CountyCoverage = Coverage["counties"][number];

/** What a county lacks, in words: 无服务活动、无社工开展服务、无活动的试点社区：…. */
function gapText(t: Messages, lang: Lang, county: CountyCoverage): string {
  return county.gaps
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
    .join(t.listSeparator);
}

/** The counties with gaps grouped by city: each city drills down to its own list. */
function GapsByCity(props: {
  t: Messages;
  gaps: CountyCoverage[];
  names: Record<string, string>;
  query: DashboardQuery;
}) {
  const { t, gaps, query } = props;
  const byCity = new Map<string, CountyCoverage[]>();
  for (const county of gaps) {
    const city = `${county.code.slice(0, 4)}00`;
    byCity.set(city, [...(byCity.get(city) ?? []), county]);
  }
  return (
    <ScrollTable id="coverage-table" caption={t.presets.gapsByCity(gaps.length)}>
      <thead>
        <tr>
          <th>{t.presets.city}</th>
          <th class="wrap">{t.tallies.county}</th>
        </tr>
      </thead>
      <tbody>
        {[...byCity].map(([city, counties]) => (
          <tr>
            <th scope="row">
              <a href={dashboardHref({ ...query, region: city })}>{props.names[city] ?? city}</a>
            </th>
            <td class="wrap">
              {t.presets.gapCounties(
                counties.length,
                counties.map((county) => county.name).join(t.listSeparator),
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/**
 * 覆盖情况: which counties lack events, social workers or teams, each drilling down to its own
 * dashboard (by city when there are many; the CSV has every county's figures).
 */
export function CoverageSection({
  t,
  lang,
  coverage,
  query,
  names,
  print,
}: {
  t: Messages;
  lang: Lang;
  coverage: Coverage;
  query: DashboardQuery;
  /** The print view: no download link. */
  print?: boolean;
  /** Names of the regions one level down (cities of a province), for the grouped list. */
  names: Record<string, string>;
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
      {/* Scheduled but not (yet) held: a figure of its own, never counted as events held. */}
      <dl class="figures">
        <div class="figure">
          <dt>{t.tallies.eventsNotYetHeld}</dt>
          <dd>{coverage.counties.reduce((n, county) => n + county.eventsNotYetHeld, 0)}</dd>
        </div>
      </dl>
      {gaps.length === 0 ? (
        <p class="notice">{t.tallies.coverageAllGood}</p>
      ) : gaps.length > GAPS_LISTED ? (
        <GapsByCity t={t} gaps={gaps} names={names} query={query} />
      ) : (
        <ScrollTable id="coverage-table" caption={t.tallies.coverageGapsCaption(gaps.length)}>
          <thead>
            <tr>
              <th>{t.tallies.county}</th>
              <th class="wrap">{t.tallies.gaps}</th>
            </tr>
          </thead>
          <tbody>
            {gaps.map((county) => (
              <tr>
                <th scope="row">
                  <a href={dashboardHref({ ...query, region: county.code })}>{county.name}</a>
                </th>
                <td class="wrap">{gapText(t, lang, county)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {!print && <Download t={t} table="coverage" query={query} />}
    </section>
  );
}

/** The year's pilot summary, in the shape of the 2025 report. */
export function SummarySection({
  t,
  lang,
  summary,
  query,
  print,
}: {
  t: Messages;
  lang: Lang;
  summary: PilotSummary;
  query: DashboardQuery;
  print?: boolean;
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
      {!print && <Download t={t} table="summary" query={query} />}
    </section>
  );
}

/** 主要数据: the six headline figures, with any adjustment inside them. */
export function Headline({ t, lang, tally }: { t: Messages; lang: Lang; tally: Tally }) {
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
    </section>
  );
}

/**
 * The months, for any other period than the presets, for the region shown (other regions are
 * a click away: down from the region rows, up through the trail).
 */
export function Filters(props: { t: Messages; data: { query: DashboardQuery } }) {
  const { t, data } = props;
  return (
    <form class="stack card filters" method="get" action="/staff/tallies">
      <input type="hidden" name="region" value={data.query.region} />
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
