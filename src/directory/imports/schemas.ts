import * as v from "valibot";
import { BooleanQuery } from "../../lib/schemas";
import type { ImportLang } from "./messages";

/** `POST …/import?dryRun=true&lang=zh&plan=<digest>` */
export const ImportQuery = v.strictObject({
  dryRun: BooleanQuery,
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en")),
  plan: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, "a plan digest from a preview"))),
});

/** The language of an import's problems: `?lang=`, else Accept-Language, else English. */
export function importLanguage(asked: ImportLang | undefined, acceptLanguage?: string): ImportLang {
  if (asked) return asked;
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh" : "en";
}

/** `text/csv; charset=gbk` → `gbk`. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset="?([\w-]+)"?/i.exec(contentType ?? "")?.[1];
}

const Issue = v.object({ path: v.string(), message: v.string(), row: v.optional(v.number()) });
const Action = v.picklist(["create", "update", "unchanged"]);

/** What an import found and (unless a dry run) stored. */
export const ImportReportOut = v.object({
  resource: v.picklist(["social-workers", "volunteer-teams"]),
  dryRun: v.boolean(),
  stored: v.boolean(),
  file: v.object({
    format: v.picklist(["csv", "xlsx"]),
    encoding: v.optional(v.nullable(v.picklist(["utf-8", "utf-8-bom", "gb18030"]))),
    exampleRows: v.array(v.number()),
  }),
  rows: v.number(),
  counts: v.object({ create: v.number(), update: v.number(), unchanged: v.number() }),
  problems: v.array(Issue),
  columns: v.record(v.string(), v.object({ header: v.string(), letter: v.string() })),
  items: v.array(
    v.object({
      row: v.number(),
      action: Action,
      id: v.optional(v.string()),
      name: v.string(),
      key: v.string(),
      countyCode: v.string(),
      changes: v.array(v.object({ field: v.string(), from: v.unknown(), to: v.unknown() })),
    }),
  ),
  plan: v.string(),
});
