import { PGlite } from "@electric-sql/pglite";
import { asc } from "drizzle-orm";
import {
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptDatabase } from "../../../scripts/lib/database";
import { bulkInsert } from "../../../scripts/seed/bulk-insert";

const mood = pgEnum("bulk_mood", ["calm", "busy"]);
const columns = () => ({
  id: integer().primaryKey(),
  displayName: text(),
  happenedAt: timestamp({ withTimezone: true }),
  onDay: date(),
  mood: mood().notNull().default("calm"),
  tags: text().array(),
  notes: jsonb().$type<{ text: string; at?: string }[]>(),
  amount: numeric(),
  done: boolean().notNull().default(false),
});
const viaBulk = pgTable("bulk_via_helper", columns());
const viaDrizzle = pgTable("bulk_via_drizzle", columns());

let pglite: PGlite;
let db: ScriptDatabase;

beforeAll(async () => {
  pglite = new PGlite();
  db = drizzle(pglite, { casing: "snake_case" }) as unknown as ScriptDatabase;
  await pglite.exec(`create type bulk_mood as enum ('calm', 'busy');`);
  for (const name of ["bulk_via_helper", "bulk_via_drizzle"])
    await pglite.exec(`create table ${name} (
      id integer primary key, display_name text, happened_at timestamptz, on_day date,
      mood bulk_mood not null default 'calm', tags text[], notes jsonb, amount numeric,
      done boolean not null default false)`);
});
afterAll(() => pglite.close());

const rows = [
  {
    id: 1,
    displayName: "王 \"小\" 明, 'quoted' \\ back\nslash",
    happenedAt: new Date("2025-03-04T05:06:07.089Z"),
    onDay: "2025-03-04",
    mood: "busy" as const,
    tags: ["一", "two, three", 'say "hi"'],
    notes: [{ text: "服务记录", at: "x" }, { text: "" }],
    amount: "12.50",
    done: true,
  },
  // Leaves out mood and done: the database defaults, as Drizzle does.
  { id: 2, displayName: null, happenedAt: null, tags: [], notes: [] },
  { id: 3, displayName: "只有名字" },
];

describe("bulkInsert", () => {
  it("stores the same rows as Drizzle's insert, defaults included", async () => {
    expect(await bulkInsert(db, viaBulk, rows)).toBe(3);
    await db.insert(viaDrizzle).values(rows);
    const helper = await db.select().from(viaBulk).orderBy(asc(viaBulk.id));
    const drizzled = await db.select().from(viaDrizzle).orderBy(asc(viaDrizzle.id));
    expect(helper).toEqual(drizzled);
    expect(helper[0]).toMatchObject({
      displayName: rows[0]?.displayName,
      happenedAt: rows[0]?.happenedAt,
      tags: rows[0]?.tags,
      notes: rows[0]?.notes,
      mood: "busy",
    });
    expect(helper[1]).toMatchObject({ mood: "calm", done: false, tags: [], notes: [] });
  });

  it("skips conflicting rows when asked, and counts only the rows it added", async () => {
    const again = [...rows, { id: 4, displayName: "新的" }];
    expect(await bulkInsert(db, viaBulk, again, { onConflict: "skip" })).toBe(1);
    await expect(bulkInsert(db, viaBulk, [{ id: 4 }])).rejects.toThrow();
  });

  it("takes more rows than one statement holds", async () => {
    const many = Array.from({ length: 12_345 }, (_, i) => ({ id: 1_000 + i, onDay: "2025-01-01" }));
    expect(await bulkInsert(db, viaBulk, many)).toBe(many.length);
    expect(await db.$count(viaBulk)).toBe(4 + many.length);
  });

  it("names a key that is not a column instead of dropping it", async () => {
    await expect(
      bulkInsert(db, viaBulk, [{ id: 99, nickname: "x" } as unknown as { id: number }]),
    ).rejects.toThrow(/bulk_via_helper has no column nickname/);
  });
});
