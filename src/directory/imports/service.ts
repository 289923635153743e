import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor";
import { directoryWriteTest } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { recordAudit } from "../../lib/audit";
import { AppError, type ErrorIssue } from "../../lib/errors";
import { decodeUpload } from "./decode";
import { type ImportLang, importMessages } from "./messages";
import { type Plan, type PlanAction, type PlanItem, planImport, type References } from "./plan";
import { countiesOf, organisationsNamed } from "./queries";
import type { ImportResource } from "./resource";
import { type ColumnPlaces, type ReadRow, readTable, type Table } from "./table";

/** What is imported: the uploaded bytes, or a table already read (the page's confirm step). */
export type ImportSource = { bytes: Uint8Array; charset?: string } | { table: Table };

export interface ImportOptions {
  /** Check and report only; store nothing. */
  dryRun: boolean;
  lang: ImportLang;
  /** The preview's plan digest: storing is refused (409) if the plan has changed since. */
  expectedPlan?: string;
}

/** One row of the report: what it does to which record. */
export interface ReportItem {
  row: number;
  action: PlanAction;
  id?: string;
  name: string;
  key: string;
  countyCode: string;
  changes: { field: string; from: unknown; to: unknown }[];
}

/** What an import found (and, unless a dry run, stored). */
export interface ImportReport {
  resource: ImportResource["name"];
  dryRun: boolean;
  stored: boolean;
  file: { format: Table["format"]; encoding: Table["encoding"] | null; exampleRows: number[] };
  rows: number;
  counts: Record<PlanAction, number>;
  problems: ErrorIssue[];
  columns: ColumnPlaces;
  items: ReportItem[];
  /** A digest of the plan, to confirm exactly what was previewed. */
  plan: string;
}

/** Most problems one report lists; a file with the wrong columns can have one per cell. */
const MAX_PROBLEMS = 1_000;

/** Serialises imports: two offices sending the same list at once must not both create it. */
const IMPORT_LOCK = sql`select pg_advisory_xact_lock(hashtext('shuangyi.directory_import'))`;

/** Imports are for admins, and for departments within their region (the scope policy). */
const scopeTest = (actor: Actor) => directoryWriteTest(actor.principal);

function capped(problems: ErrorIssue[], t: ReturnType<typeof importMessages>): ErrorIssue[] {
  const sorted = [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const rest = sorted.length - MAX_PROBLEMS;
  return [...sorted.slice(0, MAX_PROBLEMS), { path: "", message: t.more(rest) }];
}

async function digestOf(items: PlanItem[]): Promise<string> {
  const text = JSON.stringify(items.map((i) => [i.row, i.action, i.id ?? "", i.changes]));
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(hash).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Reads the references (counties, organisations, matching records) and plans the rows. */
async function planWith(
  db: Queryable,
  resource: ImportResource,
  rows: ReadRow[],
  inScope: (code: string) => boolean,
  lang: ImportLang,
): Promise<Plan> {
  const t = importMessages(lang);
  const organisationNames = rows.flatMap((r) =>
    r.values.organisation === undefined ? [] : [String(r.values.organisation)],
  );
  const [counties, organisations] = await Promise.all([
    countiesOf(db),
    organisationsNamed(db, organisationNames),
  ]);
  const references: References = { counties, organisations, existing: [], inScope };
  // First the rows' own values (counties resolved), then the records they could match.
  const draft = planImport(resource, rows, references, t);
  const existing = await resource.load(
    db,
    draft.items.map((item) => item.fields),
  );
  return planImport(resource, rows, { ...references, existing }, t);
}

function reportOf(
  resource: ImportResource,
  table: Table,
  read: { rows: ReadRow[]; columns: ColumnPlaces; exampleRows: number[] },
  plan: Plan,
  options: { dryRun: boolean; stored: boolean; digest: string; lang: ImportLang },
): ImportReport {
  const keyField = resource.fieldOf[resource.keyColumn] ?? resource.keyColumn;
  return {
    resource: resource.name,
    dryRun: options.dryRun,
    stored: options.stored,
    file: {
      format: table.format,
      encoding: table.encoding ?? null,
      exampleRows: read.exampleRows,
    },
    rows: read.rows.length,
    counts: plan.counts,
    problems: capped(plan.problems, importMessages(options.lang)),
    columns: read.columns,
    items: plan.items.map((item) => ({
      row: item.row,
      action: item.action,
      id: item.id,
      name: String(item.fields.name),
      key: String(item.fields[keyField]),
      countyCode: String(item.fields[resource.countyField]),
      changes: item.changes,
    })),
    plan: options.digest,
  };
}

/** The table of an upload, or a 400 saying why the file cannot be read. */
export function tableOf(source: ImportSource, lang: ImportLang): Table {
  if ("table" in source) return source.table;
  const decoded = decodeUpload(source.bytes, source.charset);
  if (decoded.ok) return decoded.table;
  const message = importMessages(lang).file(decoded.problem);
  throw new AppError("VALIDATION_FAILED", message, { issues: [{ path: "file", message }] });
}

/**
 * Imports a department's list of social workers or volunteer teams: reads the file (xlsx, or CSV
 * in UTF-8 or GBK), checks every cell and every reference, matches rows to records by their
 * stable key, and — unless `dryRun` — creates and updates them all in one transaction, or none,
 * with ONE audit entry holding the counts and every change. A dry run returns the same report
 * with every problem (200); a real import with problems is a 400 listing them.
 */
export async function importDirectory(
  actor: Actor,
  resource: ImportResource,
  source: ImportSource,
  options: ImportOptions,
): Promise<{ report: ImportReport; table: Table }> {
  const inScope = scopeTest(actor);
  const t = importMessages(options.lang);
  const table = tableOf(source, options.lang);
  const read = readTable(table, resource.columns, t);
  const report = (plan: Plan, stored: boolean, digest: string) =>
    reportOf(resource, table, read, plan, { ...options, stored, digest });

  if (options.dryRun || read.problems.length > 0) {
    const plan = await planWith(actor.db, resource, read.rows, inScope, options.lang);
    const checked = { ...plan, problems: [...read.problems, ...plan.problems] };
    if (!options.dryRun) throw importFailed(checked.problems, t);
    return { report: report(checked, false, await digestOf(plan.items)), table };
  }
  const stored = await actor.db.transaction(async (tx) => {
    await tx.execute(IMPORT_LOCK);
    const plan = await planWith(tx, resource, read.rows, inScope, options.lang);
    if (plan.problems.length > 0) throw importFailed(plan.problems, t);
    const digest = await digestOf(plan.items);
    if (options.expectedPlan !== undefined && options.expectedPlan !== digest) {
      throw new AppError("CONFLICT", t.changedSincePreview, { details: { counts: plan.counts } });
    }
    const creates = plan.items.filter((item) => item.action === "create");
    const updates = plan.items.filter((item) => item.action === "update");
    const ids = await resource.insert(
      tx,
      creates.map((item) => item.fields),
    );
    creates.forEach((item, index) => {
      item.id = ids[index];
    });
    await resource.update(
      tx,
      updates.map((item) => ({ id: item.id as string, fields: item.fields })),
    );
    await recordImport(tx, actor, resource, table, plan);
    return { plan, digest };
  });
  return { report: report(stored.plan, true, stored.digest), table };
}

/** The 400 for a refused import: nothing was stored, here is every problem. */
export function importFailed(issues: ErrorIssue[], t = importMessages("en")): AppError {
  return new AppError("VALIDATION_FAILED", t.failed(issues.length), { issues: capped(issues, t) });
}

/** ONE audit entry per import: the file, the counts, the ids created, and each update's changes. */
async function recordImport(
  tx: Queryable,
  actor: Actor,
  resource: ImportResource,
  table: Table,
  plan: Plan,
): Promise<void> {
  const after = {
    file: { format: table.format, encoding: table.encoding ?? null },
    counts: plan.counts,
    created: plan.items.filter((i) => i.action === "create").map((i) => i.id),
    updated: plan.items
      .filter((i) => i.action === "update")
      .map((i) => ({
        id: i.id,
        changes: Object.fromEntries(i.changes.map((c) => [c.field, [c.from, c.to]])),
      })),
  };
  await recordAudit(tx, actor, {
    action: "import",
    entity: resource.entity,
    entityId: null,
    after,
  });
}
