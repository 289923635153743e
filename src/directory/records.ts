import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Actor } from "../auth/actor";
import type { Scope } from "../auth/principal";
import type { Queryable } from "../db/client";
import { changeWithAudit, createWithAudit } from "../lib/audit";

type DirectoryTable = PgTable & { id: PgColumn; updatedAt: PgColumn };

interface RecordSpec<Table extends DirectoryTable, Row extends { id: string }> {
  table: Table;
  /** What the API shows of a row (and what the audit log keeps). */
  columns: Record<string, PgColumn>;
  entity: string;
  label: string;
  /** The row in the caller's scope, optionally locked; undefined when missing or out of scope. */
  find(
    db: Queryable,
    scope: Scope,
    id: string,
    options: { forUpdate?: boolean },
  ): Promise<Row | undefined>;
}

/**
 * The two state changes every directory resource has — add a row, change (or deactivate) one —
 * each in one transaction with its audit entry. Out-of-scope rows are 404s, as missing ones.
 */
export function directoryRecords<Table extends DirectoryTable, Row extends { id: string }>(
  spec: RecordSpec<Table, Row>,
) {
  return {
    /** Inserts one row and returns it as the API shows it. */
    async create(actor: Actor, values: Table["$inferInsert"]): Promise<Row> {
      const [created] = await createWithAudit(actor, spec.entity, async (tx) => {
        const rows = await tx.insert(spec.table).values(values).returning(spec.columns);
        return rows as unknown as Row[];
      });
      if (!created) throw new Error(`${spec.entity} insert returned no row`);
      return created;
    },
    /** Changes one row in the actor's scope (`action`: update, deactivate), audited before/after. */
    change(
      actor: Actor,
      id: string,
      action: string,
      changes: Partial<Table["$inferInsert"]>,
    ): Promise<Row> {
      return changeWithAudit(actor, {
        entity: spec.entity,
        label: spec.label,
        action,
        entityId: id,
        find: (tx) => spec.find(tx, actor.principal.scope, id, { forUpdate: true }),
        apply: async (tx) => {
          const [after] = await tx
            .update(spec.table)
            .set({ ...changes, updatedAt: actor.now } as never)
            .where(eq(spec.table.id, id))
            .returning(spec.columns);
          return after as unknown as Row | undefined;
        },
      });
    },
  };
}
