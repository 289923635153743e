import { type Context, Hono } from "hono";
import { actorOf } from "../../auth/actor";
import { XLSX_MEDIA_TYPE } from "../../directory/imports/decode";
import { organisationNamesById } from "../../directory/imports/queries";
import type { ImportResource } from "../../directory/imports/resource";
import {
  type ImportReport,
  type ImportSource,
  importDirectory,
} from "../../directory/imports/service";
import { buildTemplate, templateFileName } from "../../directory/imports/template";
import { socialWorkerImport } from "../../directory/social-workers/import";
import { volunteerTeamImport } from "../../directory/volunteer-teams/import";
import { attachment } from "../../lib/download";
import { AppError } from "../../lib/errors";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireStaffRoles } from "../guard";
import { renderPage } from "../layout";
import { packTable, unpackTable } from "./carry";
import { DonePage, PreviewPage, UploadCard } from "./page";

/** Who imports: admins anywhere, departments within their region. */
const requireImporter = requireStaffRoles(["admin", "department"]);

const resources: Record<string, ImportResource> = {
  [socialWorkerImport.name]: socialWorkerImport,
  [volunteerTeamImport.name]: volunteerTeamImport,
};

/** The organisations named in a report's changes, by id, to show them by name. */
async function organisationsIn(c: Context<WebEnv>, report: ImportReport) {
  const ids = report.items.flatMap((item) =>
    item.changes
      .filter((change) => change.field === "organisationId")
      .flatMap((change) => [change.from, change.to])
      .filter((id): id is string => typeof id === "string"),
  );
  return organisationNamesById(c.var.db, ids);
}

/** The import page with both upload forms; `errors` beside the form of one resource. */
function uploadPage(c: Context<WebEnv>, status: 200 | 400, error?: { name: string; text: string }) {
  const { t, lang } = c.var;
  return renderPage(
    c,
    { title: t.imports.title, principal: c.var.principal, status },
    <>
      <h1>{t.imports.title}</h1>
      <p>{t.imports.intro}</p>
      {Object.values(resources).map((resource) => (
        <UploadCard
          t={t.imports}
          lang={lang}
          resource={resource}
          error={error?.name === resource.name ? error.text : undefined}
        />
      ))}
    </>,
  );
}

/** Runs a preview and shows it (status 200 even with problems: the page is the report). */
async function preview(
  c: Context<WebEnv>,
  resource: ImportResource,
  source: ImportSource,
  options: { status?: 200 | 409; notice?: string } = {},
) {
  const { t, lang } = c.var;
  const { report, table } = await importDirectory(actorOf(c), resource, source, {
    dryRun: true,
    lang,
  });
  return renderPage(
    c,
    {
      title: t.imports.previewTitle(resource.title[lang]),
      principal: c.var.principal,
      wide: true,
      status: options.status,
    },
    <PreviewPage
      t={t.imports}
      lang={lang}
      resource={resource}
      report={report}
      packed={packTable(table)}
      organisations={await organisationsIn(c, report)}
      notice={options.notice}
    />,
  );
}

const isFileProblem = (error: unknown): error is AppError =>
  error instanceof AppError &&
  error.code === "VALIDATION_FAILED" &&
  error.issues.some((issue) => issue.path === "file");

/**
 * /staff/imports: upload a list (.xlsx or CSV), see what each row will do, confirm. Plain forms,
 * no script: a large file is checked whole on the server and the page shows the counts.
 */
export const importPageRoutes = new Hono<WebEnv>()
  .get("/", requireImporter, (c) => uploadPage(c, 200))
  .get("/:resource/template", requireImporter, async (c) => {
    const resource = resources[c.req.param("resource")];
    if (!resource) return notFoundPage(c);
    const bytes = await buildTemplate(c.var.db, c.var.principal, resource);
    c.header("Content-Type", XLSX_MEDIA_TYPE);
    c.header(
      "Content-Disposition",
      attachment(templateFileName(resource), `${resource.name}-template.xlsx`),
    );
    return c.body(bytes.slice().buffer);
  })
  .post("/:resource/preview", requireImporter, async (c) => {
    const resource = resources[c.req.param("resource")];
    if (!resource) return notFoundPage(c);
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0)
      return uploadPage(c, 400, { name: resource.name, text: c.var.t.imports.chooseFile });
    try {
      return await preview(c, resource, { bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      return uploadPage(c, 400, { name: resource.name, text: error.message });
    }
  })
  .post("/:resource/confirm", requireImporter, async (c) => {
    const { t, lang } = c.var;
    const resource = resources[c.req.param("resource")];
    if (!resource) return notFoundPage(c);
    const body = await c.req.parseBody();
    const table = unpackTable(body.table);
    const plan = typeof body.plan === "string" ? body.plan : "";
    if (!table || !/^[0-9a-f]{32}$/.test(plan))
      return uploadPage(c, 400, { name: resource.name, text: t.imports.invalidCarry });
    try {
      const { report } = await importDirectory(
        actorOf(c),
        resource,
        { table },
        { dryRun: false, lang, expectedPlan: plan },
      );
      return renderPage(
        c,
        {
          title: t.imports.doneTitle(resource.title[lang]),
          principal: c.var.principal,
          wide: true,
        },
        <DonePage
          t={t.imports}
          lang={lang}
          resource={resource}
          report={report}
          organisations={await organisationsIn(c, report)}
        />,
      );
    } catch (error) {
      // The directory moved on since the preview: show the new one instead of storing blind.
      if (
        error instanceof AppError &&
        (error.code === "CONFLICT" || error.code === "VALIDATION_FAILED")
      )
        return preview(c, resource, { table }, { status: 409, notice: t.imports.changed });
      throw error;
    }
  });
