import {
  type DownloadFile,
  type Table,
  type TableFormat,
  tableXlsx,
  XLSX_MEDIA_TYPE,
} from "../lib/download";
import type { Coverage } from "./coverage";
import { coverageGapLabels } from "./coverage";
import { type CsvLang, tallyTable, toCsv } from "./csv";
import { columnLabels, figureLabels } from "./figures";
import type { Tally } from "./query";
import type { PilotSummary } from "./summary";

const periodStem = (region: string | null, from: string, to: string) =>
  `${region ?? "all"}-${from}${from === to ? "" : `_${to}`}`;

/** A table as the download asked for, named `${prefix}${stem}.csv|xlsx` (ASCII: the stem). */
export function tableDownload(
  table: Table,
  format: TableFormat,
  prefix: string,
  stem: string,
): DownloadFile {
  const name = `${stem}.${format}`;
  return format === "xlsx"
    ? {
        body: tableXlsx(table),
        mediaType: XLSX_MEDIA_TYPE,
        filename: `${prefix}${name}`,
        ascii: name,
      }
    : {
        body: toCsv(table.header, table.rows),
        mediaType: "text/csv; charset=utf-8",
        filename: `${prefix}${name}`,
        ascii: name,
      };
}

/** A tally as CSV or xlsx, named the same wherever it is downloaded (API or dashboard). */
export function tallyExport(result: Tally, lang: CsvLang, format: TableFormat = "csv") {
  const stem = `tally-${periodStem(result.region.code, result.period.from, result.period.to)}`;
  return tableDownload(tallyTable(result, lang), format, "服务统计-", stem);
}

/** Coverage as CSV or xlsx, named the same wherever it is downloaded. */
export function coverageExport(
  result: Coverage & { region: { code: string | null } },
  lang: CsvLang,
  format: TableFormat = "csv",
) {
  const stem = `coverage-${periodStem(result.region.code, result.period.from, result.period.to)}`;
  return tableDownload(coverageTable(result, lang), format, "覆盖情况-", stem);
}

/** The pilot summary as CSV or xlsx, named the same wherever it is downloaded. */
export function summaryExport(
  result: PilotSummary & { region: { code: string | null; name: string } },
  lang: CsvLang,
  format: TableFormat = "csv",
) {
  const stem = `pilot-summary-${result.region.code ?? "all"}-${result.year}`;
  return tableDownload(summaryTable(result, lang), format, "试点工作总结-", stem);
}

/**
 * Coverage as a table: one line per county, pilot communities without an event held named, then
 * a 合计 line. Active social workers have no total: one person may lead in several counties, so
 * the sum of the counties is not the region's figure (the tallies give that).
 */
export function coverageTable(result: Coverage, lang: CsvLang): Table {
  const zh = lang === "zh";
  const header = [
    columnLabels.countyCode[lang],
    columnLabels.county[lang],
    figureLabels.events[lang],
    figureLabels.eventsNotYetHeld[lang],
    figureLabels.activeSocialWorkers[lang],
    figureLabels.socialWorkersBased[lang],
    figureLabels.volunteerTeams[lang],
    figureLabels.pilotCommunities[lang],
    columnLabels.pilotCommunitiesWithout[lang],
    columnLabels.gaps[lang],
  ];
  const rows = result.counties.map((county) => [
    county.code,
    county.name,
    county.events,
    county.eventsNotYetHeld,
    county.activeSocialWorkers,
    county.socialWorkersBased,
    county.volunteerTeams,
    county.pilotCommunities.length,
    county.pilotCommunities
      .filter((p) => p.events === 0)
      .map((p) => p.name)
      .join(zh ? "、" : "; "),
    county.gaps.map((gap) => coverageGapLabels[gap][lang]).join(zh ? "、" : "; "),
  ]);
  const sum = (pick: (county: Coverage["counties"][number]) => number) =>
    result.counties.reduce((total, county) => total + pick(county), 0);
  rows.push([
    columnLabels.total[lang],
    "",
    sum((c) => c.events),
    sum((c) => c.eventsNotYetHeld),
    "",
    sum((c) => c.socialWorkersBased),
    sum((c) => c.volunteerTeams),
    sum((c) => c.pilotCommunities.length),
    "",
    "",
  ]);
  return { sheet: zh ? "覆盖情况" : "Coverage", header, rows, totals: [rows.length - 1] };
}

/**
 * The pilot summary as two columns, figure and value, labelled from the same catalogue as the
 * tallies. Every line is already a total of the region-year, so it has no 合计 line.
 */
export function summaryTable(
  result: PilotSummary & { region: { name: string } },
  lang: CsvLang,
): Table {
  const rows: [string, string | number][] = [
    [columnLabels.region[lang], result.region.name],
    [columnLabels.year[lang], result.year],
    [figureLabels.pilotCommunities[lang], result.pilotCommunities],
    [figureLabels.pilotCommunitiesWithEvents[lang], result.pilotCommunitiesWithEvents],
    [figureLabels.universities[lang], result.organisations.university],
    [figureLabels.agencies[lang], result.organisations.agency],
    [figureLabels.volunteerOrgs[lang], result.organisations.volunteer_org],
    [figureLabels.activeSocialWorkers[lang], result.socialWorkers],
    [figureLabels.uniqueVolunteers[lang], result.volunteers],
    [figureLabels.events[lang], result.events],
    [figureLabels.personTimes[lang], result.personTimes],
    [figureLabels.volunteerHours[lang], result.volunteerHours],
  ];
  return {
    sheet: lang === "zh" ? "试点工作总结" : "Pilot summary",
    header: [columnLabels.figure[lang], columnLabels.value[lang]],
    rows,
  };
}
