import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";
import * as v from "valibot";
import { MAX_IMPORT_ROWS, type Table } from "../../directory/imports/table";

/**
 * The previewed table travels to the confirm step inside the page's form, compressed: nothing is
 * kept on the server between the two steps, and the confirm step checks everything again (the
 * plan digest makes sure it stores exactly what was previewed).
 */

/** The most a carried table may unpack to; a 5,000-row list is well under 2 MB of JSON. */
const MAX_UNPACKED = 8 * 1024 * 1024;

const CarriedTable = v.strictObject({
  format: v.picklist(["csv", "xlsx"]),
  encoding: v.optional(v.picklist(["utf-8", "utf-8-bom", "gb18030"])),
  rows: v.pipe(
    v.array(
      v.strictObject({
        row: v.pipe(v.number(), v.integer(), v.minValue(1)),
        cells: v.pipe(v.array(v.pipe(v.string(), v.maxLength(10_000))), v.maxLength(200)),
      }),
    ),
    v.maxLength(MAX_IMPORT_ROWS + 100),
  ),
  syntaxErrors: v.array(v.strictObject({ row: v.number() })),
});

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The table as a form field: JSON, deflated, base64. */
export function packTable(table: Table): string {
  return toBase64(deflateSync(strToU8(JSON.stringify(table)), { level: 6 }));
}

/** The table from a form field, or undefined if it is not one this page packed. */
export function unpackTable(field: unknown): Table | undefined {
  if (typeof field !== "string" || field.length === 0 || field.length > 4_000_000) return undefined;
  try {
    const packed = Uint8Array.from(atob(field), (c) => c.charCodeAt(0));
    // A fixed output buffer: a crafted field cannot unpack to more than MAX_UNPACKED.
    const json = inflateSync(packed, { out: new Uint8Array(MAX_UNPACKED) });
    if (json.length >= MAX_UNPACKED) return undefined;
    const parsed = v.safeParse(CarriedTable, JSON.parse(strFromU8(json)));
    return parsed.success ? (parsed.output as Table) : undefined;
  } catch {
    return undefined;
  }
}
