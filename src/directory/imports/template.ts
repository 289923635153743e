import type { Principal } from "../../auth/principal";
import type { Queryable } from "../../db/client";
import { codesOf, labelOf } from "../../domain/synonyms";
import { columnLetter, type ListValidation, writeXlsx } from "../../lib/xlsx-write";
import type { ListSource } from "./columns";
import { countyLabel } from "./plan";
import { countiesOf, organisationNames } from "./queries";
import type { ImportResource } from "./resource";
import { MAX_IMPORT_ROWS } from "./table";

/** The hidden sheet that holds the drop-down lists. */
export const LISTS_SHEET = "可选值";

const listTitles: Record<ListSource, string> = {
  certificateLevel: "证书等级",
  serviceType: "服务类型",
  county: "县区",
  organisation: "机构",
};

/** The file name a template downloads as. */
export const templateFileName = (resource: ImportResource) => `${resource.title.zh}导入模板.xlsx`;

/** The values offered for each list: official labels, the caller's counties, the organisations. */
async function listValues(db: Queryable, principal: Principal) {
  const [counties, organisations] = await Promise.all([
    countiesOf(db, principal.scope),
    organisationNames(db),
  ]);
  return {
    certificateLevel: codesOf("certificateLevel").map((c) => labelOf("certificateLevel", c, "zh")),
    serviceType: codesOf("serviceType").map((c) => labelOf("serviceType", c, "zh")),
    county: counties.map(countyLabel),
    organisation: organisations,
  } satisfies Record<ListSource, string[]>;
}

/**
 * The .xlsx template of a resource: Chinese headers, one example row (never imported: it starts
 * with （示例）), drop-down lists from a hidden sheet — certificate levels and service types by
 * their official labels, the caller's own counties, the directory's organisations — and a hint
 * on every column.
 */
export async function buildTemplate(
  db: Queryable,
  principal: Principal,
  resource: ImportResource,
): Promise<Uint8Array> {
  const values = await listValues(db, principal);
  const sources = [...new Set(resource.columns.flatMap((c) => (c.list ? [c.list] : [])))].filter(
    (source) => values[source].length > 0,
  );
  const listColumns = sources.map((source) => [listTitles[source], ...values[source]]);
  const longest = Math.max(1, ...listColumns.map((column) => column.length));
  const listRows = Array.from({ length: longest }, (_, r) =>
    listColumns.map((column) => column[r] ?? ""),
  );
  const names = sources.map((source, i) => {
    const letter = columnLetter(i);
    return {
      name: `list_${source}`,
      ref: `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${values[source].length + 1}`,
    };
  });
  const lastRow = MAX_IMPORT_ROWS + 1;
  const validations: ListValidation[] = resource.columns.flatMap((column, index) => {
    if (!column.list || !sources.includes(column.list)) return [];
    const letter = columnLetter(index);
    return [
      {
        range: `${letter}2:${letter}${lastRow}`,
        source: `list_${column.list}`,
        // Several skills go in one cell, and a new organisation may be on its way: not enforced.
        strictness: column.multiple ? "none" : column.list === "organisation" ? "warning" : "stop",
        prompt: { title: column.header.zh, text: column.hint.zh },
        error: { title: column.header.zh, text: `请从下拉列表中选择${column.header.zh}` },
      },
    ];
  });
  return writeXlsx({
    sheets: [
      {
        name: resource.title.zh,
        rows: [resource.columns.map((c) => c.header.zh), resource.columns.map((c) => c.example)],
        widths: resource.columns.map((c) => c.width),
        validations,
      },
      { name: LISTS_SHEET, hidden: true, rows: listRows, widths: listColumns.map(() => 28) },
    ],
    names,
  });
}
