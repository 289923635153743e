import {
  type CertificateLevel,
  certificateLevelLabels,
  serviceTypeLabels,
  targetGroupLabels,
} from "../../domain/vocabulary";
import type { EventRow } from "../../events/queries";
import type { Candidate, ExclusionCounts, ExclusionReason } from "../../matching/types";
import { scoreParts, scoreWeights } from "../../matching/weights";
import type { findNeed } from "../../needs/queries";
import { formatDateTime, formatPoints, formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

export type Need = NonNullable<Awaited<ReturnType<typeof findNeed>>>;

export interface ShownCandidate extends Candidate {
  rank: number;
  socialWorkerName: string;
  socialWorkerLevel: CertificateLevel;
  teamName: string;
}

export interface Ranking {
  candidates: ShownCandidate[];
  excluded: ExclusionCounts;
  considered: number;
}

interface NeedPageProps {
  t: Messages;
  lang: Lang;
  need: Need;
  ranking?: Ranking;
  events: EventRow[];
  /** Why the last pick was refused, shown at the top. */
  problem?: string;
}

function NeedFacts({ t, lang, need }: { t: Messages; lang: Lang; need: Need }) {
  const list = (items: string[]) => (items.length > 0 ? items.join(t.listSeparator) : t.none);
  return (
    <dl class="facts card">
      <dt>{t.communityLabel}</dt>
      <dd>{need.communityName}</dd>
      <dt>{t.statusLabel}</dt>
      <dd>
        <span class={`badge ${need.status}`}>{t.needStatus[need.status]}</span>
      </dd>
      <dt>{t.targetGroupsLabel}</dt>
      <dd>{list(need.targetGroups.map((g) => targetGroupLabels[g][lang]))}</dd>
      <dt>{t.expectedPeople}</dt>
      <dd>{t.peopleValue(need.expectedPeople)}</dd>
      <dt>{t.windowsLabel}</dt>
      <dd>
        {need.windows.map((w) => (
          <div>{formatRange(w.start, w.end, lang)}</div>
        ))}
      </dd>
      <dt>{t.durationLabel}</dt>
      <dd>{t.durationValue(need.durationMinutes)}</dd>
      <dt>{t.volunteersLabel}</dt>
      <dd>{t.peopleValue(need.volunteersNeeded)}</dd>
      <dt>{t.skillsLabel}</dt>
      <dd>{list(need.requiredSkills.map((s) => serviceTypeLabels[s][lang]))}</dd>
      <dt>{t.certificateLabel}</dt>
      <dd>{certificateLevelLabels[need.minCertificateLevel][lang]}</dd>
      {need.notes && (
        <>
          <dt>{t.notes}</dt>
          <dd class="pre">{need.notes}</dd>
        </>
      )}
    </dl>
  );
}

function ScoreParts({ t, candidate }: { t: Messages; candidate: ShownCandidate }) {
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

function CandidateCard(props: { t: Messages; lang: Lang; need: Need; candidate: ShownCandidate }) {
  const { t, lang, need, candidate } = props;
  const titleId = `candidate-${candidate.rank}`;
  return (
    <li class="card" aria-labelledby={titleId}>
      <div class="row">
        <h3 id={titleId}>{t.rank(candidate.rank)}</h3>
        <span class="score">
          <span class="muted">{t.totalScore} </span>
          {t.scoreOutOf(formatPoints(candidate.score))}
        </span>
      </div>
      <dl class="facts">
        <dt>{t.socialWorker}</dt>
        <dd>
          {t.withNote(
            candidate.socialWorkerName,
            certificateLevelLabels[candidate.socialWorkerLevel][lang],
          )}
        </dd>
        <dt>{t.team}</dt>
        <dd>{candidate.teamName}</dd>
        <dt>{t.proposedStart}</dt>
        <dd>{formatDateTime(candidate.start, lang)}</dd>
      </dl>
      <ScoreParts t={t} candidate={candidate} />
      <form method="post" action={`/staff/needs/${need.id}/accept`}>
        <input type="hidden" name="socialWorkerId" value={candidate.socialWorkerId} />
        <input type="hidden" name="teamId" value={candidate.teamId} />
        <input type="hidden" name="start" value={candidate.start.toISOString()} />
        <button
          class="primary"
          type="submit"
          aria-label={t.chooseLabel(candidate.rank, candidate.socialWorkerName, candidate.teamName)}
        >
          {t.choose}
        </button>
      </form>
    </li>
  );
}

function Exclusions({ t, excluded }: { t: Messages; excluded: ExclusionCounts }) {
  const rows = (Object.entries(excluded) as [ExclusionReason, number][]).filter(([, n]) => n > 0);
  return (
    <section aria-labelledby="excluded-title">
      <h2 id="excluded-title">{t.excludedTitle}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.excludedNone}</p>
      ) : (
        <dl class="facts card">
          {rows.map(([reason, count]) => (
            <>
              <dt>{t.exclusion[reason] ?? reason}</dt>
              <dd>{t.excludedCount(count)}</dd>
            </>
          ))}
        </dl>
      )}
    </section>
  );
}

function NeedEvents({ t, lang, events }: { t: Messages; lang: Lang; events: EventRow[] }) {
  return (
    <section aria-labelledby="need-events-title">
      <h2 id="need-events-title">{t.eventsForNeed}</h2>
      <ul class="cards">
        {events.map((event) => (
          <li class="card">
            <dl class="facts">
              <dt>{t.timeLabel}</dt>
              <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
              <dt>{t.leadLabel}</dt>
              <dd>{event.leadSocialWorkerName}</dd>
              <dt>{t.statusLabel}</dt>
              <dd>
                <span class={`badge ${event.status}`}>{t.eventStatus[event.status]}</span>
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A need, its ranked candidates with the parts of their scores, and what was excluded. */
export function NeedPage(props: NeedPageProps) {
  const { t, lang, need, ranking } = props;
  return (
    <>
      <p>
        <a href="/staff">← {t.back}</a>
      </p>
      <h1>{t.needTitle(serviceTypeLabels[need.serviceType][lang])}</h1>
      {props.problem && (
        <div class="alert" role="alert">
          {props.problem}
        </div>
      )}
      <h2 class="muted">{t.needDetails}</h2>
      <NeedFacts t={t} lang={lang} need={need} />
      {props.events.length > 0 && <NeedEvents t={t} lang={lang} events={props.events} />}
      {ranking ? (
        <>
          <section aria-labelledby="candidates-title">
            <h2 id="candidates-title">{t.candidatesTitle}</h2>
            <p class="muted">{t.candidatesIntro}</p>
            <p class="muted">{t.considered(ranking.considered)}</p>
            {ranking.candidates.length === 0 ? (
              <p class="card">{t.noCandidates}</p>
            ) : (
              <ol class="cards">
                {ranking.candidates.map((candidate) => (
                  <CandidateCard t={t} lang={lang} need={need} candidate={candidate} />
                ))}
              </ol>
            )}
          </section>
          <Exclusions t={t} excluded={ranking.excluded} />
        </>
      ) : (
        <p class="notice">{t.needNotOpen}</p>
      )}
    </>
  );
}
