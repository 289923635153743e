import {
  outcomeStatusLabels,
  serviceTypeLabels,
  type TargetGroup,
  targetGroupLabels,
  targetGroups,
} from "../domain/vocabulary";
import { writeCsv } from "../lib/csv";
import type { Table } from "../lib/download";
import { figureLabels } from "../tallies/figures";
import { SUPPRESSION_THRESHOLD } from "../tallies/suppression";
import type { OutcomeRecord } from "./records";

/*
 * The bulk records as a download: NDJSON (one outcome per line, then an end line with the count,
 * so a reader can tell a complete file from a cut one) or CSV (UTF-8 with a BOM, one row per
 * outcome and one per adjustment, numbers as numbers, for a spreadsheet).
 */

export type RecordFormat = "ndjson" | "csv" | "xlsx";
type Lang = "zh" | "en";

const encoder = new TextEncoder();

const labels = {
  record: { zh: "记录", en: "Record" },
  outcome: { zh: "服务记录", en: "outcome" },
  adjustment: { zh: "调整", en: "adjustment" },
  eventId: { zh: "活动编号", en: "Event id" },
  adjustmentId: { zh: "调整编号", en: "Adjustment id" },
  communityId: { zh: "社区编号", en: "Community id" },
  regionCode: { zh: "地区代码", en: "Region code" },
  serviceType: { zh: "服务类型", en: "Service type" },
  leadSocialWorkerId: { zh: "牵头社工编号", en: "Lead social worker id" },
  month: { zh: "计入月份", en: "Month counted" },
  status: { zh: "状态", en: "Status" },
  signedOffAt: { zh: "签收时间", en: "Signed off at" },
  peopleServed: { zh: "服务人数", en: "People served" },
  volunteersAttended: figureLabels.volunteersAttended,
  volunteerHours: figureLabels.volunteerHours,
  volunteers: { zh: "到场志愿者（化名）", en: "Attending volunteers (pseudonyms)" },
  reason: { zh: "调整原因", en: "Reason for the adjustment" },
  personTimes: { zh: "服务人次：", en: "Person-times: " },
} as const;

/** The header's labels, in the language asked for. */
export function headerCells(lang: Lang): string[] {
  return [
    labels.record[lang],
    labels.eventId[lang],
    labels.adjustmentId[lang],
    labels.communityId[lang],
    labels.regionCode[lang],
    labels.serviceType[lang],
    labels.leadSocialWorkerId[lang],
    labels.month[lang],
    labels.status[lang],
    labels.signedOffAt[lang],
    ...targetGroups.map((group) => `${labels.personTimes[lang]}${targetGroupLabels[group][lang]}`),
    labels.peopleServed[lang],
    labels.volunteersAttended[lang],
    labels.volunteerHours[lang],
    labels.volunteers[lang],
    labels.reason[lang],
  ];
}

/** The CSV header row, in the language asked for. */
export function csvHeader(lang: Lang): string {
  return `\uFEFF${writeCsv([headerCells(lang)])}`;
}

type Cell = string | number;

/** How a withheld figure reads, as in the tallies. */
const WITHHELD = `<${SUPPRESSION_THRESHOLD}`;

const shown = (
  r: { personTimes: Partial<Record<TargetGroup, number>>; suppressed?: string[] },
  group: TargetGroup,
): Cell =>
  r.suppressed?.includes(`personTimes.${group}`) ? WITHHELD : (r.personTimes[group] ?? 0);

/** An outcome's row and its adjustments' rows (deltas, counted in their own month). */
export function recordRows(records: OutcomeRecord[], lang: Lang): Cell[][] {
  const rows: Cell[][] = [];
  for (const r of records) {
    const common = [r.communityId, r.regionCode, serviceTypeLabels[r.serviceType][lang]];
    rows.push([
      labels.outcome[lang],
      r.eventId,
      "",
      ...common,
      r.leadSocialWorkerId,
      r.month,
      outcomeStatusLabels[r.status][lang],
      r.signedOffAt ? r.signedOffAt.toISOString() : "",
      ...targetGroups.map((group) => shown(r, group)),
      r.suppressed?.includes("peopleServed") ? WITHHELD : (r.peopleServed ?? ""),
      r.volunteersAttended,
      r.volunteerHours,
      r.volunteers.join(" "),
      "",
    ]);
    for (const a of r.adjustments) {
      rows.push([
        labels.adjustment[lang],
        r.eventId,
        a.id,
        ...common,
        r.leadSocialWorkerId,
        a.month,
        "",
        "",
        ...targetGroups.map((group) => shown(a, group)),
        "",
        a.volunteersAttendedDelta,
        a.volunteerHoursDelta,
        "",
        a.reason,
      ]);
    }
  }
  return rows;
}

/** The rows of {@link recordRows} as CSV lines. */
export function csvRows(records: OutcomeRecord[], lang: Lang): string {
  const rows = recordRows(records, lang);
  if (rows.length === 0) return "";
  // A reason someone typed that starts like a formula is defused; numbers stay numbers.
  return writeCsv(rows, true);
}

/**
 * A region-year's records as one .xlsx sheet: the CSV's columns, ids, months and codes as text,
 * figures as numbers, then a 合计 line over what counts in the year's figures — signed-off
 * outcomes of the year and adjustments booked in it — which is what the tallies show.
 */
export function recordsTable(records: OutcomeRecord[], lang: Lang, year: number): Table {
  const rows = recordRows(records, lang);
  const inYear = (month: string) => month.startsWith(`${year}-`);
  const counted: Cell[][] = [];
  let index = 0;
  for (const r of records) {
    const own = rows[index++] as Cell[];
    if (r.status === "signed_off" && inYear(r.month)) counted.push(own);
    for (const a of r.adjustments) {
      const row = rows[index++] as Cell[];
      if (inYear(a.month)) counted.push(row);
    }
  }
  const header = headerCells(lang);
  const first = header.indexOf(`${labels.personTimes[lang]}${targetGroupLabels.elderly[lang]}`);
  const last = header.indexOf(labels.volunteerHours[lang]);
  const total: Cell[] = header.map((_, column) => {
    if (column === 0) return lang === "zh" ? "合计（计入本年统计）" : "Total (counted in the year)";
    if (column < first || column > last || header[column] === labels.peopleServed[lang]) return "";
    // A total over withheld figures would give them away (or read as if they were 0).
    if (counted.some((row) => row[column] === WITHHELD)) return WITHHELD;
    return counted.reduce(
      (sum, row) => sum + (typeof row[column] === "number" ? (row[column] as number) : 0),
      0,
    );
  });
  return {
    sheet: lang === "zh" ? "服务记录" : "Outcomes",
    header,
    rows: [...rows, total],
    totals: [rows.length],
  };
}

/** One NDJSON line per record. */
export function ndjsonLines(records: OutcomeRecord[]): string {
  return records.map((record) => `${JSON.stringify({ record: "outcome", ...record })}\n`).join("");
}

/**
 * The export as a byte stream, pulled a page at a time from `pages`. `done` settles once the
 * stream has ended, failed or been cancelled, so the request's database client is kept till then.
 */
export function recordStream(
  pages: AsyncGenerator<OutcomeRecord[]>,
  format: RecordFormat,
  lang: Lang,
): { body: ReadableStream<Uint8Array>; done: Promise<void> } {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let count = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          if (format === "csv") controller.enqueue(encoder.encode(csvHeader(lang)));
        }
        const next = await pages.next();
        if (next.done) {
          if (format === "ndjson")
            controller.enqueue(
              encoder.encode(`${JSON.stringify({ record: "end", outcomes: count })}\n`),
            );
          controller.close();
          finish();
          return;
        }
        count += next.value.length;
        const text = format === "csv" ? csvRows(next.value, lang) : ndjsonLines(next.value);
        controller.enqueue(encoder.encode(text));
      } catch (error) {
        controller.error(error);
        finish();
      }
    },
    async cancel() {
      await pages.return(undefined);
      finish();
    },
  });
  return { body, done };
}
