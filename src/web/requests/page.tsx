import { serviceTypeLabels } from "../../domain/vocabulary";
import { overdueOf, type RequestRow } from "../../requests/queries";
import { askerKindLabels } from "../../requests/vocabulary";
import { formatDateTime, formatDeadline, shortened } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

function kindLabel(t: Messages, lang: Lang, kind: RequestRow["kind"]): string {
  return kind === "suggestion" ? t.ask.suggestion : serviceTypeLabels[kind][lang];
}

function OverdueBadges(props: { t: Messages; row: RequestRow; now: Date }) {
  const overdue = overdueOf(props.row, props.now);
  const d = props.t.desk;
  return (
    <>
      {overdue.answer && <span class="badge overdue">{d.answerOverdue}</span>}
      {overdue.resolve && <span class="badge overdue">{d.resolveOverdue}</span>}
    </>
  );
}

/** What the desk's list shows: only those past a limit, one 查询码, which page (from 1). */
export interface DeskFilters {
  overdue: boolean;
  code: string;
  page: number;
}

/** The list's address with its filters, on another page. */
export function deskListPath(filters: DeskFilters, page = filters.page): string {
  const query = new URLSearchParams();
  if (filters.overdue) query.set("overdue", "true");
  if (filters.code) query.set("code", filters.code);
  if (page > 1) query.set("page", String(page));
  const search = query.toString();
  return search ? `/staff/requests?${search}` : "/staff/requests";
}

function CodeSearch(props: { t: Messages; code: string }) {
  const d = props.t.desk;
  return (
    <form class="stack" method="get" action="/staff/requests">
      <label for="code">{d.codeSearch}</label>
      <p class="hint" id="code-hint">
        {d.codeSearchHint}
      </p>
      <p>
        <input
          id="code"
          name="code"
          value={props.code}
          maxlength={10}
          autocomplete="off"
          aria-describedby="code-hint"
        />
      </p>
      <button class="primary" type="submit">
        {d.codeSubmit}
      </button>
    </form>
  );
}

function Pager(props: { t: Messages; filters: DeskFilters; pages: number }) {
  const l = props.t.listing;
  const { filters, pages } = props;
  if (pages <= 1 && filters.page <= 1) return null;
  return (
    <nav class="row" aria-label={l.page(filters.page, pages)}>
      {filters.page > 1 ? (
        <a href={deskListPath(filters, Math.min(filters.page - 1, pages))} rel="prev">
          {l.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{l.page(filters.page, pages)}</span>
      {filters.page < pages ? (
        <a href={deskListPath(filters, filters.page + 1)} rel="next">
          {l.next}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** 群众需求: the desk's requests, waiting ones first, those past a limit flagged; paged. */
export function RequestList(props: {
  t: Messages;
  lang: Lang;
  rows: RequestRow[];
  filters: DeskFilters;
  pages: number;
  overdue: number;
  now: Date;
  messages: { requestId: string; text: string; createdAt: Date }[];
}) {
  const { t, lang, now, filters } = props;
  const d = t.desk;
  const filtered = filters.overdue || filters.code !== "";
  return (
    <>
      <h1>{d.title}</h1>
      <p class="muted">{d.intro}</p>
      {props.overdue > 0 && !filters.overdue && (
        <p class="alert" role="alert">
          <a href="/staff/requests?overdue=true">{d.overdueCount(props.overdue)}</a>
        </p>
      )}
      <CodeSearch t={t} code={filters.code} />
      {filtered && (
        <p>
          {filters.overdue && <span class="badge overdue">{d.overdueBadge}</span>}{" "}
          <a href="/staff/requests">{d.showAll}</a>
        </p>
      )}
      {props.rows.length === 0 ? (
        <p class="card muted">{filters.code ? d.codeNone(filters.code) : d.none}</p>
      ) : (
        <ul class="cards">
          {props.rows.map((row) => (
            <li class="card">
              <div class="row">
                <h3>
                  <a href={`/staff/requests/${row.id}`}>
                    {row.trackingCode} · {kindLabel(t, lang, row.kind)}
                  </a>
                </h3>
                <span class="badge">{t.progress.statusText[row.status]}</span>
                <OverdueBadges t={t} row={row} now={now} />
              </div>
              <p>{shortened(row.description, 40)}</p>
              <p class="muted">
                {askerKindLabels[row.askerKind][lang]} · {row.communityName}
                {row.stationName ? ` · ${shortened(row.stationName, 20)}` : ""} ·{" "}
                {formatDateTime(row.createdAt, lang)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager t={t} filters={filters} pages={props.pages} />
      {props.messages.length > 0 && (
        <section aria-labelledby="messages-title">
          <h2 id="messages-title">{d.messages}</h2>
          <ul>
            {props.messages.map((message) => (
              <li>
                <span class="muted">{formatDateTime(message.createdAt, lang)}</span>{" "}
                <a href={`/staff/requests/${message.requestId}`}>{message.text}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/staff/requests/posters">{d.posters}</a>
      </p>
    </>
  );
}

/** 扫码提需求二维码: the form's and the QR code's links of each community and station. */
export function PosterList(props: {
  t: Messages;
  posters: { label: string; formUrl: string; qrUrl: string }[];
}) {
  const d = props.t.desk;
  return (
    <>
      <p class="muted">
        <a href="/staff/requests">{d.title}</a>
      </p>
      <h1>{d.posters}</h1>
      <p class="muted">{d.postersHint}</p>
      <ul>
        {props.posters.map((poster) => (
          <li>
            {poster.label}: <a href={poster.formUrl}>{d.formLink}</a> ·{" "}
            <a href={poster.qrUrl}>{d.posterOpen}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** One request: what was asked, where it is, its steps, and the desk's three ways to route it. */
export function RequestPage(props: {
  t: Messages;
  lang: Lang;
  row: RequestRow;
  steps: { kind: string; deskName: string | null; note: string | null; at: Date }[];
  now: Date;
  canAccept: boolean;
  choices: { id: string; name: string }[];
  notice?: string;
  problem?: string;
}) {
  const { t, lang, row, now } = props;
  const d = t.desk;
  const g = t.progress;
  const waiting = row.status === "received";
  const open = waiting || row.status === "accepted";
  return (
    <>
      <p class="muted">{d.title}</p>
      <h1>
        {row.trackingCode} · {kindLabel(t, lang, row.kind)}
      </h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.problem && (
        <p class="alert" role="alert">
          {props.problem}
        </p>
      )}
      <div class="card">
        <p>
          <span class="badge">{g.statusText[row.status]}</span>{" "}
          <OverdueBadges t={t} row={row} now={now} />
        </p>
        <dl class="facts">
          <dt>{g.who}</dt>
          <dd>{askerKindLabels[row.askerKind][lang]}</dd>
          <dt>{g.description}</dt>
          <dd>{row.description}</dd>
          <dt>{g.place}</dt>
          <dd>
            {row.communityName}
            {row.stationName ? ` · ${row.stationName}` : ""}
          </dd>
          <dt>{g.desk}</dt>
          <dd>{row.deskCommunityName ?? g.deskDepartment}</dd>
          {row.mobileMasked && (
            <>
              <dt>{g.mobile}</dt>
              <dd>{row.mobileMasked}</dd>
            </>
          )}
          <dt>{g.answerBy}</dt>
          <dd>{formatDeadline(row.answerDueAt, lang)}</dd>
          <dt>{g.resolveBy}</dt>
          <dd>{formatDeadline(row.resolveDueAt, lang)}</dd>
          {row.needId && (
            <>
              <dt>{d.linkedNeed}</dt>
              <dd>
                <a href={`/staff/needs/${row.needId}`}>{d.linkedNeed}</a>
              </dd>
            </>
          )}
          {row.reply && (
            <>
              <dt>{g.reply}</dt>
              <dd>{row.reply}</dd>
            </>
          )}
          {row.rating !== null && (
            <>
              <dt>{g.rating}</dt>
              <dd>
                {g.rated(row.rating)}
                {row.ratingComment ? ` · ${row.ratingComment}` : ""}
              </dd>
            </>
          )}
        </dl>
      </div>
      <h2>{g.steps}</h2>
      <ol class="card">
        {props.steps.map((step) => (
          <li>
            <span class="muted">{formatDateTime(step.at, lang)}</span> {g.step[step.kind]}
            {step.deskName ? ` · ${step.deskName}` : ""}
            {step.note ? t.aside(step.note) : ""}
          </li>
        ))}
      </ol>
      {waiting && props.canAccept && (
        <section>
          <h2>{d.accept}</h2>
          <p class="muted">{d.acceptHint}</p>
          <a class="button" href={`/staff/needs/new?request=${row.id}`}>
            {d.accept}
          </a>
        </section>
      )}
      {open && (
        <form class="stack" method="post" action={`/staff/requests/${row.id}/answer`}>
          <h2>{d.answer}</h2>
          <label for="reply">{d.replyLabel}</label>
          <textarea id="reply" name="reply" rows={3} maxlength={1000} required />
          <button class="primary" type="submit">
            {d.answer}
          </button>
        </form>
      )}
      {waiting && (
        <form class="stack" method="post" action={`/staff/requests/${row.id}/forward`}>
          <h2>{d.forward}</h2>
          <label for="to">{d.forwardTo}</label>
          <select id="to" name="to" required>
            {row.deskCommunityId && <option value="department">{d.forwardDepartment}</option>}
            {props.choices
              .filter((choice) => choice.id !== row.deskCommunityId)
              .map((choice) => (
                <option value={choice.id}>{choice.name}</option>
              ))}
          </select>
          <label for="reason">{d.reason}</label>
          <input id="reason" name="reason" maxlength={500} required />
          <button class="secondary" type="submit">
            {d.forward}
          </button>
        </form>
      )}
    </>
  );
}
