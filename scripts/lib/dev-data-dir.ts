/**
 * `.pglite/dev` across restarts: a first start killed while it loads the region tree leaves a
 * database that opens but holds part of the tree, and every later start then died planning the
 * demo (`index 0 out of range`). A marker beside the directory says the first start finished;
 * a directory without it is checked and, if half-built, built again.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { demoAccountIds } from "../seed/demo";
import { liaoningRegionsCsv } from "../seed/regions";

const markerOf = (dataDir: string) => `${dataDir}.complete`;

/** Regions in the committed CSV (lines less the header). */
function expectedRegions(): number {
  return readFileSync(liaoningRegionsCsv, "utf8").trim().split("\n").length - 1;
}

/** What is missing from an existing data directory, or undefined when it is whole. */
export async function findHalfBuilt(dataDir: string): Promise<string | undefined> {
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create({ dataDir, extensions: { btree_gist } });
    const regions = await pglite.query<{ n: number }>("select count(*)::int as n from regions");
    const found = regions.rows[0]?.n ?? 0;
    const expected = expectedRegions();
    if (found < expected) return `${found} of ${expected} regions`;
    const admin = await pglite.query("select 1 from accounts where id = $1", [
      demoAccountIds.admin,
    ]);
    if (admin.rows.length === 0) return "no demo accounts";
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  } finally {
    await pglite?.close().catch(() => {});
  }
}

/**
 * Makes `dataDir` safe to open: a directory whose first start did not finish (no marker) and is
 * half-built is deleted, with one line through `log`, so the start builds it afresh. Returns
 * whether it was deleted. A directory that has its marker is left alone whatever its state.
 */
export async function discardHalfBuilt(
  dataDir: string,
  log: (line: string) => void,
): Promise<boolean> {
  if (!existsSync(dataDir)) {
    rmSync(markerOf(dataDir), { force: true });
    return false;
  }
  if (existsSync(markerOf(dataDir))) return false;
  const problem = await findHalfBuilt(dataDir);
  if (problem === undefined) {
    // Whole, from before markers existed.
    markComplete(dataDir);
    return false;
  }
  log(
    `${dataDir} was left half-built by an interrupted first start (${problem}): building it afresh.`,
  );
  rmSync(dataDir, { recursive: true, force: true });
  return true;
}

/** Records that `dataDir` holds the whole region tree and demo data. */
export function markComplete(dataDir: string): void {
  writeFileSync(markerOf(dataDir), `${new Date().toISOString()}\n`);
}
