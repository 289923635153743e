import { acceptedValues, type VocabularyName } from "../../domain/synonyms";
import type { CellProblem, Column } from "./columns";
import type { FileProblem } from "./decode";

/** The languages an import reports its problems in (the pages' and the API's). */
export type ImportLang = "zh" | "en";

/** Every problem an import can report, in one language. */
export interface ImportMessages {
  file(problem: FileProblem): string;
  emptyFile: string;
  noRows: string;
  tooManyRows(max: number): string;
  csvSyntax: string;
  unknownColumn(letter: string): string;
  duplicateColumn(firstLetter: string): string;
  missingColumn(column: Column): string;
  cellWithoutHeader(letter: string): string;
  cell(problem: CellProblem): string;
  noCounty: string;
  ambiguousCounty(choices: string[]): string;
  outsideRegion: string;
  noOrganisation: string;
  duplicateKey(firstRow: number): string;
  keyElsewhere: string;
  ambiguousMatch(count: number): string;
  failed(count: number): string;
  more(count: number): string;
  changedSincePreview: string;
}

const vocabularyName: Record<VocabularyName, { zh: string; en: string }> = {
  certificateLevel: { zh: "证书等级", en: "certificate level" },
  serviceType: { zh: "服务类型", en: "service type" },
};

const zh: ImportMessages = {
  file: (problem) =>
    ({
      empty: "文件是空的",
      legacy_excel:
        "这是旧版 Excel（.xls）或设有密码的工作簿，无法读取。请在 Excel 或 WPS 中“另存为” .xlsx（不设密码）或 CSV 后再上传",
      opendocument: "这是 OpenDocument 表格（.ods）。请“另存为” .xlsx 或 CSV 后再上传",
      binary: "文件不是表格：只接受 Excel 工作簿（.xlsx）和 CSV 文件",
      utf16: "这是 UTF-16（“Unicode 文本”）文件。请“另存为” CSV（UTF-8 或默认编码）或 .xlsx",
      not_text: "无法识别文件编码：CSV 须为 UTF-8 或 GBK（GB18030）编码",
      not_a_workbook: "文件已损坏或不是 Excel 工作簿（.xlsx）",
      too_large: "工作簿解压后过大，请删去多余的工作表或空行后再上传",
      no_sheet: "工作簿中没有可读取的工作表",
    })[problem],
  emptyFile: "文件中没有内容",
  noRows: "文件中只有表头，没有数据行",
  tooManyRows: (max) => `每次最多导入 ${max} 行，请拆分成几个文件`,
  csvSyntax: "CSV 格式有误（例如引号没有成对）",
  unknownColumn: (letter) => `第 ${letter} 列的表头不是可导入的列，请使用模板中的表头`,
  duplicateColumn: (first) => `与第 ${first} 列重复`,
  missingColumn: (column) => `缺少必填列“${column.header.zh}”`,
  cellWithoutHeader: (letter) => `第 ${letter} 列有内容但没有表头`,
  cell: (problem) => {
    switch (problem.kind) {
      case "required":
        return "必填，不能为空";
      case "unstorable":
        return "含有无法保存的字符";
      case "tooLong":
        return `最多 ${problem.max} 个字`;
      case "wholeNumber":
        return `请填写 ${problem.min} 到 ${problem.max} 之间的整数`;
      case "tooManyWords":
        return `最多填写 ${problem.max} 项`;
      case "certificateNumber":
        return "证书编号只能包含字母、数字和“-”，长度 4 到 40 位";
      case "county":
        return "请填写县区代码（如 210103）或县区名称（如 沈河区）";
      case "unknownWord": {
        const what = vocabularyName[problem.vocabulary].zh;
        const accepted = acceptedValues(problem.vocabulary, "zh").join("、");
        const which = problem.count > 1 ? `有 ${problem.count} 项` : "";
        return `${which}不是已知的${what}。可填写：${accepted}`;
      }
    }
  },
  noCounty: "没有这个县区（代码或名称）",
  ambiguousCounty: (choices) => `有多个同名县区：${choices.join("、")}。请填写县区代码`,
  outsideRegion: "这个县区不在您的管辖范围内",
  noOrganisation: "目录中没有这个名称的机构",
  duplicateKey: (first) => `与第 ${first} 行重复（同一人或同一队伍只能出现一次）`,
  keyElsewhere: "这个证书编号已登记在您管辖范围以外的地区，请联系省委社会工作部",
  ambiguousMatch: (count) => `目录中有 ${count} 条同名记录，无法确定更新哪一条，请联系管理员`,
  failed: (count) => `导入有 ${count} 个问题，未保存任何内容`,
  more: (count) => `另有 ${count} 个问题未列出`,
  changedSincePreview: "预览之后目录已有变化，请重新预览后再确认",
};

const en: ImportMessages = {
  file: (problem) =>
    ({
      empty: "the file is empty",
      legacy_excel:
        "this is an old Excel workbook (.xls) or a password-protected one: save it as .xlsx (no password) or CSV and upload that",
      opendocument: "this is an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV",
      binary:
        "the file is not a spreadsheet: only Excel workbooks (.xlsx) and CSV files are accepted",
      utf16: 'this is a UTF-16 ("Unicode text") file: save it as CSV (UTF-8 or GBK) or .xlsx',
      not_text: "the file's encoding is not recognised: a CSV must be UTF-8 or GBK (GB18030)",
      not_a_workbook: "the file is damaged or not an Excel workbook (.xlsx)",
      too_large: "the workbook is too large once unpacked: remove extra sheets or empty rows",
      no_sheet: "the workbook has no sheet to read",
    })[problem],
  emptyFile: "the file is empty",
  noRows: "the file has a header but no data rows",
  tooManyRows: (max) => `at most ${max} rows per import: split the file`,
  csvSyntax: "the CSV is malformed here (e.g. an unmatched quote)",
  unknownColumn: (letter) =>
    `column ${letter} is not a column that can be imported; use the template's headers`,
  duplicateColumn: (first) => `the same column as column ${first}`,
  missingColumn: (column) => `the required column "${column.header.en}" (${column.key}) is missing`,
  cellWithoutHeader: (letter) => `column ${letter} has a value but no header`,
  cell: (problem) => {
    switch (problem.kind) {
      case "required":
        return "is required";
      case "unstorable":
        return "contains a character that cannot be stored";
      case "tooLong":
        return `must be at most ${problem.max} characters`;
      case "wholeNumber":
        return `must be a whole number from ${problem.min} to ${problem.max}`;
      case "tooManyWords":
        return `at most ${problem.max} values`;
      case "certificateNumber":
        return "a certificate number has 4 to 40 letters, digits or dashes";
      case "county":
        return "write a county code (e.g. 210103) or a county name (e.g. 沈河区)";
      case "unknownWord": {
        const what = vocabularyName[problem.vocabulary].en;
        const accepted = acceptedValues(problem.vocabulary, "en").join(", ");
        const which = problem.count > 1 ? `${problem.count} values are` : "is";
        return `${which} not a known ${what}; accepted: ${accepted}`;
      }
    }
  },
  noCounty: "no county-level region has this code or name",
  ambiguousCounty: (choices) =>
    `several counties have this name (${choices.join(", ")}): write the code`,
  outsideRegion: "this county is outside your region",
  noOrganisation: "no organisation has this name",
  duplicateKey: (first) => `the same record as row ${first} (each may appear once)`,
  keyElsewhere:
    "this certificate number is registered outside your region; ask the provincial department",
  ambiguousMatch: (count) =>
    `${count} records in the directory match this row; ask an administrator which to update`,
  failed: (count) => `the import has ${count} problem(s); nothing was stored`,
  more: (count) => `and ${count} more problems`,
  changedSincePreview: "the directory changed since the preview: preview again, then confirm",
};

/** The import messages in a language. */
export function importMessages(lang: ImportLang): ImportMessages {
  return lang === "zh" ? zh : en;
}
