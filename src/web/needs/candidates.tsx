import { certificateLevelLabels } from "../../domain/vocabulary";
import type { CandidateGroup } from "../../matching/explain";
import type { ExplainedCandidate } from "../../needs/candidates";
import { formatDateTime, formatPoints } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { candidateWords, type RegionNames } from "./candidate-words";

interface Props {
  t: Messages;
  lang: Lang;
  needId: string;
  names: RegionNames;
}

/** Styles of the candidate cards: compact on a phone. */
export const candidateStyles = `
ul.why{margin:.25rem 0 .5rem;padding-left:1.1rem}
ul.why li{margin:0}
.cand .row h3{margin:0}
.cand details{margin:.25rem 0}
.cand a.button{margin:.25rem 0 0}
a.button.secondary{background:#fff;color:#8b1a1a;border:1px solid #8b1a1a;font-weight:400}
ul.others{list-style:none;padding:0;margin:.25rem 0}
ul.others li{border-top:1px solid #e7ecf0;padding:.5rem 0}
`;

/**
 * The 选择 step: a link to the confirmation page (a GET, so nothing is booked on this click). A
 * link rather than a form of hidden fields: the page shows up to 18 of them and must stay small.
 */
function ChooseLink(props: Props & { candidate: ExplainedCandidate; primary: boolean }) {
  const { t, candidate } = props;
  const words = t.candidatesPlain;
  const pick = new URLSearchParams({
    socialWorkerId: candidate.socialWorkerId,
    teamId: candidate.teamId,
    start: candidate.start.toISOString(),
  });
  return (
    <a
      class={props.primary ? "button" : "button secondary"}
      href={`/staff/needs/${props.needId}/confirm?${pick}`}
      aria-label={words.chooseLabel(candidate.socialWorkerName, candidate.teamName)}
    >
      {words.choose}
    </a>
  );
}

/** The plain-word reasons of one pair: the social worker's, then the team's. */
export function Why(props: Props & { candidate: ExplainedCandidate; only?: "team" }) {
  const words = candidateWords(props.t, props.lang, props.candidate.explanation, props.names);
  const lines = props.only === "team" ? words.team : [...words.worker, ...words.team];
  return (
    <ul class="why">
      {lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  );
}

/** Team and proposed start of a pair, on one line. */
function TeamLine(props: Props & { candidate: ExplainedCandidate }) {
  const { t, lang, candidate } = props;
  return (
    <p>
      {t.team}
      {t.colon}
      {candidate.teamName} · {formatDateTime(candidate.start, lang)}
    </p>
  );
}

function GroupCard(props: Props & { group: CandidateGroup<ExplainedCandidate> }) {
  const { t, lang, group } = props;
  const { best, others } = group;
  const words = t.candidatesPlain;
  const titleId = `candidate-${best.rank}`;
  return (
    <li class="card cand" aria-labelledby={titleId}>
      <div class="row">
        <h3 id={titleId}>
          {t.withNote(best.socialWorkerName, certificateLevelLabels[best.socialWorkerLevel][lang])}
        </h3>
        <span class="score">{t.scoreOutOf(formatPoints(best.score))}</span>
      </div>
      <TeamLine {...props} candidate={best} />
      <Why {...props} candidate={best} />
      <ChooseLink {...props} candidate={best} primary />
      {others.length > 0 && (
        <details>
          <summary>{words.otherTeams(others.length)}</summary>
          <ul class="others">
            {others.map((candidate) => (
              <li>
                <div class="row">
                  <span>{candidate.teamName}</span>
                  <span class="muted">{t.scoreOutOf(formatPoints(candidate.score))}</span>
                </div>
                {candidate.start.getTime() !== best.start.getTime() && (
                  <div class="muted">{formatDateTime(candidate.start, lang)}</div>
                )}
                <Why {...props} candidate={candidate} only="team" />
                <ChooseLink {...props} candidate={candidate} primary={false} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** 推荐人选: each social worker once, best first, with the words that explain the pick. */
export function CandidateList(
  props: Props & {
    groups: CandidateGroup<ExplainedCandidate>[];
    pool: { workers: number; teams: number };
  },
) {
  const { t } = props;
  return (
    <section aria-labelledby="candidates-title">
      <style>{candidateStyles}</style>
      <h2 id="candidates-title">{t.candidatesTitle}</h2>
      <p class="muted">{t.candidatesPlain.intro}</p>
      <p class="muted">{t.candidatesPlain.pool(props.pool.workers, props.pool.teams)}</p>
      {props.groups.length === 0 ? (
        <p class="card">{t.noCandidates}</p>
      ) : (
        <ol class="cards">
          {props.groups.map((group) => (
            <GroupCard {...props} group={group} />
          ))}
        </ol>
      )}
    </section>
  );
}
