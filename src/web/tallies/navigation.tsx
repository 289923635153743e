import type { PeriodPreset } from "../../tallies/presets";
import type { Messages } from "../i18n/zh";
import { type DashboardQuery, dashboardHref } from "./tables";

/** The dashboard's own styles: the width of a desktop, and a clean sheet on paper. */
export const dashboardStyles = `
main.wide{max-width:min(96vw,90rem)}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin:.25rem 0 .75rem;padding:0;list-style:none}
.chips a{display:inline-block;border:1px solid #8b1a1a;border-radius:999px;padding:.3rem .8rem;min-height:44px;line-height:1.9;text-decoration:none;color:#8b1a1a;background:#fff}
.chips a[aria-current]{background:#8b1a1a;color:#fff;font-weight:600}
nav.crumbs ol{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;padding:0;margin:0}
nav.crumbs li+li::before{content:"›";margin-right:.25rem;color:#59636e}
table.data td,table.data thead th+th{text-align:right;font-variant-numeric:tabular-nums}
table.data .wrap{text-align:left}
.prompt{border-left:4px solid #b26a00;background:#fff4e0;padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px}
@media (min-width:64rem){
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:end}
.filters .months{flex:1 1 24rem}
.dash{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 2rem}
.dash>.whole{grid-column:1/-1}
.figures{grid-template-columns:repeat(6,minmax(0,1fr))}
svg.chart{max-width:none}
}
@media print{
header.bar,footer,.filters,.chips,.download,.screen-only,.skip{display:none}
body{background:#fff}
main.wide{max-width:none;padding:0}
.scroll{overflow:visible}
.dash{display:block}
section{break-inside:avoid}
}
`;

/** 本月 · 上月 · 本季度 · 今年 · 2025 年: one click for the periods asked most. */
export function PeriodChips(props: {
  t: Messages;
  presets: PeriodPreset[];
  query: DashboardQuery;
}) {
  const { t, query } = props;
  const p = t.presets;
  const label = (preset: PeriodPreset) =>
    preset.kind === "year" ? p.year(preset.year ?? "") : p[preset.kind];
  return (
    <nav aria-label={p.label}>
      <ul class="chips">
        {props.presets.map((preset) => {
          const current = preset.from === query.from && preset.to === query.to;
          return (
            <li>
              <a
                href={dashboardHref({ ...query, from: preset.from, to: preset.to })}
                aria-current={current ? "true" : undefined}
              >
                {label(preset)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Where the dashboard stands in the region tree, from the caller's own region down. */
export function Breadcrumbs(props: {
  t: Messages;
  trail: { code: string; name: string }[];
  query: DashboardQuery;
}) {
  const { t, trail, query } = props;
  if (trail.length < 2) return null;
  return (
    <nav class="crumbs" aria-label={t.tallies.region}>
      <ol>
        {trail.map((region, index) => (
          <li>
            {index === trail.length - 1 ? (
              <span aria-current="page">{region.name}</span>
            ) : (
              <a
                href={dashboardHref({ ...query, region: region.code })}
                aria-label={t.presets.up(region.name)}
              >
                {region.name}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
