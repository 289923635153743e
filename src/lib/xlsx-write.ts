import { strToU8, zipSync } from "fflate";

import { escapeXml } from "./xml";

/** `A`, `B`, … `AA` for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A cell: text stays text (months, codes, names), a number is a number, null is empty. */
export type XlsxCell = string | number | null;

/** A drop-down list on a range of cells, taking its values from a defined name. */
export interface ListValidation {
  /** Cell range, e.g. `C2:C5001`. */
  range: string;
  /** A defined name of the workbook holding the allowed values. */
  source: string;
  /** stop: only listed values; warning: asks before accepting another; none: a suggestion. */
  strictness: "stop" | "warning" | "none";
  prompt?: { title: string; text: string };
  error?: { title: string; text: string };
}

export interface SheetSpec {
  name: string;
  hidden?: boolean;
  /**
   * The first row is the header (styled, stays in view). Strings are text cells formatted as
   * text (so `2025-01` and `210103` never become a date or a number); numbers are numeric cells.
   */
  rows: XlsxCell[][];
  /** Rows (0-based) shown in bold, e.g. a total line. */
  boldRows?: number[];
  widths?: number[];
  validations?: ListValidation[];
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  /** Defined names, e.g. `{ name: "list_county", ref: "'可选值'!$C$2:$C$101" }`. */
  names: { name: string; ref: string }[];
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml";

/**
 * Styles: 0 default, 1 header (bold, shaded, text), 2 text (so codes keep their zeros), 3 a number
 * (up to one decimal shown), 4 bold text, 5 a bold number (a total line).
 */
const STYLES = `<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.##"/></numFmts><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function cell(value: XlsxCell, column: number, row: number, kind: "header" | "body" | "bold") {
  const ref = `${columnLetter(column)}${row}`;
  if (value === null || value === "") return "";
  if (typeof value === "number" && kind !== "header") {
    if (!Number.isFinite(value)) return "";
    return `<c r="${ref}" s="${kind === "bold" ? 5 : 3}"><v>${value}</v></c>`;
  }
  const style = kind === "header" ? 1 : kind === "bold" ? 4 : 2;
  return `<c r="${ref}" t="inlineStr" s="${style}"><is><t xml:space="preserve">${escapeXml(String(value))}</t></is></c>`;
}

function validationXml(v: ListValidation): string {
  const attributes = [
    'type="list"',
    'allowBlank="1"',
    `showErrorMessage="${v.strictness === "none" ? 0 : 1}"`,
    v.strictness === "warning" ? 'errorStyle="warning"' : "",
    v.prompt
      ? `showInputMessage="1" promptTitle="${escapeXml(v.prompt.title)}" prompt="${escapeXml(v.prompt.text)}"`
      : "",
    v.error ? `errorTitle="${escapeXml(v.error.title)}" error="${escapeXml(v.error.text)}"` : "",
    `sqref="${v.range}"`,
  ].filter(Boolean);
  return `<dataValidation ${attributes.join(" ")}><formula1>${escapeXml(v.source)}</formula1></dataValidation>`;
}

function sheetXml(sheet: SheetSpec, first: boolean): string {
  const columns = Math.max(...sheet.rows.map((r) => r.length), 1);
  const widths = Array.from({ length: columns }, (_, i) => sheet.widths?.[i] ?? 16);
  const cols = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" style="2" customWidth="1"/>`)
    .join("");
  const bold = new Set(sheet.boldRows ?? []);
  const kindOf = (r: number) => (r === 0 ? "header" : bold.has(r) ? "bold" : "body");
  const rows = sheet.rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells.map((value, c) => cell(value, c, r + 1, kindOf(r))).join("")}</row>`,
    )
    .join("");
  const view = `<sheetViews><sheetView workbookViewId="0"${first ? ' tabSelected="1"' : ""}><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`;
  const validations = sheet.validations?.length
    ? `<dataValidations count="${sheet.validations.length}">${sheet.validations.map(validationXml).join("")}</dataValidations>`
    : "";
  return `${XML_HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${view}<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows}</sheetData>${validations}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

/**
 * Writes a small .xlsx workbook (Office Open XML) by hand: text and number cells, a header row,
 * column widths, hidden sheets, defined names and drop-down lists — what an import template and a
 * table of figures need, in a few KB of code (fflate for the zip) instead of a spreadsheet
 * library, and it runs in Workers.
 */
export function writeXlsx(spec: WorkbookSpec): Uint8Array {
  const sheets = spec.sheets
    .map(
      (s, i) =>
        `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ""} r:id="rId${i + 1}"/>`,
    )
    .join("");
  const names = spec.names.length
    ? `<definedNames>${spec.names.map((n) => `<definedName name="${escapeXml(n.name)}">${escapeXml(n.ref)}</definedName>`).join("")}</definedNames>`
    : "";
  const workbook = `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets>${names}</workbook>`;
  const sheetRels = spec.sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join("");
  const stylesId = `rId${spec.sheets.length + 1}`;
  const workbookRels = `${XML_HEAD}<Relationships xmlns="${PKG_REL}">${sheetRels}<Relationship Id="${stylesId}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
  const overrides = spec.sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`,
    )
    .join("");
  const contentTypes = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>${overrides}</Types>`;
  const rootRels = `${XML_HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(contentTypes),
    "_rels/.rels": strToU8(rootRels),
    "xl/workbook.xml": strToU8(workbook),
    "xl/_rels/workbook.xml.rels": strToU8(workbookRels),
    "xl/styles.xml": strToU8(`${XML_HEAD}${STYLES}`),
  };
  spec.sheets.forEach((sheet, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(sheet, i === 0));
  });
  return zipSync(files, { level: 6 });
}
