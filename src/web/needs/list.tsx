import { Hono } from "hono";
import { ownCommunityOf } from "../../auth/scope";
import { type NeedStatus, needStatuses, serviceTypeLabels } from "../../domain/vocabulary";
import { endedNeedStatuses, needsByStatus, pendingNeedStatuses } from "../../needs/queries";
import type { WebEnv } from "../env";
import { formatRange } from "../format";
import { requireStaff } from "../guard";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { renderPage } from "../layout";
import { LIST_PAGE_SIZE, Pager, pageCount, pageOf, ViewLinks } from "../pager";

/** What the list shows: the needs still to work on (the default), all, the ended, or one status. */
const needViews = ["pending", "all", "ended", ...needStatuses] as const;
type NeedView = (typeof needViews)[number];

function statusesOf(view: NeedView): readonly NeedStatus[] | undefined {
  if (view === "all") return undefined;
  if (view === "pending") return pendingNeedStatuses;
  if (view === "ended") return endedNeedStatuses;
  return [view];
}

const isNeedView = (value: string | undefined): value is NeedView =>
  needViews.includes(value as NeedView);

/** The list's address for a view and a page (the defaults left out). */
export function needListPath(view: NeedView, page = 1): string {
  const query = new URLSearchParams();
  if (view !== "pending") query.set("status", view);
  if (page > 1) query.set("page", String(page));
  const search = query.toString();
  return search ? `/staff/needs?${search}` : "/staff/needs";
}

type NeedRow = Awaited<ReturnType<typeof needsByStatus>>[number];

function NeedLine(props: { t: Messages; lang: Lang; need: NeedRow; community: boolean }) {
  const { t, lang, need } = props;
  const [first] = need.windows;
  const more = need.windows.length - 1;
  return (
    <li class="card">
      <div class="row">
        <h3>
          <a href={`/staff/needs/${need.id}`}>
            {serviceTypeLabels[need.serviceType][lang]}
            {first ? ` · ${formatRange(first.start, first.end, lang)}` : ""}
          </a>
        </h3>
        <span class={`badge ${need.status}`}>{t.needStatus[need.status]}</span>
      </div>
      {(props.community || more > 0) && (
        <p class="muted">
          {[props.community ? need.communityName : "", more > 0 ? t.moreWindows(more) : ""]
            .filter(Boolean)
            .join(" · ")}
        </p>
      )}
    </li>
  );
}

function NeedListPage(props: {
  t: Messages;
  lang: Lang;
  title: string;
  view: NeedView;
  rows: NeedRow[];
  total: number;
  page: number;
  community: boolean;
}) {
  const { t, lang, view, page } = props;
  const l = t.lists;
  const viewLabel = (v: NeedView) =>
    v === "pending" || v === "all" || v === "ended" ? l.needView[v] : t.needStatus[v];
  return (
    <>
      <h1>{props.title}</h1>
      <ViewLinks
        label={l.needsView}
        views={needViews}
        current={view}
        labelOf={viewLabel}
        pathOf={(v) => needListPath(v)}
      />
      <p class="muted">
        {viewLabel(view)} · {l.count(props.total)}
      </p>
      {props.rows.length === 0 ? (
        <p class="card muted">{l.noNeeds}</p>
      ) : (
        <ul class="cards">
          {props.rows.map((need) => (
            <NeedLine t={t} lang={lang} need={need} community={props.community} />
          ))}
        </ul>
      )}
      <Pager
        t={t}
        page={page}
        pages={pageCount(props.total)}
        pathOf={(p) => needListPath(view, p)}
      />
    </>
  );
}

/**
 * GET /staff/needs: every need in the caller's reach (a coordinator its community's, an admin
 * all), 20 a page, those still to work on by default, in the home's order; `?status=` one status,
 * `all` or `ended`, kept by 上一页/下一页.
 */
export const needListRoutes = new Hono<WebEnv>().get("/", requireStaff, async (c) => {
  const { t, lang, principal, db } = c.var;
  const asked = c.req.query("status");
  const view: NeedView = isNeedView(asked) ? asked : "pending";
  const page = pageOf(c.req.query("page"));
  const statuses = statusesOf(view);
  const rows = await needsByStatus(db, principal.scope, {
    statuses,
    limit: LIST_PAGE_SIZE,
    offset: (page - 1) * LIST_PAGE_SIZE,
  });
  // Past the last page (an old link, a typed number): to the last page there is.
  if (rows.length === 0 && page > 1) {
    const [first] = await needsByStatus(db, principal.scope, { statuses, limit: 1, offset: 0 });
    return c.redirect(needListPath(view, pageCount(first?.total ?? 0)), 303);
  }
  const mine = ownCommunityOf(principal.scope) !== undefined;
  const title = mine ? t.myNeeds : t.allNeeds;
  return renderPage(
    c,
    { title, principal, without: ["tables", "forms"] },
    <NeedListPage
      t={t}
      lang={lang}
      title={title}
      view={view}
      rows={rows}
      total={rows[0]?.total ?? 0}
      page={page}
      community={!mine}
    />,
  );
});
