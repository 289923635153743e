import { and, asc, eq, gte, like, lte, or, type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import { tallyRegionFor } from "../auth/scope";
import type { Queryable } from "../db/client";
import { outcomes } from "../db/schema";
import { monthStart } from "../domain/months";
import { regionPrefix } from "../domain/regions";
import type { OutcomeStatus, ServiceType, TargetGroup } from "../domain/vocabulary";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { AppError } from "../lib/errors";
import { type PersonalDataKeys, pseudonym } from "../lib/personal-data";
import { suppressionCounty, withheldGroups } from "../tallies/suppression";
import { withheldCells } from "../tallies/withheld";

/*
 * 服务记录 in bulk, for departments and auditors who check a published figure against the records:
 * every outcome with its person-times by target group, hours, adjustments, sign-off, and the
 * directory volunteers and checked-in sign-ups that attended, as pseudonymous keys. Enough to
 * recompute every tally and the pilot summary (events held = signed off; adjustments count in
 * the month they are booked in). Scoped like the tallies.
 */

/** One outcome as the bulk records show it. */
export interface OutcomeRecord {
  eventId: string;
  communityId: string;
  regionCode: string;
  serviceType: ServiceType;
  leadSocialWorkerId: string;
  month: string;
  status: OutcomeStatus;
  signedOffAt: Date | null;
  personTimes: Partial<Record<TargetGroup, number>>;
  peopleServed: number | null;
  volunteersAttended: number;
  volunteerHours: number;
  /** Fields withheld by small-count suppression (`personTimes.elderly`, `peopleServed`). */
  suppressed?: string[];
  /** Pseudonymous keys of the identified volunteers: equal for one person across outcomes. */
  volunteers: string[];
  adjustments: {
    id: string;
    month: string;
    personTimes: Partial<Record<TargetGroup, number>>;
    volunteersAttendedDelta: number;
    volunteerHoursDelta: number;
    reason: string;
    createdAt: Date;
    suppressed?: string[];
  }[];
  revision: number;
}

/** What to list: a region (in scope), a period of months, a status; after a cursor. */
export interface RecordQuery {
  region?: string;
  from: string;
  to: string;
  status?: OutcomeStatus;
}

/** The most records one page holds. */
export const MAX_RECORDS_PAGE = 500;

interface Position {
  month: string;
  eventId: string;
}

const CURSOR = /^(\d{4}-\d{2})~([0-9a-f-]{36})$/;

/** An opaque cursor: the last record's month and event id. */
export function encodeRecordCursor(position: Position): string {
  return encodeCursor(`${position.month}~${position.eventId}`);
}

function decodeRecordCursor(cursor: string): Position {
  const text = decodeCursor(cursor);
  const match = CURSOR.exec(text);
  if (!match)
    throw new AppError("VALIDATION_FAILED", "the cursor is not one this API gave out", {
      issues: [{ path: "cursor", message: "pass `page.nextCursor` from the previous page as is" }],
    });
  return { month: match[1] as string, eventId: match[2] as string };
}

/**
 * Outcomes of events in the period, and those with an adjustment booked in it (an adjustment
 * counts in the month it is booked in), ordered by the event's month and id: a key no write
 * changes, so a walk with the cursor never repeats or skips a record that existed when it began.
 */
function recordsWhere(prefix: string | undefined, query: RecordQuery, after?: Position) {
  const from = monthStart(query.from);
  const to = monthStart(query.to);
  const adjustedInPeriod = sql`exists (select 1 from outcome_adjustments a where a.event_id = "outcomes"."event_id" and a.month between ${from} and ${to})`;
  const conditions: (SQL | undefined)[] = [
    prefix ? like(outcomes.regionCode, `${prefix}%`) : undefined,
    or(and(gte(outcomes.month, from), lte(outcomes.month, to)), adjustedInPeriod),
    query.status ? eq(outcomes.status, query.status) : undefined,
    after
      ? sql`(${outcomes.month}, ${outcomes.eventId}) > (${monthStart(after.month)}::date, ${after.eventId}::uuid)`
      : undefined,
  ];
  return and(...conditions);
}

type Keyed = Omit<OutcomeRecord, "volunteers"> & { volunteerKeys: string[] };

async function readPage(
  db: Queryable,
  prefix: string | undefined,
  query: RecordQuery,
  after: Position | undefined,
  limit: number,
): Promise<Keyed[]> {
  const rows = await db
    .select({
      eventId: outcomes.eventId,
      communityId: outcomes.communityId,
      regionCode: outcomes.regionCode,
      serviceType: outcomes.serviceType,
      leadSocialWorkerId: outcomes.leadSocialWorkerId,
      month: sql<string>`to_char(${outcomes.month}, 'YYYY-MM')`,
      status: outcomes.status,
      signedOffAt: outcomes.signedOffAt,
      peopleServed: outcomes.peopleServed,
      volunteersAttended: outcomes.volunteersAttended,
      volunteerHours: outcomes.volunteerHours,
      revision: outcomes.revision,
      // Raw subqueries correlated by the qualified outer column: drizzle writes bare column names
      // in a select, which inside a subquery would name the inner table's own column.
      personTimes: sql<Record<
        string,
        number
      > | null>`(select jsonb_object_agg(g.target_group, g.person_times) from outcome_groups g where g.event_id = "outcomes"."event_id")`,
      volunteerKeys: sql<
        string[] | null
      >`(select array_agg(k.volunteer_key) from outcome_volunteers k where k.event_id = "outcomes"."event_id")`,
      adjustments: sql<RawAdjustment[] | null>`(select jsonb_agg(jsonb_build_object(
          'id', a.id,
          'month', to_char(a.month, 'YYYY-MM'),
          'attended', a.volunteers_attended_delta,
          'hours', a.volunteer_hours_delta,
          'reason', a.reason,
          'createdAt', a.created_at,
          'personTimes', (select jsonb_object_agg(ag.target_group, ag.person_times_delta) from outcome_adjustment_groups ag where ag.adjustment_id = a.id)
        ) order by a.created_at, a.id) from outcome_adjustments a where a.event_id = "outcomes"."event_id")`,
    })
    .from(outcomes)
    .where(recordsWhere(prefix, query, after))
    .orderBy(asc(outcomes.month), asc(outcomes.eventId))
    .limit(limit);
  return rows.map((row) => ({
    ...row,
    volunteerHours: Number(row.volunteerHours),
    personTimes: numbers(row.personTimes),
    volunteerKeys: row.volunteerKeys ?? [],
    adjustments: (row.adjustments ?? []).map((a) => ({
      id: a.id,
      month: a.month,
      personTimes: numbers(a.personTimes),
      volunteersAttendedDelta: Number(a.attended),
      volunteerHoursDelta: Number(a.hours),
      reason: a.reason,
      createdAt: new Date(a.createdAt),
    })),
  }));
}

interface RawAdjustment {
  id: string;
  month: string;
  attended: number;
  hours: number | string;
  reason: string;
  createdAt: string;
  personTimes: Record<string, number> | null;
}

function numbers(groups: Record<string, number> | null): Partial<Record<TargetGroup, number>> {
  return Object.fromEntries(
    Object.entries(groups ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, n]) => [group, Number(n)]),
  );
}

/**
 * Replaces stored volunteer keys by their pseudonyms (sorted, so a record's list says nothing of
 * the order people were recorded in), remembering each across the pages of one walk.
 */
function pseudonymiser(keys: PersonalDataKeys) {
  const known = new Map<string, Promise<string>>();
  return async (record: Keyed): Promise<OutcomeRecord> => {
    const { volunteerKeys, ...rest } = record;
    const names = await Promise.all(
      volunteerKeys.map((key) => {
        let name = known.get(key);
        if (!name) {
          name = pseudonym(keys, key);
          known.set(key, name);
        }
        return name;
      }),
    );
    return { ...rest, volunteers: names.sort() };
  };
}

/**
 * Small-count suppression for a county-or-lower department (tallies/suppression.ts): a record
 * shows no sensitive group's person-times and no other group's where its tally cell is withheld,
 * and not the people served (which would bound them); so the records give away nothing of a
 * withheld cell that the tallies do not.
 */
async function withhold(
  reader: { db: Queryable; principal: Principal },
  rows: Keyed[],
): Promise<Keyed[]> {
  const county = suppressionCounty(reader.principal);
  if (!county || rows.length === 0) return rows;
  const months = rows.flatMap((r) => [r.month, ...r.adjustments.map((a) => a.month)]).sort();
  const hidden = await withheldCells(reader.db, county, {
    from: months[0] as string,
    to: months.at(-1) as string,
  });
  const cut = (personTimes: Keyed["personTimes"], month: string, row: Keyed) => {
    const groups = withheldGroups(row.regionCode, month, row.serviceType, hidden);
    const shown = Object.fromEntries(
      Object.entries(personTimes).filter(([g]) => !groups.includes(g as TargetGroup)),
    );
    return { personTimes: shown, suppressed: groups.map((g) => `personTimes.${g}`) };
  };
  return rows.map((row) => {
    const own = cut(row.personTimes, row.month, row);
    return {
      ...row,
      personTimes: own.personTimes,
      peopleServed: null,
      suppressed: [...own.suppressed, "peopleServed"],
      adjustments: row.adjustments.map((a) => ({ ...a, ...cut(a.personTimes, a.month, row) })),
    };
  });
}

/** The region prefix a caller may read records of (404 outside its scope, like the tallies). */
function prefixFor(principal: Principal, region: string | undefined): string | undefined {
  const code = tallyRegionFor(principal, region);
  return code ? regionPrefix(code) : undefined;
}

/** One page of records after `cursor`, and the cursor of the next page (null on the last). */
export async function outcomeRecords(
  reader: { db: Queryable; keys: PersonalDataKeys; principal: Principal },
  query: RecordQuery & { cursor?: string; limit: number },
): Promise<{ data: OutcomeRecord[]; page: { limit: number; nextCursor: string | null } }> {
  const prefix = prefixFor(reader.principal, query.region);
  const after = query.cursor ? decodeRecordCursor(query.cursor) : undefined;
  const rows = await withhold(
    reader,
    await readPage(reader.db, prefix, query, after, query.limit + 1),
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const named = pseudonymiser(reader.keys);
  return {
    data: await Promise.all(page.map(named)),
    page: { limit: query.limit, nextCursor: more && last ? encodeRecordCursor(last) : null },
  };
}

/**
 * Every record of a region and period, a page at a time, for a streamed export: the scope is
 * checked before the first row is read, so a refusal is an ordinary error response.
 */
export function outcomeRecordWalk(
  reader: { db: Queryable; keys: PersonalDataKeys; principal: Principal },
  query: RecordQuery,
  pageSize = MAX_RECORDS_PAGE,
): AsyncGenerator<OutcomeRecord[]> {
  const prefix = prefixFor(reader.principal, query.region);
  const named = pseudonymiser(reader.keys);
  return (async function* () {
    let after: Position | undefined;
    for (;;) {
      const rows = await withhold(
        reader,
        await readPage(reader.db, prefix, query, after, pageSize),
      );
      if (rows.length > 0) yield await Promise.all(rows.map(named));
      const last = rows.at(-1);
      if (rows.length < pageSize || !last) return;
      after = last;
    }
  })();
}
