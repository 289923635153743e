import {
  certificateLevelLabels,
  serviceTypeLabels,
  targetGroupLabels,
} from "../../domain/vocabulary";
import type { EventRow } from "../../events/queries";
import type { CandidateGroup } from "../../matching/explain";
import type { ExclusionCounts, ExclusionReason } from "../../matching/types";
import type { ExplainedCandidate } from "../../needs/candidates";
import type { findNeed } from "../../needs/queries";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import type { RegionNames } from "./candidate-words";
import { CandidateList } from "./candidates";

export type Need = NonNullable<Awaited<ReturnType<typeof findNeed>>>;

export interface Ranking {
  groups: CandidateGroup<ExplainedCandidate>[];
  pool: { workers: number; teams: number };
  excluded: ExclusionCounts;
  names: RegionNames;
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

function Exclusions({ t, excluded }: { t: Messages; excluded: ExclusionCounts }) {
  const rows = (Object.entries(excluded) as [ExclusionReason, number][]).filter(([, n]) => n > 0);
  return (
    <details id="excluded">
      <summary>{t.excludedTitle}</summary>
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
    </details>
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
            <a href={`/staff/events/${event.id}`} aria-label={t.eventPage.linkLabel(event.title)}>
              {t.eventPage.link}
            </a>
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
          <CandidateList
            t={t}
            lang={lang}
            needId={need.id}
            names={ranking.names}
            groups={ranking.groups}
            pool={ranking.pool}
          />
          <Exclusions t={t} excluded={ranking.excluded} />
        </>
      ) : (
        <p class="notice">{t.needNotOpen}</p>
      )}
    </>
  );
}
