import type { ImportResource } from "../../directory/imports/resource";
import type { ImportReport, ReportItem } from "../../directory/imports/service";
import { labelOf } from "../../domain/synonyms";
import type { CertificateLevel, ServiceType } from "../../domain/vocabulary";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

/** Rows of a preview listed on the page; the counts always cover them all. */
export const ITEMS_SHOWN = 500;

type T = Messages["imports"];

/** One resource's card on the import page: the template and the upload form. */
export function UploadCard(props: { t: T; resource: ImportResource; lang: Lang; error?: string }) {
  const { t, resource } = props;
  const id = `file-${resource.name}`;
  return (
    <section class="card" aria-labelledby={`${resource.name}-title`}>
      <h2 id={`${resource.name}-title`}>{resource.title[props.lang]}</h2>
      <p class="muted">{t.keyNote[resource.name]}</p>
      <p>
        <a href={`/staff/imports/${resource.name}/template`} download>
          {t.template}
        </a>
      </p>
      <p class="hint">{t.templateHint}</p>
      <form
        class="stack"
        method="post"
        action={`/staff/imports/${resource.name}/preview`}
        enctype="multipart/form-data"
      >
        <div class="field">
          <label for={id}>{t.file(resource.title[props.lang])}</label>
          <p class="hint" id={`${id}-hint`}>
            {t.fileHint}
          </p>
          <input
            id={id}
            type="file"
            name="file"
            required
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={props.error ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={props.error ? "true" : undefined}
          />
          {props.error && (
            <p class="field-error" id={`${id}-error`}>
              {props.error}
            </p>
          )}
        </div>
        <button type="submit" class="primary">
          {t.preview}
        </button>
      </form>
    </section>
  );
}

function Counts(props: { t: T; report: ImportReport }) {
  const { t, report } = props;
  return (
    <dl class="figures" aria-label={t.counts}>
      {(["create", "update", "unchanged"] as const).map((action) => (
        <div class="figure">
          <dt>{t[action]}</dt>
          <dd id={`count-${action}`}>{report.counts[action]}</dd>
        </div>
      ))}
    </dl>
  );
}

function Problems(props: { t: T; report: ImportReport }) {
  const { t, report } = props;
  if (report.problems.length === 0) return null;
  const columnOf = (path: string) => {
    const place = report.columns[path];
    if (place) return t.columnName(place.header, place.letter);
    if (/^[A-Z]{1,3}$/.test(path)) return t.letterOnly(path);
    return t.wholeFile;
  };
  return (
    <section class="alert" role="alert" aria-labelledby="problems-title">
      <h2 id="problems-title">{t.problemsTitle(report.problems.length)}</h2>
      <div class="scroll">
        <table class="data" aria-labelledby="problems-title">
          <thead>
            <tr>
              <th scope="col">{t.rowHeader}</th>
              <th scope="col">{t.columnHeader}</th>
              <th scope="col">{t.problemHeader}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((problem) => (
              <tr>
                <td class="num">{problem.row ?? ""}</td>
                <td>{columnOf(problem.path)}</td>
                <td class="wrap">{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** How a field's value reads on the page: labels for codes, names for organisations. */
export function showValue(
  t: T,
  lang: Lang,
  field: string,
  value: unknown,
  organisations: Map<string, string>,
): string {
  if (value === null || value === undefined || value === "") return t.empty;
  if (field === "certificateLevel")
    return labelOf("certificateLevel", value as CertificateLevel, lang);
  if (field === "skills") {
    const skills = value as ServiceType[];
    if (skills.length === 0) return t.empty;
    return skills.map((s) => labelOf("serviceType", s, lang)).join(lang === "zh" ? "、" : ", ");
  }
  if (field === "organisationId") return organisations.get(String(value)) ?? String(value);
  if (field === "active") return value ? t.yes : t.no;
  return String(value);
}

function ItemRows(props: {
  t: T;
  lang: Lang;
  items: ReportItem[];
  resource: ImportResource;
  organisations: Map<string, string>;
  caption: string;
}) {
  const { t, lang, items } = props;
  const shown = items.slice(0, ITEMS_SHOWN);
  return (
    <>
      <div class="scroll">
        <table class="data" id="import-rows">
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.rowHeader}</th>
              <th scope="col">{t.actionHeader}</th>
              <th scope="col">{t.nameHeader}</th>
              <th scope="col">{t.keyHeader[props.resource.name]}</th>
              <th scope="col">{t.changeHeader}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr>
                <td class="num">{item.row}</td>
                <td>
                  <span class={`badge ${item.action === "create" ? "open" : item.action}`}>
                    {t[item.action]}
                  </span>
                </td>
                <th scope="row">{item.name}</th>
                <td>{props.resource.name === "social-workers" ? item.key : item.countyCode}</td>
                <td class="wrap">
                  {item.changes
                    .map(
                      (change) =>
                        `${t.fields[change.field] ?? change.field}: ${showValue(t, lang, change.field, change.from, props.organisations)} → ${showValue(t, lang, change.field, change.to, props.organisations)}`,
                    )
                    .join("；")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {items.length > shown.length && (
        <p class="muted">{t.shownFirst(shown.length, items.length)}</p>
      )}
    </>
  );
}

function FileFacts(props: { t: T; report: ImportReport }) {
  const { t, report } = props;
  const format = t.format[report.file.format] ?? report.file.format;
  const encoding = report.file.encoding ? `（${t.encoding[report.file.encoding]}）` : "";
  return (
    <>
      <p class="muted">{t.fileSummary(`${format}${encoding}`, report.rows)}</p>
      {report.file.exampleRows.length > 0 && (
        <p class="muted">{t.exampleIgnored(report.file.exampleRows.join("、"))}</p>
      )}
    </>
  );
}

/** The preview: counts, every problem by row and column, each row's action, and the confirm form. */
export function PreviewPage(props: {
  t: T;
  lang: Lang;
  resource: ImportResource;
  report: ImportReport;
  packed: string;
  organisations: Map<string, string>;
  notice?: string;
}) {
  const { t, lang, resource, report } = props;
  const storable = report.problems.length === 0;
  const changes = report.counts.create + report.counts.update;
  return (
    <>
      <h1>{t.previewTitle(resource.title[lang])}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <FileFacts t={t} report={report} />
      <Counts t={t} report={report} />
      <Problems t={t} report={report} />
      {storable && changes === 0 && (
        <p class="notice" role="status">
          {t.nothingToDo}
        </p>
      )}
      {storable && changes > 0 && (
        <form class="stack card" method="post" action={`/staff/imports/${resource.name}/confirm`}>
          <input type="hidden" name="table" value={props.packed} />
          <input type="hidden" name="plan" value={report.plan} />
          <p>{t.confirmHint(report.counts.create, report.counts.update)}</p>
          <button type="submit" class="primary">
            {t.confirm}
          </button>
        </form>
      )}
      {report.items.length > 0 && (
        <ItemRows
          t={t}
          lang={lang}
          items={report.items}
          resource={resource}
          organisations={props.organisations}
          caption={t.changesTitle}
        />
      )}
      <p class="actions">
        <a href="/staff/imports">{t.again}</a>
      </p>
    </>
  );
}

/** After storing: the counts and the list's records. */
export function DonePage(props: {
  t: T;
  lang: Lang;
  resource: ImportResource;
  report: ImportReport;
  organisations: Map<string, string>;
}) {
  const { t, lang, resource, report } = props;
  return (
    <>
      <h1>{t.doneTitle(resource.title[lang])}</h1>
      <p class="notice" role="status">
        {t.done(report.counts.create, report.counts.update, report.counts.unchanged)}
      </p>
      <FileFacts t={t} report={report} />
      <Counts t={t} report={report} />
      <ItemRows
        t={t}
        lang={lang}
        items={report.items}
        resource={resource}
        organisations={props.organisations}
        caption={t.recordsTitle}
      />
      <p class="actions">
        <a href="/staff/imports">{t.again}</a>
      </p>
    </>
  );
}
