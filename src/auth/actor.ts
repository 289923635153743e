import type { Queryable } from "../db/client";
import type { PersonalDataKeys } from "../lib/personal-data";
import type { Principal } from "./principal";

/**
 * What every service function receives instead of a Hono Context: a database (or a transaction
 * of one), the request id for the audit log, the clock, and the personal-data keys. Built once per
 * request by {@link callerOf} / {@link actorOf}, by the Cron job with its scheduled time, and by
 * tests and scripts directly.
 */
export interface Caller {
  db: Queryable;
  requestId: string;
  now: Date;
  keys: PersonalDataKeys;
}

/** A caller who signed in (API token or staff session): every staff change is audited as theirs. */
export interface Actor extends Caller {
  principal: Principal;
}

/** The request-scoped variables an actor is built from (the API's and the pages' alike). */
interface RequestVariables {
  db: Queryable;
  now?: Date;
  requestId: string;
  personalDataKeys: PersonalDataKeys;
  principal?: Principal;
}

/** The caller of a request with no sign-in (a volunteer's form, a private link). */
export function callerOf(c: { var: RequestVariables }, now = c.var.now ?? new Date()): Caller {
  return {
    db: c.var.db,
    requestId: c.var.requestId,
    now,
    keys: c.var.personalDataKeys,
  };
}

/** The signed-in actor of a request; throws if the route forgot its authentication middleware. */
export function actorOf(c: { var: RequestVariables }, now = c.var.now ?? new Date()): Actor {
  const principal = c.var.principal;
  if (!principal) throw new Error("actorOf: no principal (is the route behind requireAuth?)");
  return { ...callerOf(c, now), principal };
}

/** The same actor working inside a transaction (services that call other services pass this). */
export function within<T extends Caller>(actor: T, tx: Queryable): T {
  return { ...actor, db: tx };
}
