/**
 * Data for the tallies benchmark (bench/tallies.ts): China's provinces, cities and 2,975 counties
 * as region rows, counties of skewed sizes with one pilot and 1–24 other communities each, their
 * lead social workers, and any number of outcome records generated inside PostgreSQL by
 * INSERT … SELECT generate_series.
 *
 * The shape is what the tallies are built for: outcomes come in bursts of several events by one
 * community in one month (a community's active months), mostly of its two main service types, led
 * mostly by its own social worker, attended mostly by its own volunteers. Every attribute of
 * outcome n is a pseudo-random but deterministic function of n (hashint8extended), so
 * outcome_groups and outcome_volunteers are generated from n alone, without joining back to
 * outcomes, and every run builds the same data. Months grow with n, as records are written over
 * time.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { serviceTypes, targetGroups } from "../../src/domain/vocabulary";

const countiesCsv = fileURLToPath(
  new URL("../../scripts/seed/data/china-counties.csv", import.meta.url),
);

/** GB/T 2260 province-level divisions (the county list has no names above the county). */
const PROVINCES: Record<string, string> = {
  "11": "北京市",
  "12": "天津市",
  "13": "河北省",
  "14": "山西省",
  "15": "内蒙古自治区",
  "21": "辽宁省",
  "22": "吉林省",
  "23": "黑龙江省",
  "31": "上海市",
  "32": "江苏省",
  "33": "浙江省",
  "34": "安徽省",
  "35": "福建省",
  "36": "江西省",
  "37": "山东省",
  "41": "河南省",
  "42": "湖北省",
  "43": "湖南省",
  "44": "广东省",
  "45": "广西壮族自治区",
  "46": "海南省",
  "50": "重庆市",
  "51": "四川省",
  "52": "贵州省",
  "53": "云南省",
  "54": "西藏自治区",
  "61": "陕西省",
  "62": "甘肃省",
  "63": "青海省",
  "64": "宁夏回族自治区",
  "65": "新疆维吾尔自治区",
};

export interface County {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}

export function readCounties(): County[] {
  const records: Record<"code" | "name" | "city_code" | "province_code", string>[] = parse(
    readFileSync(countiesCsv, "utf8"),
    { columns: true },
  );
  return records
    .map((r) => ({
      code: r.code,
      name: r.name,
      cityCode: r.city_code,
      provinceCode: r.province_code,
    }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

/** First month of the generated data, and how many months it spans (2023-01 … 2025-12). */
export const FIRST_MONTH = "2023-01-01";
export const MONTHS = 36;
/** Events of a community in a month it is active in, on average (skewed: 1 to dozens). */
export const EVENTS_PER_ACTIVE_MONTH = 6;
/** Other communities per county: 1 to this many, most counties few, some many. */
export const MAX_OTHER_COMMUNITIES = 24;
/** How much more often a pilot community holds events than another one. */
export const PILOT_ACTIVITY = 4;
/** Volunteers a community draws on (85% of attendances; 12% another community of the county, 3%
 * the next county's). */
export const VOLUNTEERS_PER_COMMUNITY = 12;
/** Share of outcomes left `recorded` (waiting for sign-off), spread over every month. */
export const RECORDED_PER_MILLE = 10;

/**
 * Region rows (provinces with their names, cities with synthetic names, counties with theirs),
 * one street per county and its communities (synthetic codes county+'001'+'0kk', k = 1 the pilot),
 * the directory's communities and social workers, and helper tables: bench_counties (idx → code,
 * size), bench_communities (idx → id, code, county) and bench_pick (how often each community is
 * drawn: a pilot PILOT_ACTIVITY times). Social worker ids are derived from (county idx, k) by
 * bench_uuid(), so generators compute them inline (community ids come from bench_communities).
 */
export async function loadDirectory(client: pg.ClientBase, counties: County[]): Promise<void> {
  const cities = new Map<string, string>();
  for (const county of counties) cities.set(county.cityCode, county.provinceCode);
  const rows: [string, string, string, string | null][] = [
    ...Object.entries(PROVINCES).map(
      ([p, name]) => [`${p}0000`, name, "province", null] as [string, string, string, null],
    ),
    ...[...cities].map(
      ([code, province]) =>
        [code, `${PROVINCES[province.slice(0, 2)] ?? ""}${code}市`, "city", province] as [
          string,
          string,
          string,
          string,
        ],
    ),
    ...counties.map(
      (c) => [c.code, c.name, "county", c.cityCode] as [string, string, string, string],
    ),
  ];
  await client.query(
    `insert into regions (code, name, level, parent_code)
     select * from unnest($1::varchar[], $2::text[], $3::region_level[], $4::varchar[])`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
  await client.query(
    `create function bench_h(n bigint, seed bigint) returns bigint
       language sql immutable parallel safe
       as $$ select hashint8extended(n, seed) & 2147483647 $$;
     create function bench_u(n bigint, seed bigint) returns double precision
       language sql immutable parallel safe
       as $$ select (hashint8extended(n, seed) & 2147483647) / 2147483648.0 $$;
     -- A uuid of kind (1 event, 3 social worker, 4 volunteer) and n < 2^56: pseudo-random in its
     -- first half (index positions spread as a random uuid's do), kind and n in its second, so
     -- unique. A third of md5's cost (md5 was about half of generating the outcome tables), when
     -- inlined: it uses n twice, so callers pass a column, not an expression (OFFSET 0 keeps the
     -- subquery that computes it from being pulled up into the call).
     create function bench_uuid(kind bigint, n bigint) returns uuid
       language sql immutable parallel safe
       as $$ select encode(int8send(hashint8extended(n, kind)) || int8send((kind << 56) | n), 'hex')::uuid $$;
     -- Skewed sizes: most counties have a few communities, some many (u^3).
     create table bench_counties (idx int primary key, code varchar(6) not null,
                                  communities int not null, workers int not null,
                                  first_community int not null, next_first int);
     insert into bench_counties
       select idx, code, n, 2 + n / 4, (sum(n) over (order by idx) - n)::int
         from (select (row_number() over (order by code))::int - 1 as idx, code
                 from regions where level = 'county') c,
              lateral (select 2 + floor(${MAX_OTHER_COMMUNITIES - 1} * bench_u(c.idx, 101) ^ 3)::int as n) s;
     -- The next county's first community (the last county's next is the first county).
     update bench_counties c set next_first = coalesce(
       (select d.first_community from bench_counties d where d.idx = c.idx + 1), 0);
     create table bench_communities (idx int primary key, county int not null, k int not null,
                                     id uuid not null, code varchar(12) not null,
                                     county_code varchar(6) not null, pilot boolean not null);
     insert into bench_communities
       select c.first_community + k, c.idx, k, md5('c' || c.idx || ':' || k)::uuid,
              c.code || '001' || lpad((k + 1)::text, 3, '0'), c.code, k = 0
         from bench_counties c, generate_series(0, c.communities - 1) k;
     create table bench_pick (i int primary key, community int not null);
     insert into bench_pick
       select (row_number() over (order by b.idx, r))::int - 1, b.idx
         from bench_communities b,
              generate_series(1, case when b.pilot then ${PILOT_ACTIVITY} else 1 end) r;
     insert into regions (code, name, level, parent_code)
       select code || '001', name || '第一街道', 'street', code
         from regions where level = 'county';
     insert into regions (code, name, level, parent_code)
       select b.code, r.name || '第' || (b.k + 1) || '社区', 'community', b.county_code || '001'
         from bench_communities b join regions r on r.code = b.county_code;
     insert into communities (id, region_code, county_code, name, is_pilot)
       select b.id, b.code, b.county_code, r.name || '第' || (b.k + 1) || '社区', b.pilot
         from bench_communities b join regions r on r.code = b.county_code;
     insert into social_workers (id, name, certificate_level, skills, home_county_code)
       select bench_uuid(3, c.idx * 1000 + k), '社工' || c.code || '-' || k, 'intermediate',
              '{}', c.code
         from bench_counties c, generate_series(0, c.workers - 1) k;
     analyze regions; analyze communities; analyze social_workers; analyze bench_counties;
     analyze bench_communities; analyze bench_pick;`,
  );
}

const sqlArray = (values: readonly string[], type: string) =>
  `(array[${values.map((v) => `'${v}'`).join(",")}]::${type}[])`;

/** Seeds of the per-outcome hashes. */
const H = {
  slot: 1,
  pick: 2,
  service: 3,
  worker: 4,
  status: 5,
  groupCount: 6,
  groupStart: 7,
  personTimes: 8,
  volunteerCount: 9,
  volunteerPick: 10,
  extraAttended: 11,
  hours: 12,
  people: 13,
  mainService: 14,
  secondService: 15,
  ownWorker: 16,
  volunteerFrom: 17,
  otherCommunity: 18,
} as const;

export interface OutcomeRange {
  /** First and last n (inclusive). */
  from: number;
  to: number;
  /** Outcomes n = 1 … total spread their months over MONTHS (month grows with n). */
  total: number;
  /** Overrides the month and status of every outcome in the range (the write test). */
  month?: string;
  status?: "recorded" | "signed_off";
}

/** The `select` that yields n and the outcome columns (`outcomeColumns`) for n in the range. */
export const outcomeColumns = `event_id, community_id, region_code, service_type, lead_social_worker_id,
  month, people_served, volunteers_attended, volunteer_hours, status, signed_off_at`;

/**
 * n, its month index (0 … MONTHS-1) and its community (bench_communities): outcome n falls in a
 * slot of its month, and each slot is one community's burst of events. Slots per month are
 * outcomes per month / EVENTS_PER_ACTIVE_MONTH, the first ones drawn more often (u^1.3), so
 * bursts run from one event to dozens; each slot draws its community from bench_pick.
 */
function baseSelect(range: OutcomeRange): string {
  const perMonth = Math.max(1, range.total / MONTHS);
  const slots = Math.max(1, Math.round(perMonth / EVENTS_PER_ACTIVE_MONTH));
  const monthIndex = range.month
    ? `(extract(year from date '${range.month}') * 12 + extract(month from date '${range.month}') - ${
        Number(FIRST_MONTH.slice(0, 4)) * 12 + Number(FIRST_MONTH.slice(5, 7))
      })::int`
    : `least(${MONTHS - 1}, ((n - 1) * ${MONTHS} / ${range.total}))::int`;
  return `select s.n, s.mi, b.idx as community, b.county, b.k, b.code, b.id as community_id,
                 c.code as county_code, c.communities as county_communities, c.workers,
                 c.next_first
            from (select n, mi,
                         bench_h(mi * 1000003 + floor(${slots} * bench_u(n, ${H.slot}) ^ 1.3)::bigint, ${H.pick})
                           % (select count(*) from bench_pick) as pick
                    from (select n, ${monthIndex} as mi
                            from generate_series(${range.from}::bigint, ${range.to}::bigint) n) n0) s
            join bench_pick p on p.i = s.pick
            join bench_communities b on b.idx = p.community
            join bench_counties c on c.idx = b.county`;
}

export function outcomeSelect(range: OutcomeRange): string {
  const status = range.status
    ? `'${range.status}'::outcome_status`
    : `(case when bench_h(n, ${H.status}) % 1000 < ${RECORDED_PER_MILLE} then 'recorded' else 'signed_off' end)::outcome_status`;
  const types = sqlArray(serviceTypes, "service_type");
  const t = serviceTypes.length;
  // A community's main service type (55%), its second (30%), any (15%).
  const service = `${types}[1 + case
      when bench_h(n, ${H.service}) % 100 < 55 then bench_h(community, ${H.mainService}) % ${t}
      when bench_h(n, ${H.service}) % 100 < 85 then bench_h(community, ${H.secondService}) % ${t}
      else bench_h(n, ${H.service} + 100) % ${t} end]`;
  return `select n, bench_uuid(1, n) as event_id, community_id, code as region_code,
       ${service} as service_type, bench_uuid(3, worker) as lead_social_worker_id, month,
       case when bench_h(n, ${H.people}) % 10 < 3 then null else 5 + bench_h(n, ${H.people}) % 120 end as people_served,
       attended as volunteers_attended,
       (attended * (1 + bench_h(n, ${H.hours}) % 8))::numeric / 2 as volunteer_hours,
       status,
       case when status = 'signed_off' then month + interval '20 days' end as signed_off_at
  from (select x.*, (date '${FIRST_MONTH}' + make_interval(months => mi))::date as month,
               ${status} as status,
               1 + bench_h(n, ${H.volunteerCount}) % 4 + bench_h(n, ${H.extraAttended}) % 6 as attended,
               county * 1000 + case when bench_h(n, ${H.ownWorker}) % 100 < 70
                 then bench_h(community, ${H.ownWorker}) % workers
                 else bench_h(n, ${H.worker}) % workers end as worker
          from (${baseSelect(range)}) x
        offset 0) o`;
}

/** 1–3 distinct target groups per outcome, 1–200 person-times each. */
export function groupsSelect(range: OutcomeRange): string {
  const groups = targetGroups.length;
  return `select n, bench_uuid(1, n) as event_id,
       ${sqlArray(targetGroups, "target_group")}[1 + (bench_h(n, ${H.groupStart}) + j * 3) % ${groups}] as target_group,
       (1 + bench_h(n * 4 + j, ${H.personTimes}) % 200)::int as person_times
  from generate_series(${range.from}::bigint, ${range.to}::bigint) n, generate_series(0, 2) j
 where j <= bench_h(n, ${H.groupCount}) % 3`;
}

/**
 * 1–4 distinct volunteers per outcome: from its community's VOLUNTEERS_PER_COMMUNITY (85%),
 * another community of its county's (12%) or one of the next county's (3%). A volunteer's key is
 * a uuid derived from (community, k) by bench_uuid(), as text (the shape of a surrogate key; a
 * keyed hash of the mobile is 64 hex characters).
 */
export function volunteersSelect(range: OutcomeRange): string {
  const v = VOLUNTEERS_PER_COMMUNITY;
  return `select n, bench_uuid(1, n) as event_id, bench_uuid(4, volunteer)::text as volunteer_key
  from (select n, case
                 when bench_h(n * 4 + j, ${H.volunteerFrom}) % 100 < 85 then community
                 when bench_h(n * 4 + j, ${H.volunteerFrom}) % 100 < 97
                   then community - k + bench_h(n * 4 + j, ${H.otherCommunity}) % county_communities
                 else next_first
               end * 100 + (bench_h(n, ${H.volunteerPick}) + j * 5) % ${v} as volunteer
          from (${baseSelect(range)}) b, generate_series(0, 3) j
         where j <= bench_h(n, ${H.volunteerCount}) % 4
        offset 0) v`;
}
/** Indexes and constraints of a table, to drop before a bulk load and re-create after it. */
export interface TableDdl {
  table: string;
  /** [name, definition] of its primary key and other non-FK constraints backed by an index. */
  constraints: [string, string][];
  /** CREATE INDEX statements of indexes that back no constraint. */
  indexes: [string, string][];
}

export async function tableDdl(client: pg.ClientBase, table: string): Promise<TableDdl> {
  const { rows: constraints } = await client.query<{ name: string; def: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = $1::regclass and contype in ('p', 'u')`,
    [table],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid = $1::regclass
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [table],
  );
  return {
    table,
    constraints: constraints.map((r) => [r.name, r.def]),
    indexes: indexes.map((r) => [r.name, r.def]),
  };
}

export async function dropIndexes(client: pg.ClientBase, ddl: TableDdl): Promise<void> {
  for (const [name] of ddl.indexes) await client.query(`drop index if exists "${name}"`);
  for (const [name] of ddl.constraints)
    await client.query(`alter table "${ddl.table}" drop constraint if exists "${name}"`);
}

export async function createIndexes(client: pg.ClientBase, ddl: TableDdl): Promise<void> {
  for (const [name, def] of ddl.constraints)
    await client.query(`alter table "${ddl.table}" add constraint "${name}" ${def}`);
  for (const [, def] of ddl.indexes) await client.query(def);
}

/** Foreign keys from or to the given tables, as [table, name, definition]. */
export async function foreignKeys(
  client: pg.ClientBase,
  tables: string[],
): Promise<[string, string, string][]> {
  const { rows } = await client.query<{ tbl: string; name: string; def: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
       from pg_constraint
      where contype = 'f' and (conrelid = any($1::regclass[]) or confrelid = any($1::regclass[]))
      order by 1, 2`,
    [tables],
  );
  return rows.map((r) => [r.tbl, r.name, r.def]);
}
