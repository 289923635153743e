import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { encode } from "uqr";

/**
 * A QR code as inline SVG, small enough to sit inside a page (about 2–4 KB, against uqr's own
 * renderSVG's 13 KB): one path, one horizontal line per run of dark modules, on a quiet zone of
 * two modules. `label` names it for screen readers.
 */
export function qrSvg(text: string, label: string): HtmlEscapedString | Promise<HtmlEscapedString> {
  const { size, data } = encode(text, { ecc: "M", border: 0 });
  const border = 2;
  let path = "";
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      const from = x;
      while (x < size && row[x]) x++;
      path += `M${from + border} ${y + border}.5h${x - from}`;
    }
  });
  const box = size + 2 * border;
  const escaped = label.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  return raw(
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}" role="img" aria-label="${escaped}" shape-rendering="crispEdges"><rect width="${box}" height="${box}" fill="#fff"/><path stroke="#000" d="${path}"/></svg>`,
  );
}
