import Papa from "papaparse";
import {
  type ServiceType,
  serviceTypeLabels,
  type TargetGroup,
  targetGroupLabels,
} from "../domain/vocabulary";
import type { Tally, TallyMeasures, TallyRow } from "./query";
import { SUPPRESSION_THRESHOLD } from "./suppression";

export type CsvLang = "zh" | "en";
type Cell = string | number | null;

/**
 * CSV that Excel opens correctly: UTF-8 with a byte-order mark (so Chinese is not mojibake), CRLF
 * line ends and RFC 4180 quoting; a cell that starts like a formula (=, +, -, @) from a name
 * someone typed is defused with a leading apostrophe. Numbers are written as numbers.
 */
export function toCsv(header: string[], rows: Cell[][]): string {
  const body = Papa.unparse([header, ...rows.map((row) => row.map((cell) => cell ?? ""))], {
    newline: "\r\n",
    quotes: false,
    escapeFormulae: true,
  });
  return `\uFEFF${body}\r\n`;
}

const headers: Record<string, { zh: string; en: string }> = {
  month: { zh: "月份", en: "Month" },
  serviceType: { zh: "服务类型", en: "Service type" },
  targetGroup: { zh: "服务对象", en: "Target group" },
  regionCode: { zh: "地区代码", en: "Region code" },
  region: { zh: "地区", en: "Region" },
  events: { zh: "活动场次", en: "Events held" },
  personTimes: { zh: "服务人次", en: "Person-times served" },
  uniqueVolunteers: { zh: "志愿者人数（去重）", en: "Unique volunteers" },
  volunteersAttended: { zh: "志愿者参与人次", en: "Volunteer attendances" },
  volunteerHours: { zh: "志愿服务时长（小时）", en: "Volunteer hours" },
  activeSocialWorkers: { zh: "参与社工人数", en: "Active social workers" },
  communitiesReached: { zh: "覆盖社区数", en: "Communities reached" },
  adjustedPersonTimes: { zh: "其中调整：服务人次", en: "Of which adjustments: person-times" },
  adjustedVolunteers: {
    zh: "其中调整：志愿者参与人次",
    en: "Of which adjustments: volunteer attendances",
  },
  adjustedHours: { zh: "其中调整：志愿服务时长", en: "Of which adjustments: volunteer hours" },
  total: { zh: "合计", en: "Total" },
};

const measureKeys = [
  "events",
  "personTimes",
  "uniqueVolunteers",
  "volunteersAttended",
  "volunteerHours",
  "activeSocialWorkers",
  "communitiesReached",
] as const;

function measureCells(m: TallyMeasures, suppressed: TallyRow["suppressed"]): Cell[] {
  const hidden = new Set(suppressed ?? []);
  return [
    ...measureKeys.map((key) => (hidden.has(key) ? `<${SUPPRESSION_THRESHOLD}` : m[key])),
    hidden.has("personTimes") ? `<${SUPPRESSION_THRESHOLD}` : m.adjustments.personTimes,
    m.adjustments.volunteersAttended,
    m.adjustments.volunteerHours,
  ];
}

/** A tally as CSV: one line per row, then the total; labels in the chosen language. */
export function tallyCsv(tally: Tally, lang: CsvLang): string {
  const dims = tally.groupBy;
  const header = [
    ...(dims.includes("month") ? [headers.month?.[lang]] : []),
    ...(dims.includes("serviceType") ? [headers.serviceType?.[lang]] : []),
    ...(dims.includes("targetGroup") ? [headers.targetGroup?.[lang]] : []),
    ...(dims.includes("region") ? [headers.regionCode?.[lang], headers.region?.[lang]] : []),
    ...measureKeys.map((key) => headers[key]?.[lang]),
    headers.adjustedPersonTimes?.[lang],
    headers.adjustedVolunteers?.[lang],
    headers.adjustedHours?.[lang],
  ].map(String);
  const lines: Cell[][] = tally.rows.map((row) => [
    ...(dims.includes("month") ? [row.month ?? ""] : []),
    ...(dims.includes("serviceType")
      ? [serviceTypeLabels[row.serviceType as ServiceType][lang]]
      : []),
    ...(dims.includes("targetGroup")
      ? [targetGroupLabels[row.targetGroup as TargetGroup][lang]]
      : []),
    ...(dims.includes("region") ? [row.region?.code ?? "", row.region?.name ?? ""] : []),
    ...measureCells(row, row.suppressed),
  ]);
  const labelColumns = Math.max(
    dims.length + (dims.includes("region") ? 1 : 0),
    dims.length === 0 ? 0 : 1,
  );
  if (dims.length > 0) {
    const label: Cell[] = Array.from({ length: labelColumns }, (_, i) =>
      i === 0 ? String(headers.total?.[lang]) : "",
    );
    lines.push([...label, ...measureCells(tally.totals, undefined)]);
  } else {
    lines.push(measureCells(tally.totals, undefined));
  }
  return toCsv(header, lines);
}
