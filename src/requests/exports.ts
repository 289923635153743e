import type { Table, TableFormat } from "../lib/download";
import { tableDownload } from "../tallies/exports";
import type { requestFigures } from "./figures";
import { requestDimensionLabels, requestFigureLabels } from "./vocabulary";

type Figures = Awaited<ReturnType<typeof requestFigures>>;

const measures = Object.keys(requestFigureLabels) as (keyof typeof requestFigureLabels)[];

/**
 * 研判 as a table: one line per month, kind, asker or region (its code as text beside its name),
 * then the 合计 line; the same labels as the page. A median or an average with nothing to measure
 * is an empty cell, never 0. A split withheld by small counts is one line that says so.
 */
export function requestFiguresTable(figures: Figures, lang: "zh" | "en"): Table {
  const byRegion = figures.groupBy === "region";
  const header = [
    ...(byRegion ? [requestDimensionLabels.regionCode[lang]] : []),
    requestDimensionLabels[figures.groupBy][lang],
    ...measures.map((key) => requestFigureLabels[key][lang]),
  ];
  const line = (row: Figures["total"], first: string[]) => [
    ...first,
    ...measures.map((key) => row[key] ?? null),
  ];
  const rows = figures.rows.map((row) => line(row, byRegion ? [row.key, row.label] : [row.label]));
  if (figures.suppression.applied)
    rows.push([
      requestDimensionLabels.withheld[lang],
      ...(byRegion ? [""] : []),
      ...measures.map(() => null),
    ]);
  const total = requestDimensionLabels.total[lang];
  rows.push(line(figures.total, byRegion ? [total, ""] : [total]));
  return {
    sheet: lang === "zh" ? "群众需求统计" : "Requests",
    header,
    rows,
    totals: [rows.length - 1],
  };
}

/** 研判 as CSV or xlsx, named the same wherever it is downloaded (API or dashboard). */
export function requestFiguresExport(figures: Figures, lang: "zh" | "en", format: TableFormat) {
  const { from, to } = figures.period;
  const stem = `requests-${figures.groupBy}-${figures.region ?? "all"}-${from}${from === to ? "" : `_${to}`}`;
  return tableDownload(requestFiguresTable(figures, lang), format, "群众需求统计-", stem);
}
