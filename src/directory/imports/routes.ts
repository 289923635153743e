import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../../auth/actor";
import { requireRole } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { attachment } from "../../lib/download";
import { fileResponse, jsonResponse, reply, responses } from "../../lib/responses";
import { validate } from "../../lib/validation";
import { XLSX_MEDIA_TYPE } from "./decode";
import type { ImportResource } from "./resource";
import { charsetOf, ImportQuery, ImportReportOut, importLanguage } from "./schemas";
import { importDirectory } from "./service";
import { buildTemplate, templateFileName } from "./template";

const tags = ["directory"];

/**
 * `POST …/import` and `GET …/import/template` for one resource, mounted under its sub-app
 * (which requires a token). Admins import anywhere; departments within their region.
 */
export function importRoutes(resource: ImportResource) {
  const columns = resource.columns
    .map((c) => `${c.key}/${c.header.zh}${c.required ? " (required)" : ""}`)
    .join(", ");
  return new Hono<AppEnv>()
    .post(
      "/",
      describeRoute({
        summary: `Import ${resource.title.en.toLowerCase()} from .xlsx or CSV (all rows or none)`,
        description:
          `Send the file as \`${XLSX_MEDIA_TYPE}\` or \`text/csv\` (UTF-8 with or without BOM, or GBK/GB18030: detected). ` +
          `Columns (English keys or Chinese headers): ${columns}. Values may be codes, official labels or everyday words (中级, 初级社工, 心理咨询, …). ` +
          "`dryRun=true` stores nothing and answers 200 with what each row would do (create, update, unchanged) and every problem by row and column. " +
          "Rows match existing records by their stable key, so importing the same file again changes nothing. " +
          "`plan=<digest from the preview>` refuses (409) if the result would differ from the preview. Problems are in the language of `lang` or Accept-Language.",
        tags,
        requestBody: {
          content: {
            [XLSX_MEDIA_TYPE]: { schema: { type: "string", format: "binary" } },
            "text/csv": { schema: { type: "string", format: "binary" } },
          },
        },
        responses: responses(
          {
            200: jsonResponse(
              "A preview (dryRun), or an import that created nothing",
              ImportReportOut,
            ),
            201: jsonResponse("The import, stored", ImportReportOut),
          },
          { auth: true, roles: true, input: true, conflict: true, body: true },
        ),
      }),
      requireRole("admin", "department"),
      validate("query", ImportQuery),
      async (c) => {
        const query = c.req.valid("query");
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const { report } = await importDirectory(
          actorOf(c),
          resource,
          { bytes, charset: charsetOf(c.req.header("Content-Type")) },
          {
            dryRun: query.dryRun ?? false,
            lang: importLanguage(query.lang, c.req.header("Accept-Language")),
            expectedPlan: query.plan,
          },
        );
        return reply(
          c,
          ImportReportOut,
          report,
          report.stored && report.counts.create > 0 ? 201 : 200,
        );
      },
    )
    .get(
      "/template",
      describeRoute({
        summary: `Download the .xlsx template for ${resource.title.en.toLowerCase()}`,
        description:
          "Chinese headers, one example row (ignored on import), drop-down lists of the allowed values on a hidden sheet (your own counties).",
        tags,
        responses: responses(
          { 200: fileResponse("The template workbook", XLSX_MEDIA_TYPE) },
          { auth: true, roles: true },
        ),
      }),
      requireRole("admin", "department"),
      async (c) => {
        const bytes = await buildTemplate(c.var.db, c.var.principal, resource);
        c.header("Content-Type", XLSX_MEDIA_TYPE);
        c.header(
          "Content-Disposition",
          attachment(templateFileName(resource), `${resource.name}-template.xlsx`),
        );
        return c.body(bytes.slice().buffer);
      },
    );
}
