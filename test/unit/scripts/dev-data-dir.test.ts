import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startPglite } from "../../../scripts/lib/database";
import { discardHalfBuilt, markComplete } from "../../../scripts/lib/dev-data-dir";
import { demoAccountIds } from "../../../scripts/seed/demo";
import { readLiaoningRegions } from "../../../scripts/seed/regions";
import { accounts, regions } from "../../../src/db/schema";

const made: string[] = [];

/** A data directory as a first start leaves it after loading `regionCount` regions (all: -1). */
async function dataDir(regionCount: number, withAdmin: boolean): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), "shuangyi-devdir-"));
  made.push(parent);
  const dir = join(parent, "dev");
  const database = await startPglite({ dataDir: dir });
  try {
    if (regionCount < 0) await database.seedRegions();
    else await database.db.insert(regions).values(readLiaoningRegions().slice(0, regionCount));
    if (withAdmin)
      await database.db
        .insert(accounts)
        .values({ id: demoAccountIds.admin, name: "admin", role: "admin" });
  } finally {
    await database.close();
  }
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe(".pglite/dev after an interrupted first start", () => {
  it("is found half-built and deleted, with one line saying so, so the start builds it afresh", async () => {
    const dir = await dataDir(5_000, false);
    const lines: string[] = [];
    expect(await discardHalfBuilt(dir, (line) => lines.push(line))).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/interrupted first start \(5000 of \d+ regions\): building it afresh/);
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps a whole directory from before the marker existed, and marks it", async () => {
    const dir = await dataDir(-1, true);
    const lines: string[] = [];
    expect(await discardHalfBuilt(dir, (line) => lines.push(line))).toBe(false);
    expect(lines).toEqual([]);
    expect(existsSync(`${dir}.complete`)).toBe(true);
  });

  it("never touches a directory whose first start finished", async () => {
    // Not even opened: the marker is enough (this one would not open as a database at all).
    const parent = mkdtempSync(join(tmpdir(), "shuangyi-devdir-"));
    made.push(parent);
    const dir = join(parent, "dev");
    mkdirSync(dir);
    markComplete(dir);
    expect(await discardHalfBuilt(dir, () => {})).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });
});
