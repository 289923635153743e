import { inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signups } from "../../src/db/schema";
import { lookupHash, pseudonym, sha256Hex } from "../../src/lib/personal-data";
import { anonymiseExpiredSignups } from "../../src/signups/retention";
import { signUp } from "../../src/signups/service";
import { type Actor, at, makeActor, makeCommunity, makeEvent, makeSocialWorker } from "./factories";
import { asCaller, call, testKeys, withDb } from "./helpers";

// 法库县 in February and March 2020 is this file's alone (the pilot summary starts in 2020), but
// 沈阳市 and the year are not: every figure is taken relative to what the other files left there
// (they run one after another, so only this file changes them meanwhile). Retention's fake clock
// (April 2020) anonymises the sign-ups of every event that ended before March 21st, 2020, which
// older files' tests no longer read.
const county = "210124";
const city = "210100";
const RETENTION_CLOCK = at("2020-04-20 12:00");

const freshMobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

interface Figures {
  county: number;
  byMonth: number[];
  city: number;
  summary: number;
}

let communityId: string;
let admin: Actor;

/** A past event in 大东区 with a lead, at which `mobiles` signed up and checked in. */
async function heldEvent(day: string, mobiles: string[]) {
  const worker = await makeSocialWorker(county);
  const start = at(`${day} 09:00`);
  const event = await makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start,
    end: at(`${day} 11:00`),
  });
  const keys = await testKeys();
  const ids: string[] = [];
  for (const mobile of mobiles) {
    const taken = await asCaller(
      (caller) =>
        signUp(
          { ...caller, keys },
          { eventId: event.id, name: "孙志愿", mobile, skills: [], consent: true },
        ),
      new Date(start.getTime() - 86_400_000),
    );
    if (taken.existing) throw new Error("a fresh mobile was already signed up");
    ids.push(taken.signup.id);
  }
  await withDb((db) =>
    db.update(signups).set({ status: "attended" }).where(inArray(signups.id, ids)),
  );
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  return { event, lead };
}

/** Records (or, as admin with a reason, re-records) an outcome and has the lead sign it off. */
async function recordAndSignOff(
  held: Awaited<ReturnType<typeof heldEvent>>,
  as: "coordinator" | "admin",
) {
  const token = as === "admin" ? admin.token : held.lead.token;
  const put = await call("PUT", `/api/v1/events/${held.event.id}/outcome`, {
    token,
    json: {
      personTimes: { residents: 10 },
      ...(as === "admin" ? { reason: "recounted the people served" } : {}),
    },
  });
  expect(put.status).toBeLessThan(300);
  const signed = await call("POST", `/api/v1/events/${held.event.id}/outcome/sign-off`, {
    token: held.lead.token,
  });
  expect(signed.status).toBe(200);
}

async function uniqueVolunteers(query: string): Promise<{
  totals: { uniqueVolunteers: number | null };
  rows: { uniqueVolunteers: number | null }[];
}> {
  const response = await call("GET", `/api/v1/tallies?${query}`, { token: admin.token });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

/**
 * Every distinct-volunteer figure the tallies and the pilot summary give for February and March
 * 2020 (the summary: the year) in 法库县, its months, and 沈阳市.
 */
async function figures(): Promise<Figures> {
  const period = "from=2020-02&to=2020-03";
  const inCounty = await uniqueVolunteers(`region=${county}&${period}`);
  const byMonth = await uniqueVolunteers(`region=${county}&${period}&groupBy=month`);
  const inCity = await uniqueVolunteers(`region=${city}&${period}`);
  const summary = await call("GET", `/api/v1/tallies/pilot-summary?region=${county}&year=2020`, {
    token: admin.token,
  });
  expect(summary.status).toBe(200);
  return {
    county: inCounty.totals.uniqueVolunteers ?? 0,
    byMonth: byMonth.rows.map((row) => row.uniqueVolunteers ?? 0),
    city: inCity.totals.uniqueVolunteers ?? 0,
    summary: ((await summary.json()) as { volunteers: number }).volunteers,
  };
}

/** What this file added to each figure since `baseline`. */
function added(now: Figures, baseline: Figures): Figures {
  return {
    county: now.county - baseline.county,
    byMonth: now.byMonth.map((n, i) => n - (baseline.byMonth[i] ?? 0)),
    city: now.city - baseline.city,
    summary: now.summary - baseline.summary,
  };
}

/**
 * Every value the code base derives from a mobile number (with DATA_KEY or without): the number,
 * its keyed look-up hash (stored, and its first half as the rate limits' key), the pseudonym the
 * records export would make of that hash, and its plain SHA-256.
 */
async function derivedValues(mobile: string): Promise<string[]> {
  const keys = await testKeys();
  const hash = await lookupHash(keys, mobile);
  return [mobile, hash, hash.slice(0, 32), await pseudonym(keys, hash), await sha256Hex(mobile)];
}

/**
 * Which columns of which tables (every schema but the catalogues) hold any of `values` anywhere in
 * their text: text, varchar, char, json, jsonb and arrays as text, bytea as hex.
 */
async function tablesHolding(values: string[]): Promise<string[]> {
  const pattern = values.join("|");
  return withDb(async (db) => {
    const columns = (await db.execute(sql`
      select c.table_schema, c.table_name, c.column_name, c.data_type
        from information_schema.columns c
        join information_schema.tables t
          on t.table_schema = c.table_schema and t.table_name = c.table_name
       where t.table_type = 'BASE TABLE'
         and c.table_schema not in ('pg_catalog', 'information_schema')
         and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY',
                             'bytea')`)) as unknown as {
      rows: { table_schema: string; table_name: string; column_name: string; data_type: string }[];
    };
    const found: string[] = [];
    for (const column of columns.rows) {
      const table = `"${column.table_schema}"."${column.table_name}"`;
      const name = `"${column.column_name}"`;
      const text = column.data_type === "bytea" ? `encode(${name}, 'hex')` : `${name}::text`;
      const hits = (await db.execute(
        sql`select count(*)::int as n from ${sql.raw(table)} where lower(${sql.raw(text)}) ~ ${pattern}`,
      )) as unknown as { rows: { n: number }[] };
      if ((hits.rows[0]?.n ?? 0) > 0) found.push(`${column.table_name}.${column.column_name}`);
    }
    return found;
  });
}

describe("forgetting that forgets", () => {
  // Volunteers a, b and c sign up publicly; a and b came to the first event, a and c to the
  // second, and a and c to a third whose outcome is only recorded after retention.
  const mobiles = { a: freshMobile(), b: freshMobile(), c: freshMobile() };
  let heldBefore: string[];
  let before: Figures;
  let afterRetention: Figures;
  let afterReRecording: Figures;
  let afterLateRecording: Figures;

  beforeAll(async () => {
    communityId = (await makeCommunity(county)).id;
    admin = await makeActor({ role: "admin" });
    const baseline = await figures();
    const first = await heldEvent("2020-02-10", [mobiles.a, mobiles.b]);
    const second = await heldEvent("2020-03-12", [mobiles.a, mobiles.c]);
    const late = await heldEvent("2020-02-20", [mobiles.a, mobiles.c]);
    await recordAndSignOff(first, "coordinator");
    await recordAndSignOff(second, "coordinator");
    const derived = (await Promise.all(Object.values(mobiles).map(derivedValues))).flat();
    heldBefore = await tablesHolding(derived);
    before = added(await figures(), baseline);

    const anonymised = await asCaller(
      (caller) => anonymiseExpiredSignups(caller, 30),
      RETENTION_CLOCK,
    );
    expect(anonymised).toBeGreaterThanOrEqual(6);
    afterRetention = added(await figures(), baseline);
    await recordAndSignOff(first, "admin");
    afterReRecording = added(await figures(), baseline);
    await recordAndSignOff(late, "coordinator");
    afterLateRecording = added(await figures(), baseline);
  });

  it("keeps every distinct-volunteer figure through retention and a re-recording after it", () => {
    expect(before).toEqual({ county: 3, byMonth: [2, 2], city: 3, summary: 3 });
    expect({ afterRetention, afterReRecording }).toEqual({
      afterRetention: before,
      afterReRecording: before,
    });
  });

  it("counts a person in two outcomes once, one of them first recorded after retention", () => {
    // February now has a, b and c; March still a and c.
    expect(afterLateRecording).toEqual({ county: 3, byMonth: [3, 2], city: 3, summary: 3 });
  });

  it("leaves no value computable from a volunteer's mobile number in any table", async () => {
    // The scan finds them while they are still kept (the sign-ups, for one)...
    expect(heldBefore).toContain("signups.mobile_hash");
    // ...and nowhere once retention has run, re-recordings and late recordings included.
    const derived = (await Promise.all(Object.values(mobiles).map(derivedValues))).flat();
    expect(await tablesHolding(derived)).toEqual([]);
  });
});
