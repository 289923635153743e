/**
 * The tallies of bench/tallies.ts answered by plain GROUP BY over the raw outcome records, and the
 * comparison of two answers (the rollups' and these).
 */
import type pg from "pg";
import { regionPrefix } from "../../src/domain/regions";
import type { Tally, TallyRequest } from "../../src/tallies/query";

export const MEASURES = [
  "events",
  "personTimes",
  "uniqueVolunteers",
  "volunteersAttended",
  "volunteerHours",
  "activeSocialWorkers",
  "communitiesReached",
] as const;
export type Measures = Record<(typeof MEASURES)[number], number>;
export interface Answer {
  totals: Measures;
  rows: Map<string, Measures>;
  awaitingSignOff: number;
}

export const zero = (): Measures =>
  Object.fromEntries(MEASURES.map((m) => [m, 0])) as unknown as Measures;

export function fromTally(result: Tally): Answer {
  const pick = (m: Tally["totals"]): Measures =>
    Object.fromEntries(MEASURES.map((k) => [k, Number(m[k] ?? 0)])) as unknown as Measures;
  const rows = new Map<string, Measures>();
  for (const row of result.rows) rows.set(row.month ?? row.region?.code ?? "", pick(row));
  return { totals: pick(result.totals), rows, awaitingSignOff: result.awaitingSignOff };
}

/** Differences between two answers (missing rows count as zeros), at most `limit`. */
export function differences(a: Answer, b: Answer, limit = 5): string[] {
  const out: string[] = [];
  const compare = (where: string, x: Measures, y: Measures) => {
    for (const m of MEASURES)
      if (x[m] !== y[m] && out.length < limit) out.push(`${where}.${m}: ${x[m]} ≠ ${y[m]}`);
  };
  compare("totals", a.totals, b.totals);
  for (const key of new Set([...a.rows.keys(), ...b.rows.keys()]))
    compare(key, a.rows.get(key) ?? zero(), b.rows.get(key) ?? zero());
  if (a.awaitingSignOff !== b.awaitingSignOff && out.length < limit)
    out.push(`awaitingSignOff: ${a.awaitingSignOff} ≠ ${b.awaitingSignOff}`);
  return out;
}

export type RawKey = "none" | "month" | "county";

/** The queries, with the totals as the grouping set (). */
export function rawQueries(request: TallyRequest, key: RawKey) {
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const params: string[] = [`${request.from}-01`, `${request.to}-01`];
  if (prefix) params.push(`${prefix}%`);
  const scope = `o.month between $1::date and $2::date${prefix ? " and o.region_code like $3" : ""}`;
  const where = `o.status = 'signed_off' and ${scope}`;
  const k =
    key === "month"
      ? "to_char(o.month, 'YYYY-MM')"
      : key === "county"
        ? "left(o.region_code, 6)"
        : undefined;
  const select = k ? `${k} as k, grouping(${k}) = 1 as total,` : "'' as k, true as total,";
  const groupBy = k ? `group by grouping sets ((${k}), ())` : "";
  return {
    params,
    base: `select ${select} count(*) as events, sum(o.volunteers_attended) as va,
             sum(o.volunteer_hours) as vh, count(distinct o.community_id) as communities,
             count(distinct o.lead_social_worker_id) as workers
             from outcomes o where ${where} ${groupBy}`,
    personTimes: `select ${select} sum(g.person_times) as pt
             from outcomes o join outcome_groups g on g.event_id = o.event_id
            where ${where} ${groupBy}`,
    volunteers: `select ${select} count(distinct v.volunteer_key) as uv
             from outcomes o join outcome_volunteers v on v.event_id = o.event_id
            where ${where} ${groupBy}`,
    pending: `select count(*) as n from outcomes o where o.status = 'recorded' and ${scope}`,
  };
}

export async function rawTally(pool: pg.Pool, request: TallyRequest, key: RawKey): Promise<Answer> {
  const q = rawQueries(request, key);
  type Row = { k: string; total: boolean } & Record<string, string | null>;
  const run = async (text: string) => (await pool.query<Row>(text, q.params)).rows;
  const base = await run(q.base);
  const personTimes = await run(q.personTimes);
  const volunteers = await run(q.volunteers);
  const pending = await run(q.pending);
  const answer: Answer = {
    totals: zero(),
    rows: new Map(),
    awaitingSignOff: Number(pending[0]?.n ?? 0),
  };
  const cell = (row: Row) => {
    if (row.total) return answer.totals;
    let found = answer.rows.get(row.k);
    if (!found) {
      found = zero();
      answer.rows.set(row.k, found);
    }
    return found;
  };
  for (const row of base) {
    const m = cell(row);
    m.events = Number(row.events ?? 0);
    m.volunteersAttended = Number(row.va ?? 0);
    m.volunteerHours = Number(row.vh ?? 0);
    m.communitiesReached = Number(row.communities ?? 0);
    m.activeSocialWorkers = Number(row.workers ?? 0);
  }
  for (const row of personTimes) cell(row).personTimes = Number(row.pt ?? 0);
  for (const row of volunteers) cell(row).uniqueVolunteers = Number(row.uv ?? 0);
  return answer;
}
