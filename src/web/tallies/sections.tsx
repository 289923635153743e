import { type Coverage, coverageGapLabels } from "../../tallies/coverage";
import type { Tally } from "../../tallies/query";
import type { PilotSummary } from "../../tallies/summary";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { type DashboardQuery, Download, dashboardHref, numbers, ScrollTable, show } from "./tables";

/** 覆盖情况: which counties lack events, social workers or teams; each row drills down. */
export function CoverageSection({
  t,
  lang,
  coverage,
  query,
}: {
  t: Messages;
  lang: Lang;
  coverage: Coverage;
  query: DashboardQuery;
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
        <ScrollTable id="coverage-table" caption={t.tallies.coverageGapsCaption(gaps.length)}>
          <thead>
            <tr>
              <th scope="col">{t.tallies.county}</th>
              <th scope="col" class="num">
                {t.tallies.events}
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
                <th scope="row">
                  <a
                    href={dashboardHref({ ...query, region: county.code })}
                    aria-label={t.presets.drillDown(county.name)}
                  >
                    {county.name}
                  </a>
                </th>
                <td class="num">{county.events}</td>
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
        </ScrollTable>
      )}
      <Download t={t} table="coverage" query={query} />
    </section>
  );
}

/** The year's pilot summary, in the shape of the 2025 report. */
export function SummarySection({
  t,
  lang,
  summary,
  query,
}: {
  t: Messages;
  lang: Lang;
  summary: PilotSummary;
  query: DashboardQuery;
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

/** The region and the months, for any other period than the presets. */
export function Filters(props: {
  t: Messages;
  data: { regionChoices: { code: string; name: string }[]; query: DashboardQuery };
}) {
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
