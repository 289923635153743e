import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { qrSvg } from "../../../src/web/qr";

/** The dark modules the SVG path draws, as "x,y" keys (each run is one `M x y.5 h w`). */
function drawnModules(svg: string): Set<string> {
  const path = /<path[^>]* d="([^"]+)"/.exec(svg)?.[1] ?? "";
  const cells = new Set<string>();
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)\.5h(\d+)/g)) {
    for (let i = 0; i < Number(w); i++) cells.add(`${Number(x) + i},${y}`);
  }
  return cells;
}

describe("qrSvg", () => {
  const url = "https://shuangyi.example.cn/events/3f9a1c2b-1234-4abc-9def-0123456789ab";

  it("draws exactly uqr's dark modules, inside a quiet zone of two", () => {
    const svg = String(qrSvg(url, "报名二维码"));
    const { size, data } = encode(url, { ecc: "M", border: 0 });
    const expected = new Set<string>();
    data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) expected.add(`${x + 2},${y + 2}`);
      });
    });
    expect(drawnModules(svg)).toEqual(expected);
    expect(svg).toContain(`viewBox="0 0 ${size + 4} ${size + 4}"`);
  });

  it("is small enough to sit inside a page, and names itself", () => {
    const svg = String(qrSvg(url, 'A "quoted" <label>'));
    expect(svg.length).toBeLessThan(5_000);
    expect(svg).toContain('role="img" aria-label="A &quot;quoted&quot; &lt;label>"');
  });
});
