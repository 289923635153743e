import {
  type ServiceType,
  serviceTypeLabels,
  type TargetGroup,
  targetGroupLabels,
} from "../domain/vocabulary";
import { writeCsv } from "../lib/csv";
import type { Table } from "../lib/download";
import { columnLabels, figureLabels } from "./figures";
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
  return `\uFEFF${writeCsv([header, ...rows], true)}`;
}

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

/** A tally as a table: one line per row, then the total (合计); labels in the chosen language. */
export function tallyTable(tally: Tally, lang: CsvLang): Table {
  const dims = tally.groupBy;
  const header = [
    ...(dims.includes("month") ? [columnLabels.month[lang]] : []),
    ...(dims.includes("serviceType") ? [columnLabels.serviceType[lang]] : []),
    ...(dims.includes("targetGroup") ? [columnLabels.targetGroup[lang]] : []),
    ...(dims.includes("region") ? [columnLabels.regionCode[lang], columnLabels.region[lang]] : []),
    ...measureKeys.map((key) => figureLabels[key][lang]),
    figureLabels.adjustedPersonTimes[lang],
    figureLabels.adjustedVolunteers[lang],
    figureLabels.adjustedHours[lang],
  ];
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
  const labelColumns = dims.length + (dims.includes("region") ? 1 : 0);
  const label: Cell[] = Array.from({ length: labelColumns }, (_, i) =>
    i === 0 ? columnLabels.total[lang] : "",
  );
  lines.push([...label, ...measureCells(tally.totals, undefined)]);
  return {
    sheet: lang === "zh" ? "服务统计" : "Tally",
    header,
    rows: lines,
    totals: [lines.length - 1],
  };
}

/** A tally as CSV: one line per row, then the total; labels in the chosen language. */
export function tallyCsv(tally: Tally, lang: CsvLang): string {
  const table = tallyTable(tally, lang);
  return toCsv(table.header, table.rows);
}
