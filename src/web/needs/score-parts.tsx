import type { Candidate } from "../../matching/types";
import { scoreParts, scoreWeights } from "../../matching/weights";
import { formatPoints } from "../format";
import type { Messages } from "../i18n/zh";

/** Styles of the score table (only the confirmation page shows one). */
const partsStyles = `
table.parts{width:100%;border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
table.parts caption{text-align:left;color:#59636e;font-size:.85rem}
table.parts th,table.parts td{padding:.15rem .25rem;text-align:left;font-weight:400}
table.parts td.pts{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;width:5.5rem}
table.parts td.bar{width:40%}
.meter{height:.6rem;background:#e7ecf0;border-radius:3px;overflow:hidden}
.meter span{display:block;height:100%;background:#c0392b}
`;

/** A candidate's score, part by part, with a bar for each (on the confirmation page). */
export function ScoreParts({ t, candidate }: { t: Messages; candidate: Pick<Candidate, "parts"> }) {
  return (
    <>
      <style>{partsStyles}</style>
      <table class="parts">
        <caption>{t.partsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.partHeader}</th>
            <td aria-hidden="true" />
            <th scope="col" class="pts">
              {t.pointsHeader}
            </th>
          </tr>
        </thead>
        <tbody>
          {scoreParts.map((part) => {
            const points = candidate.parts[part] ?? 0;
            const share = Math.max(0, Math.min(100, (points / scoreWeights[part]) * 100));
            return (
              <tr>
                <th scope="row">{t.scorePart[part]}</th>
                <td class="bar" aria-hidden="true">
                  <div class="meter">
                    <span style={`width:${share.toFixed(0)}%`} />
                  </div>
                </td>
                <td class="pts">
                  {formatPoints(points)} / {scoreWeights[part]}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
