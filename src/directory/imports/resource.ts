import type { Queryable } from "../../db/client";
import type { Column } from "./columns";

/** The two directory lists that offices import. */
export const importResources = ["social-workers", "volunteer-teams"] as const;
export type ImportResourceName = (typeof importResources)[number];

/** A record's fields as the import compares them (camelCase, as in the schema). */
export type Fields = Record<string, unknown>;

/** A directory record an import row may match. */
export interface ExistingRecord {
  id: string;
  fields: Fields;
}

/** How one resource's list maps to its table: columns, stable key, and the reads and writes. */
export interface ImportResource {
  name: ImportResourceName;
  /** The audit log's entity name. */
  entity: "social_worker" | "volunteer_team";
  title: { zh: string; en: string };
  columns: readonly Column[];
  /** Column key → record field. */
  fieldOf: Record<string, string>;
  /** The fields an import sets and compares, in the order a preview shows them. */
  fields: readonly string[];
  /** Values of a new record for the optional columns left blank. */
  defaults: Fields;
  countyField: string;
  /** The column a duplicate or unmatched key is reported on. */
  keyColumn: string;
  /**
   * The stable key (documented in the README): the same key in a later file means the same
   * record. `undefined` for an existing record that has none yet.
   */
  keyOf(fields: Fields): string | undefined;
  /** A second way to find a record that has no key yet (imported or typed in before keys). */
  legacyKeyOf?(fields: Fields): string | undefined;
  /** The records the rows could match. */
  load(db: Queryable, rows: Fields[]): Promise<ExistingRecord[]>;
  insert(tx: Queryable, rows: Fields[]): Promise<string[]>;
  update(tx: Queryable, rows: { id: string; fields: Fields }[]): Promise<void>;
}
