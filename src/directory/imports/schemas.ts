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
