/**
 * Server-rendered SVG charts for the dashboard: no script, readable by screen readers (role=img
 * with a title and a description naming every value), and each chart sits next to a table with
 * the same numbers. Sizes are in viewBox units; the SVG scales to the page width. The text takes
 * the page's font (inline SVG inherits it).
 */

export interface ChartItem {
  label: string;
  /** The number drawn; null for a withheld (suppressed) value, drawn as nothing. */
  value: number | null;
  /** What is written for the value (e.g. `<5`, `1,234`). */
  display: string;
  /** The label in full, for screen readers, when the drawn one is short (`3` for 2025-03). */
  name?: string;
}

/** Narrow on purpose: drawn at a phone's width, the text stays at a readable size. */
const WIDTH = 400;

/** A round upper bound for an axis: 1, 2, 5 × 10^n at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function describe(items: ChartItem[], separator: string): string {
  return items.map((item) => `${item.name ?? item.label} ${item.display}`).join(separator);
}

/** A coordinate with one decimal: enough for a 400-unit drawing, and short in the page. */
const r = (n: number) => Math.round(n * 10) / 10;

/**
 * Rectangles `[x, y, width, height]` as one path (far shorter in the page than a rect each);
 * empty ones are left out.
 */
function bars(rects: [number, number, number, number][]): string {
  return rects
    .filter(([, , w, h]) => w > 0 && h > 0)
    .map(([x, y, w, h]) => `M${r(x)} ${r(y)}h${r(w)}v${r(h)}h-${r(w)}z`)
    .join("");
}

/** Horizontal bars, one per item: for categories (service types, target groups). */
export function BarChart(props: {
  id: string;
  title: string;
  items: ChartItem[];
  separator: string;
  /** Name every value in a description (left out where a table beside it has them). */
  described?: boolean;
}) {
  const { id, title, items } = props;
  const row = 32;
  const labelWidth = 100;
  const valueWidth = 60;
  const height = Math.max(row * items.length + 10, 40);
  const max = niceMax(Math.max(0, ...items.map((item) => item.value ?? 0)));
  const barSpace = WIDTH - labelWidth - valueWidth;
  const top = (index: number) => 5 + index * row;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={props.described === false ? `${id}-title` : `${id}-title ${id}-desc`}
      font-size="14"
    >
      <title id={`${id}-title`}>{title}</title>
      {props.described !== false && (
        <desc id={`${id}-desc`}>{describe(items, props.separator)}</desc>
      )}
      <path
        fill="#f0f2f4"
        d={bars(items.map((_, index) => [labelWidth, top(index) + 6, barSpace, row - 12]))}
      />
      <path
        fill="#c0392b"
        d={bars(
          items.map((item, index) => [
            labelWidth,
            top(index) + 6,
            item.value ? Math.max(1, (item.value / max) * barSpace) : 0,
            row - 12,
          ]),
        )}
      />
      <g fill="#1f2328" text-anchor="end">
        {items.map((item, index) => (
          <text x={labelWidth - 6} y={top(index) + 20}>
            {item.label}
          </text>
        ))}
      </g>
      <g fill="#1f2328">
        {items.map((item, index) => (
          <text x={labelWidth + barSpace + 5} y={top(index) + 20}>
            {item.display}
          </text>
        ))}
      </g>
    </svg>
  );
}

/** Vertical columns over time (months), with the axis maximum marked. */
export function ColumnChart(props: {
  id: string;
  title: string;
  items: ChartItem[];
  separator: string;
  /** Name every value in a description (left out where a table beside it has them). */
  described?: boolean;
  /** The axis's numbers in the page's language: 2万 in Chinese, 20K in English. */
  lang: "zh" | "en";
}) {
  const { id, title, items } = props;
  const height = 220;
  const top = 16;
  const bottom = 30;
  const left = 46;
  const plot = height - top - bottom;
  const max = niceMax(Math.max(0, ...items.map((item) => item.value ?? 0)));
  const slot = (WIDTH - left - 8) / Math.max(items.length, 1);
  const barWidth = r(Math.max(2, Math.min(36, slot * 0.7)));
  // Label every month while they fit; otherwise every nth.
  const every = Math.max(1, Math.ceil(items.length / 12));
  const axis = (value: number) =>
    value.toLocaleString(props.lang === "zh" ? "zh-CN" : "en", { notation: "compact" });
  const x = (index: number) => r(left + index * slot + (slot - barWidth) / 2);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={props.described === false ? `${id}-title` : `${id}-title ${id}-desc`}
      font-size="12"
    >
      <title id={`${id}-title`}>{title}</title>
      {props.described !== false && (
        <desc id={`${id}-desc`}>{describe(items, props.separator)}</desc>
      )}
      {/* What the columns count, said on the chart itself, not only to screen readers. */}
      <text x={left} y={11} fill="#59636e">
        {title}
      </text>
      <line x1={left} y1={top} x2={WIDTH - 8} y2={top} stroke="#d8dee4" />
      <line x1={left} y1={top + plot / 2} x2={WIDTH - 8} y2={top + plot / 2} stroke="#eef0f2" />
      <line x1={left} y1={top + plot} x2={WIDTH - 8} y2={top + plot} stroke="#8c959f" />
      <g fill="#59636e" text-anchor="end">
        <text x={left - 6} y={top + 4}>
          {axis(max)}
        </text>
        <text x={left - 6} y={top + plot / 2 + 4}>
          {axis(max / 2)}
        </text>
        <text x={left - 6} y={top + plot + 4}>
          0
        </text>
      </g>
      <path
        fill="#c0392b"
        d={bars(
          items.map((item, index) => {
            const h = item.value ? Math.max(1, (item.value / max) * plot) : 0;
            return [x(index), top + plot - h, barWidth, h];
          }),
        )}
      />
      <g fill="#1f2328" text-anchor="middle">
        {items.map((item, index) =>
          index % every === 0 ? (
            <text x={r(x(index) + barWidth / 2)} y={height - bottom + 18}>
              {item.label}
            </text>
          ) : null,
        )}
      </g>
    </svg>
  );
}
