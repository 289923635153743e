import type { DownloadFile } from "../lib/download";
import type { Coverage } from "./coverage";
import { coverageGapLabels } from "./coverage";
import { type CsvLang, tallyCsv, toCsv } from "./csv";
import type { Tally } from "./query";
import type { PilotSummary } from "./summary";

type ExportFile = DownloadFile;

const periodStem = (region: string | null, from: string, to: string) =>
  `${region ?? "all"}-${from}${from === to ? "" : `_${to}`}`;

/** A tally as CSV, named the same wherever it is downloaded (API or dashboard). */
export function tallyExport(result: Tally, lang: CsvLang): ExportFile {
  const name = `tally-${periodStem(result.region.code, result.period.from, result.period.to)}.csv`;
  return { body: tallyCsv(result, lang), filename: `服务统计-${name}`, ascii: name };
}

/** Coverage as CSV, named the same wherever it is downloaded. */
export function coverageExport(
  result: Coverage & { region: { code: string | null } },
  lang: CsvLang,
): ExportFile {
  const name = `coverage-${periodStem(result.region.code, result.period.from, result.period.to)}.csv`;
  return { body: coverageCsv(result, lang), filename: `覆盖情况-${name}`, ascii: name };
}

/** The pilot summary as CSV, named the same wherever it is downloaded. */
export function summaryExport(
  result: PilotSummary & { region: { code: string | null; name: string } },
  lang: CsvLang,
): ExportFile {
  const name = `pilot-summary-${result.region.code ?? "all"}-${result.year}.csv`;
  return { body: summaryCsv(result, lang), filename: `试点工作总结-${name}`, ascii: name };
}

/** Coverage as CSV: one line per county, pilot communities without events named. */
export function coverageCsv(result: Coverage, lang: CsvLang): string {
  const zh = lang === "zh";
  const header = zh
    ? [
        "区县代码",
        "区县",
        "服务活动",
        "开展服务社工",
        "本地社工",
        "志愿服务队",
        "试点社区",
        "无活动的试点社区",
        "缺口",
      ]
    : [
        "County code",
        "County",
        "Events",
        "Active social workers",
        "Social workers based here",
        "Volunteer teams",
        "Pilot communities",
        "Pilot communities without an event",
        "Gaps",
      ];
  const rows = result.counties.map((county) => [
    county.code,
    county.name,
    county.events,
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
  return toCsv(header, rows);
}

/** The pilot summary as two columns: figure, value. */
export function summaryCsv(
  result: PilotSummary & { region: { name: string } },
  lang: CsvLang,
): string {
  const zh = lang === "zh";
  const rows: [string, string | number][] = [
    [zh ? "地区" : "Region", result.region.name],
    [zh ? "年度" : "Year", result.year],
    [zh ? "试点社区" : "Pilot communities", result.pilotCommunities],
    [
      zh ? "开展活动的试点社区" : "Pilot communities with events",
      result.pilotCommunitiesWithEvents,
    ],
    [zh ? "参与高校" : "Universities", result.organisations.university],
    [zh ? "社会工作服务机构" : "Social work agencies", result.organisations.agency],
    [zh ? "专业志愿服务组织" : "Volunteer organisations", result.organisations.volunteer_org],
    [zh ? "专业社工" : "Social workers", result.socialWorkers],
    [zh ? "骨干志愿者" : "Volunteers", result.volunteers],
    [zh ? "服务活动（场）" : "Events", result.events],
    [zh ? "服务群众（人次）" : "Person-times served", result.personTimes],
    [zh ? "志愿服务时长（小时）" : "Volunteer hours", result.volunteerHours],
  ];
  return toCsv([zh ? "指标" : "Figure", zh ? "数值" : "Value"], rows);
}
