import { parse as csvParse } from "csv-parse/sync";
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { type CsvCell, parseCsv, writeCsv } from "../../../src/lib/csv";

/** Text a cell may hold: what makes CSV hard (quotes, commas, line breaks, spaces), and Chinese. */
const cellText = fc
  .array(fc.constantFrom("a", "张", " ", ",", '"', "\r", "\n", "\r\n", "=", "-", "@", "'", "1"), {
    maxLength: 6,
  })
  .map((parts) => parts.join(""));

const cell: fc.Arbitrary<CsvCell> = fc.oneof(
  { weight: 4, arbitrary: cellText },
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
);

/** A table: at least one row, every row at least one cell. */
const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), {
  minLength: 1,
  maxLength: 6,
});

const asText = (rows: CsvCell[][]) => rows.map((row) => row.map((c) => (c == null ? "" : `${c}`)));

/** Papaparse's reading of the same text with the options the app gave it. */
const papaParse = (text: string) =>
  Papa.parse<string[]>(text, { delimiter: ",", skipEmptyLines: false });

describe("writeCsv", () => {
  it("writes what papaparse's unparse wrote (CRLF, RFC 4180 quotes), formulas defused alike", () => {
    const papaUnparse = (rows: CsvCell[][], escapeFormulae: boolean) =>
      `${Papa.unparse(
        rows.map((row) => row.map((c) => c ?? "")),
        { newline: "\r\n", escapeFormulae },
      )}\r\n`;
    fc.assert(
      fc.property(table, (rows) => {
        expect(writeCsv(rows)).toBe(papaUnparse(rows, false));
      }),
      { numRuns: 2000 },
    );
    // papaparse did not defuse text with a line break after its first character (see below).
    const oneLine = (c: CsvCell) =>
      typeof c === "string" ? c.replace(/(?<=[\s\S])[\r\n]/g, "") : c;
    fc.assert(
      fc.property(table, (tableRows) => {
        const rows = tableRows.map((row) => row.map(oneLine));
        expect(writeCsv(rows, true)).toBe(papaUnparse(rows, true));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads back to the same cells, by our parser, papaparse and csv-parse", () => {
    fc.assert(
      fc.property(table, (rows) => {
        const text = writeCsv(rows);
        const expected = asText(rows);
        expect(parseCsv(text).rows.slice(0, -1)).toEqual(expected);
        expect(parseCsv(text).errorRows).toEqual([]);
        expect(papaParse(text).data.slice(0, -1)).toEqual(expected);
        expect(csvParse(text, { relax_column_count: true })).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("defuses text that starts like a formula, even across lines, and leaves numbers alone", () => {
    expect(writeCsv([["=1+2", "+x", "-y", "@z", "\tt", "a=b", -5, "=a\nb"]], true)).toBe(
      `"'=1+2","'+x","'-y","'@z","'\tt",a=b,-5,"'=a\nb"\r\n`,
    );
    expect(writeCsv([["=1+2"]])).toBe("=1+2\r\n");
  });
});

describe("parseCsv", () => {
  it("reads as papaparse read them, whatever the line ends (one kind per file), quotes and all", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "张", " ", ",", '"', '""', "\n", "\r", "\r\n"), {
          maxLength: 30,
        }),
        fc.constantFrom("\r\n", "\n", "\r"),
        fc.boolean(),
        (parts, newline, bom) => {
          // One kind of line end per file: papaparse guessed one and took the others for text.
          const body = parts.join("").replace(/\r\n|\r|\n/g, newline);
          const text = (bom ? "\uFEFF" : "") + body;
          const ours = parseCsv(text);
          const papa = papaParse(text);
          // papaparse guessed the line end with quoted text taken out, so a quote inside an
          // unquoted field (not RFC 4180) could make it guess another and read a CR as text.
          if (/[\r\n]/.test(body) && papa.meta.linebreak !== newline) return;
          // What papaparse read without complaint, we read alike; what we refuse, it refused.
          // (It also refused spaces after a closing quote at the very end, which we accept.)
          if (papa.errors.length === 0) expect(ours).toEqual({ rows: papa.data, errorRows: [] });
          if (ours.errorRows.length > 0) expect(papa.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("reads the cases one at a time", () => {
    expect(parseCsv("")).toEqual({ rows: [], errorRows: [] });
    expect(parseCsv("\uFEFFa,b\r\nc,d\r\n").rows).toEqual([["a", "b"], ["c", "d"], [""]]);
    expect(parseCsv('"a""b",c\r\n"x\r\ny",z').rows).toEqual([
      ['a"b', "c"],
      ["x\r\ny", "z"],
    ]);
    expect(parseCsv('a,b"c,d').rows).toEqual([["a", 'b"c', "d"]]);
    expect(parseCsv('"a" ,b').rows).toEqual([["a", "b"]]);
    expect(parseCsv("a,\n\nb").rows).toEqual([["a", ""], [""], ["b"]]);
    // Mixed line ends (a file pasted together) each end a row.
    expect(parseCsv("a\r\nb\nc\rd").rows).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("reports malformed quotes by the row they are on, and reads on", () => {
    expect(parseCsv('h\r\n"abc')).toEqual({ rows: [["h"], ["abc"]], errorRows: [1] });
    expect(parseCsv('h\r\na,"b"x,c\r\nd,e')).toEqual({
      rows: [["h"], ["a", "bx", "c"], ["d", "e"]],
      errorRows: [1],
    });
    expect(parseCsv('"a"x"y"z,b').errorRows).toEqual([0]);
  });
});
