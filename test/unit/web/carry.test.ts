import { deflateSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { Table } from "../../../src/directory/imports/table";
import { packTable, unpackTable } from "../../../src/web/imports/carry";

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("the table carried from preview to confirm", () => {
  it("comes back exactly as packed", () => {
    const table: Table = {
      format: "xlsx",
      rows: [
        { row: 1, cells: ["姓名", "证书编号"] },
        { row: 3, cells: ["张三", "SW-1"] },
      ],
      syntaxErrors: [],
    };
    expect(unpackTable(packTable(table))).toEqual(table);
  });

  it("refuses what this page did not pack: garbage, another shape, a deflate bomb", () => {
    expect(unpackTable("not base64 at all!")).toBeUndefined();
    expect(
      unpackTable(base64(deflateSync(new TextEncoder().encode('{"rows":1}')))),
    ).toBeUndefined();
    const bomb = base64(deflateSync(new Uint8Array(9 * 1024 * 1024).fill(32)));
    expect(bomb.length).toBeLessThan(100_000);
    expect(unpackTable(bomb)).toBeUndefined();
  });
});
