import type { Candidate } from "../../matching/types";
import { scoreParts, scoreWeights } from "../../matching/weights";
import { formatPoints } from "../format";
import type { Messages } from "../i18n/zh";

/** A candidate's score, part by part, with a bar for each (folded away on the need page). */
export function ScoreParts({ t, candidate }: { t: Messages; candidate: Pick<Candidate, "parts"> }) {
  return (
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
  );
}
