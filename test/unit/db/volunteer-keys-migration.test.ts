import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../../../scripts/lib/database";

// Migration 0032's backfill, run on rows written as the code before it wrote them: every stored
// mobile hash becomes one surrogate key, the counts stay, and only live links remain.

const MIGRATION = "0032_volunteer_keys";
const hash = (digit: string) => digit.repeat(64);
const event = (n: number) => `10000000-0000-0000-0000-00000000000${n}`;
const signup = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;

let db: PGlite;

async function apply(tag: string) {
  const text = readFileSync(join(migrationsFolder, `${tag}.sql`), "utf8");
  for (const statement of text.split("--> statement-breakpoint"))
    if (statement.trim()) await db.exec(statement);
}

async function rows<T>(query: string): Promise<T[]> {
  return (await db.query<T>(query)).rows;
}

/** The surrogate key the backfill left on sign-up `n`. */
async function keyOfSignup(n: number): Promise<string | null> {
  const [row] = await rows<{ volunteer_key: string | null }>(
    `select volunteer_key from signups where id = '${signup(n)}'`,
  );
  return row?.volunteer_key ?? null;
}

beforeAll(async () => {
  db = await PGlite.create({ extensions: { btree_gist } });
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8"),
  ) as {
    entries: { tag: string }[];
  };
  const tags = journal.entries.map((entry) => entry.tag);
  for (const tag of tags.slice(0, tags.indexOf(MIGRATION))) await apply(tag);
  // Volunteer a is signed up (live) and came to event 1; b came to events 1 and 2 and was
  // anonymised since; d is in the directory and was ticked at event 1; e is signed up but did not
  // come; f came to event 3, which has no outcome, and was anonymised. Foreign keys and triggers
  // stand aside so that only the tables the backfill reads need rows.
  await db.exec(`
    SET session_replication_role = replica;
    INSERT INTO signups (id, event_id, name, mobile_ciphertext, mobile_hash, mobile_masked, status,
                         confirmation_code, manage_token_hash, consent_at, anonymised_at) VALUES
      ('${signup(1)}', '${event(1)}', 'a', 'c', '${hash("a")}', 'm', 'attended', 'AAAAAA', '${hash("1")}', now(), NULL),
      ('${signup(2)}', '${event(1)}', '已删除', '', '${hash("9")}', '', 'attended', 'AAAAAC', '${hash("2")}', now(), now()),
      ('${signup(3)}', '${event(2)}', '已删除', '', '${hash("8")}', '', 'attended', 'AAAAAD', '${hash("3")}', now(), now()),
      ('${signup(4)}', '${event(3)}', 'e', 'c', '${hash("e")}', 'm', 'confirmed', 'AAAAAE', '${hash("4")}', now(), NULL),
      ('${signup(5)}', '${event(3)}', '已删除', '', '${hash("7")}', '', 'attended', 'AAAAAF', '${hash("5")}', now(), now());
    INSERT INTO volunteers (id, team_id, name, mobile_ciphertext, mobile_hash, mobile_masked)
      VALUES ('20000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000001', 'd',
              'c', '${hash("d")}', 'm');
    INSERT INTO outcome_volunteers VALUES ('${event(1)}', '${hash("a")}'), ('${event(1)}', '${hash("b")}'),
      ('${event(1)}', '${hash("d")}'), ('${event(2)}', '${hash("b")}');
    INSERT INTO tally_volunteers VALUES
      ('40000000-0000-0000-0000-000000000001', '210103001001', '2025-01-01', 'lecture', '${hash("a")}', 1),
      ('40000000-0000-0000-0000-000000000001', '210103001001', '2025-01-01', 'lecture', '${hash("b")}', 2),
      ('40000000-0000-0000-0000-000000000001', '210103001001', '2025-01-01', 'lecture', '${hash("d")}', 1);
    INSERT INTO tally_presence VALUES ('volunteer', '2025-01', '${hash("a")}', '210103', 1),
      ('volunteer', '2025', '${hash("b")}', '210103', 1),
      ('social_worker', '2025', '50000000-0000-0000-0000-000000000001', '210103', 1);
    INSERT INTO tally_key_locks VALUES ('volunteer', '${hash("a")}'), ('volunteer', '${hash("b")}'),
      ('social_worker', '50000000-0000-0000-0000-000000000001');
    SET session_replication_role = origin;`);
  await apply(MIGRATION);
}, 600_000);

afterAll(async () => {
  await db?.close();
});

describe("migration 0032's backfill", () => {
  it("leaves no mobile hash in the long-lived tables, and the others' keys as they were", async () => {
    const stored = await rows<{ key: string }>(`
      select volunteer_key as key from outcome_volunteers
      union all select volunteer_key from tally_volunteers
      union all select key from tally_presence where kind = 'volunteer'
      union all select key from tally_key_locks where kind = 'volunteer'`);
    expect(stored).toHaveLength(11);
    for (const { key } of stored) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f-]{27}$/);
    expect(
      await rows(`select key from tally_presence where kind = 'social_worker'
                  union all select key from tally_key_locks where kind = 'social_worker'`),
    ).toEqual([
      { key: "50000000-0000-0000-0000-000000000001" },
      { key: "50000000-0000-0000-0000-000000000001" },
    ]);
  });

  it("gives each distinct hash one key, so every distinct count stays", async () => {
    expect(
      await rows(`select count(distinct volunteer_key)::int as n from outcome_volunteers`),
    ).toEqual([{ n: 3 }]);
    expect(
      await rows(`select events from tally_volunteers t
                   where exists (select 1 from outcome_volunteers v where v.volunteer_key = t.volunteer_key
                                    and v.event_id = '${event(2)}')`),
    ).toEqual([{ events: 2 }]);
  });

  it("keeps the links a live sign-up or the directory still needs, and forgets the rest", async () => {
    const links = await rows<{ mobile_hash: string | null; forgotten: boolean }>(
      `select mobile_hash, forgotten_at is not null as forgotten from volunteer_keys
        order by mobile_hash nulls last`,
    );
    expect(links).toEqual([
      { mobile_hash: hash("a"), forgotten: false },
      { mobile_hash: hash("d"), forgotten: false },
      { mobile_hash: null, forgotten: true },
      { mobile_hash: null, forgotten: true },
    ]);
  });

  it("gives checked-in sign-ups the key their outcomes count, a new one where none does", async () => {
    const [a] = await rows<{ key: string }>(
      `select key from volunteer_keys where mobile_hash = '${hash("a")}'`,
    );
    expect(await keyOfSignup(1)).toBe(a?.key);
    const [b] = await rows<{ key: string }>(
      `select volunteer_key as key from outcome_volunteers where event_id = '${event(2)}'`,
    );
    expect(await keyOfSignup(2)).toBe(b?.key);
    expect(await keyOfSignup(3)).toBe(b?.key);
    expect(await keyOfSignup(4)).toBeNull();
    const fresh = await keyOfSignup(5);
    expect(fresh).not.toBeNull();
    expect(fresh).not.toBe(b?.key);
    expect(
      await rows(
        `select count(*)::int as n from outcome_volunteers where volunteer_key = '${fresh}'`,
      ),
    ).toEqual([{ n: 0 }]);
  });
});
