import { strFromU8, type UnzipFileInfo, unzipSync } from "fflate";
import { attributesOf, elements, textOf, unescapeXml } from "../../lib/xml";
import type { TableRow } from "./table";

/** The largest part of a workbook we inflate (a 5,000-row sheet is a few MB of XML). */
const MAX_PART_BYTES = 40 * 1024 * 1024;

/** Why a workbook could not be read. */
export type WorkbookProblem = "not_a_workbook" | "too_large" | "no_sheet";

export class WorkbookError extends Error {
  constructor(readonly problem: WorkbookProblem) {
    super(`workbook: ${problem}`);
    this.name = "WorkbookError";
  }
}

function unzipParts(bytes: Uint8Array, wanted: (name: string) => boolean) {
  try {
    return unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        if (!wanted(file.name)) return false;
        if (file.originalSize > MAX_PART_BYTES) throw new WorkbookError("too_large");
        return true;
      },
    });
  } catch (error) {
    if (error instanceof WorkbookError) throw error;
    throw new WorkbookError("not_a_workbook");
  }
}

/** `xl/worksheets/sheet1.xml` from a relationship target (relative to xl/, or absolute). */
function partPath(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = `xl/${target}`.split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== ".") out.push(part);
  }
  return out.join("/");
}

/** Column index (0-based) of a cell reference such as `AB12`. */
function columnOf(reference: string): number | undefined {
  const letters = /^([A-Z]{1,3})\d*$/i.exec(reference)?.[1];
  if (!letters) return undefined;
  let n = 0;
  for (const letter of letters.toUpperCase()) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n - 1;
}

/** A number cell as people typed it: `210103`, not `2.10103E5`; integers without a point. */
function numberText(raw: string): string {
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

function cellText(attributes: Record<string, string>, inner: string, shared: string[]): string {
  const value = [...elements(inner, "v")][0]?.[1];
  switch (attributes.t) {
    case "s":
      return shared[Number(value)] ?? "";
    case "inlineStr":
      return textOf([...elements(inner, "is")][0]?.[1] ?? "");
    case "str":
    case "e":
      return unescapeXml(value ?? "");
    case "b":
      return value === "1" ? "TRUE" : "FALSE";
    default:
      return value === undefined ? "" : numberText(unescapeXml(value).trim());
  }
}

/**
 * Reads the first visible sheet of an .xlsx (Office Open XML) as rows of text, each with its row
 * number as the spreadsheet shows it. Values, not formulas: a formula cell gives its last result.
 */
export function readXlsx(bytes: Uint8Array): TableRow[] {
  const meta = unzipParts(
    bytes,
    (name) => name === "xl/workbook.xml" || name === "xl/_rels/workbook.xml.rels",
  );
  const workbook = meta["xl/workbook.xml"];
  const rels = meta["xl/_rels/workbook.xml.rels"];
  if (!workbook || !rels) throw new WorkbookError("not_a_workbook");
  const targets = new Map<string, { target: string; type: string }>();
  for (const [attributeText] of elements(strFromU8(rels), "Relationship")) {
    const a = attributesOf(attributeText);
    if (a.Id && a.Target) targets.set(a.Id, { target: a.Target, type: a.Type ?? "" });
  }
  const sheet = [...elements(strFromU8(workbook), "sheet")]
    .map(([attributeText]) => attributesOf(attributeText))
    .find((a) => a.state !== "hidden" && a.state !== "veryHidden");
  const sheetTarget = sheet?.id ? targets.get(sheet.id)?.target : undefined;
  if (!sheetTarget) throw new WorkbookError("no_sheet");
  const sheetPath = partPath(sheetTarget);
  const sharedTarget = [...targets.values()].find((t) => t.type.endsWith("/sharedStrings"));
  const sharedPath = sharedTarget ? partPath(sharedTarget.target) : "xl/sharedStrings.xml";

  const parts = unzipParts(bytes, (name) => name === sheetPath || name === sharedPath);
  const sheetXml = parts[sheetPath];
  if (!sheetXml) throw new WorkbookError("no_sheet");
  const sharedXml = parts[sharedPath];
  const shared = sharedXml
    ? [...elements(strFromU8(sharedXml), "si")].map(([, s]) => textOf(s))
    : [];

  const data = [...elements(strFromU8(sheetXml), "sheetData")][0]?.[1] ?? "";
  const rows: TableRow[] = [];
  let previousRow = 0;
  for (const [rowAttributes, rowInner] of elements(data, "row")) {
    const rowNumber = Number(attributesOf(rowAttributes).r) || previousRow + 1;
    previousRow = rowNumber;
    const cells: string[] = [];
    let previousColumn = -1;
    for (const [cellAttributes, cellInner] of elements(rowInner, "c")) {
      const attributes = attributesOf(cellAttributes);
      const column = columnOf(attributes.r ?? "") ?? previousColumn + 1;
      previousColumn = column;
      if (column > 16_383) continue;
      while (cells.length < column) cells.push("");
      cells[column] = cellText(attributes, cellInner, shared);
    }
    rows.push({ row: rowNumber, cells });
  }
  return rows;
}
