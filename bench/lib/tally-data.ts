/**
 * Data for the tallies benchmark (bench/tallies.ts): China's provinces, cities and 2,975 counties
 * as region rows, 1–3 synthetic communities and 4 lead social workers per county, and any number
 * of outcome records generated inside PostgreSQL by INSERT … SELECT generate_series.
 *
 * Every attribute of outcome n is a pseudo-random but deterministic function of n
 * (hashint8extended), so outcome_groups and outcome_volunteers are generated from n alone, without
 * joining back to outcomes, and every run builds the same data. Months grow with n, as records are
 * written over time.
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
/** Volunteers per county that outcomes draw their attending volunteers' keys from. */
export const VOLUNTEER_POOL = 300;
/** Lead social workers per county. */
export const WORKERS_PER_COUNTY = 4;
/** Share of outcomes left `recorded` (waiting for sign-off), spread over every month. */
export const RECORDED_PER_MILLE = 10;

/**
 * Region rows (provinces with their names, cities with synthetic names, counties with theirs),
 * one street and 1–3 communities per county (synthetic codes county+'001'+'00k'), the directory's
 * communities and social workers, and the helper table bench_counties (idx → county). Community
 * and social worker ids are md5-derived from (county idx, k), so generators compute them inline.
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
    `create table bench_counties (idx int primary key, code varchar(6) not null, communities int not null);
     insert into bench_counties
       select (row_number() over (order by code))::int - 1, code, 0 from regions where level = 'county';
     update bench_counties set communities = 1 + idx % 3;
     insert into regions (code, name, level, parent_code)
       select code || '001', name || '第一街道', 'street', code
         from regions where level = 'county';
     insert into regions (code, name, level, parent_code)
       select c.code || '001' || lpad((k + 1)::text, 3, '0'), r.name || '第' || (k + 1) || '社区',
              'community', c.code || '001'
         from bench_counties c join regions r on r.code = c.code,
              generate_series(0, c.communities - 1) k;
     insert into communities (id, region_code, county_code, name, is_pilot)
       select md5('c' || c.idx || ':' || k)::uuid, c.code || '001' || lpad((k + 1)::text, 3, '0'),
              c.code, r.name || '第' || (k + 1) || '社区', true
         from bench_counties c join regions r on r.code = c.code,
              generate_series(0, c.communities - 1) k;
     insert into social_workers (id, name, certificate_level, skills, home_county_code)
       select md5('w' || c.idx || ':' || k)::uuid, '社工' || c.code || '-' || k, 'intermediate',
              '{}', c.code
         from bench_counties c, generate_series(0, ${WORKERS_PER_COUNTY - 1}) k;
     create function bench_h(n bigint, seed bigint) returns bigint
       language sql immutable parallel safe
       as $$ select hashint8extended(n, seed) & 2147483647 $$;
     analyze regions; analyze communities; analyze social_workers; analyze bench_counties;`,
  );
}

const sqlArray = (values: readonly string[], type: string) =>
  `(array[${values.map((v) => `'${v}'`).join(",")}]::${type}[])`;

/**
 * Seeds of the per-outcome hashes; an outcome's county (h(n, COUNTY) % counties) is shared by the
 * outcome, its groups and its volunteers.
 */
const H = {
  county: 1,
  community: 2,
  service: 3,
  worker: 4,
  status: 5,
  groupCount: 6,
  groupStart: 7,
  personTimes: 8,
  volunteerCount: 9,
  volunteerStart: 10,
  extraAttended: 11,
  hours: 12,
  people: 13,
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

export function outcomeSelect(range: OutcomeRange, counties: number): string {
  const month = range.month
    ? `date '${range.month}'`
    : `(date '${FIRST_MONTH}' + make_interval(months => ((n - 1) * ${MONTHS} / ${range.total})::int))::date`;
  const status = range.status
    ? `'${range.status}'::outcome_status`
    : `(case when bench_h(n, ${H.status}) % 1000 < ${RECORDED_PER_MILLE} then 'recorded' else 'signed_off' end)::outcome_status`;
  return `select n, md5('e' || n)::uuid as event_id,
       md5('c' || s.county || ':' || s.k)::uuid as community_id,
       c.code || '001' || lpad((s.k + 1)::text, 3, '0') as region_code,
       ${sqlArray(serviceTypes, "service_type")}[1 + bench_h(n, ${H.service}) % ${serviceTypes.length}] as service_type,
       md5('w' || s.county || ':' || bench_h(n, ${H.worker}) % ${WORKERS_PER_COUNTY})::uuid as lead_social_worker_id,
       s.month,
       case when bench_h(n, ${H.people}) % 10 < 3 then null else 5 + bench_h(n, ${H.people}) % 120 end as people_served,
       s.attended as volunteers_attended,
       (s.attended * (1 + bench_h(n, ${H.hours}) % 8))::numeric / 2 as volunteer_hours,
       s.status,
       case when s.status = 'signed_off' then s.month + interval '20 days' end as signed_off_at
  from (select s0.*, bench_h(n, ${H.community}) % (1 + county % 3) as k
          from (select n, bench_h(n, ${H.county}) % ${counties} as county,
                       ${month} as month, ${status} as status,
                       1 + bench_h(n, ${H.volunteerCount}) % 4 + bench_h(n, ${H.extraAttended}) % 20 as attended
                  from generate_series(${range.from}::bigint, ${range.to}::bigint) n) s0) s
  join bench_counties c on c.idx = s.county`;
}

/** 1–3 distinct target groups per outcome, 1–200 person-times each. */
export function groupsSelect(range: OutcomeRange): string {
  const groups = targetGroups.length;
  return `select md5('e' || n)::uuid as event_id,
       ${sqlArray(targetGroups, "target_group")}[1 + (bench_h(n, ${H.groupStart}) + j * 3) % ${groups}] as target_group,
       (1 + bench_h(n * 4 + j, ${H.personTimes}) % 200)::int as person_times
  from generate_series(${range.from}::bigint, ${range.to}::bigint) n, generate_series(0, 2) j
 where j <= bench_h(n, ${H.groupCount}) % 3`;
}

/** 1–4 distinct volunteers per outcome, drawn from its county's pool of VOLUNTEER_POOL keys. */
export function volunteersSelect(range: OutcomeRange, counties: number): string {
  return `select md5('e' || n)::uuid as event_id,
       encode(sha256(convert_to('v' || bench_h(n, ${H.county}) % ${counties} || ':' ||
         (bench_h(n, ${H.volunteerStart}) + j * 37) % ${VOLUNTEER_POOL}, 'UTF8')), 'hex') as volunteer_key
  from generate_series(${range.from}::bigint, ${range.to}::bigint) n, generate_series(0, 3) j
 where j <= bench_h(n, ${H.volunteerCount}) % 4`;
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
