import { normaliseWord } from "../../domain/synonyms";
import type { ErrorIssue } from "../../lib/errors";
import type { CountyReference } from "./columns";
import type { ImportMessages } from "./messages";
import type { ExistingRecord, Fields, ImportResource } from "./resource";
import type { ReadRow } from "./table";

/** A county as the import resolves names and checks scope. */
export interface County {
  code: string;
  name: string;
  cityName: string;
}

/** What a plan is checked against: the directory as it is, and the importer's region. */
export interface References {
  counties: County[];
  /** Organisation name → id. */
  organisations: Map<string, string>;
  existing: ExistingRecord[];
  /** True when a county lies inside the importer's region. */
  inScope(countyCode: string): boolean;
}

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

export type PlanAction = "create" | "update" | "unchanged";

/** What one row will do. `fields` are the record's values after the import. */
export interface PlanItem {
  row: number;
  action: PlanAction;
  id?: string;
  fields: Fields;
  changes: Change[];
}

export interface Plan {
  items: PlanItem[];
  problems: ErrorIssue[];
  counts: Record<PlanAction, number>;
}

/** The shown name of a county: `210106 沈阳市铁西区`. */
export const countyLabel = (county: County) => `${county.code} ${county.cityName}${county.name}`;

function countyResolver(references: References, t: ImportMessages) {
  const byCode = new Map(references.counties.map((c) => [c.code, c]));
  const byName = new Map<string, County[]>();
  for (const county of references.counties) {
    for (const name of [county.name, `${county.cityName}${county.name}`]) {
      const key = normaliseWord(name);
      byName.set(key, [...(byName.get(key) ?? []), county]);
    }
  }
  return (reference: CountyReference): { code: string } | { problem: string } => {
    const found = "code" in reference ? [byCode.get(reference.code)] : byName.get(reference.name);
    const counties = (found ?? []).filter((c): c is County => c !== undefined);
    if (counties.length === 0) return { problem: t.noCounty };
    const inScope = counties.filter((c) => references.inScope(c.code));
    if (inScope.length === 0) return { problem: t.outsideRegion };
    if (inScope.length > 1) return { problem: t.ambiguousCounty(inScope.map(countyLabel)) };
    return { code: (inScope[0] as County).code };
  };
}

const sameValue = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && [...a].sort().join("\u0000") === [...b].sort().join("\u0000")
    : (a ?? null) === (b ?? null);

function indexBy(records: ExistingRecord[], keyOf: (fields: Fields) => string | undefined) {
  const index = new Map<string, ExistingRecord[]>();
  for (const record of records) {
    const key = keyOf(record.fields);
    if (key !== undefined) index.set(key, [...(index.get(key) ?? []), record]);
  }
  return index;
}

/**
 * Decides, for every valid row, whether it creates a record, updates the one with the same
 * stable key, or leaves it as it is, and lists every problem by row and column: counties and
 * organisations that do not exist or lie outside the importer's region, a key given twice, a
 * record of another region. Pure: the caller loads the references and stores the plan.
 */
export function planImport(
  resource: ImportResource,
  rows: ReadRow[],
  references: References,
  t: ImportMessages,
): Plan {
  const resolveCounty = countyResolver(references, t);
  const keyed = indexBy(references.existing, resource.keyOf);
  const legacyKeyOf = resource.legacyKeyOf;
  const legacy = legacyKeyOf
    ? indexBy(
        references.existing.filter((r) => resource.keyOf(r.fields) === undefined),
        legacyKeyOf,
      )
    : new Map<string, ExistingRecord[]>();
  const firstRowOfKey = new Map<string, number>();
  const claimed = new Map<string, number>();
  const problems: ErrorIssue[] = [];
  const items: PlanItem[] = [];

  for (const { row, values, complete } of rows) {
    const given: Fields = {};
    const before = problems.length;
    for (const [key, value] of Object.entries(values)) {
      const field = resource.fieldOf[key] ?? key;
      if (field === resource.countyField) {
        const county = resolveCounty(value as CountyReference);
        if ("code" in county) given[field] = county.code;
        else problems.push({ row, path: key, message: county.problem });
      } else if (field === "organisationId") {
        const id = references.organisations.get(String(value));
        if (id) given[field] = id;
        else problems.push({ row, path: key, message: t.noOrganisation });
      } else given[field] = value;
    }
    if (problems.length > before || !complete) continue;

    const key = resource.keyOf(given) as string;
    const keyColumn = resource.keyColumn;
    const first = firstRowOfKey.get(key);
    if (first !== undefined) {
      problems.push({ row, path: keyColumn, message: t.duplicateKey(first) });
      continue;
    }
    firstRowOfKey.set(key, row);
    const legacyKey = legacyKeyOf?.(given);
    const candidates = keyed.get(key) ?? (legacyKey ? legacy.get(legacyKey) : undefined) ?? [];
    if (candidates.length > 1) {
      problems.push({ row, path: keyColumn, message: t.ambiguousMatch(candidates.length) });
      continue;
    }
    const match = candidates[0];
    if (match && !references.inScope(String(match.fields[resource.countyField]))) {
      problems.push({ row, path: keyColumn, message: t.keyElsewhere });
      continue;
    }
    if (match) {
      const claimedBy = claimed.get(match.id);
      if (claimedBy !== undefined) {
        problems.push({ row, path: keyColumn, message: t.duplicateKey(claimedBy) });
        continue;
      }
      claimed.set(match.id, row);
    }
    // Being on the office's list means being active again; blank cells keep what is stored.
    const fields: Fields = { ...resource.defaults, ...match?.fields, ...given, active: true };
    const changes = match
      ? [...resource.fields, "active"]
          .filter((field) => !sameValue(match.fields[field], fields[field]))
          .map((field) => ({ field, from: match.fields[field] ?? null, to: fields[field] ?? null }))
      : [];
    const action: PlanAction = !match ? "create" : changes.length > 0 ? "update" : "unchanged";
    items.push({ row, action, id: match?.id, fields, changes });
  }
  const counts = { create: 0, update: 0, unchanged: 0 };
  for (const item of items) counts[item.action]++;
  return { items, problems, counts };
}
