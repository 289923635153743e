import type { Messages } from "./i18n/zh";

/** Lines on one page of a staff list: 20 keep a full page within 20 KB. */
export const LIST_PAGE_SIZE = 20;

/** The page a list's `?page=` asks for, from 1 (anything else: the first). */
export function pageOf(value: string | undefined): number {
  const page = Number.parseInt(value ?? "", 10);
  return Number.isSafeInteger(page) && page > 1 ? page : 1;
}

/** How many pages `total` lines fill (at least one, empty or not). */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
}

/**
 * 上一页 · 第 n / m 页 · 下一页 under a paged list; `pathOf` gives a page's address with the
 * list's other filters kept. Nothing when everything fits on the first page.
 */
export function Pager(props: {
  t: Messages;
  page: number;
  pages: number;
  pathOf: (page: number) => string;
}) {
  const l = props.t.listing;
  const { page, pages, pathOf } = props;
  if (pages <= 1 && page <= 1) return null;
  return (
    <nav class="row" aria-label={l.page(page, pages)}>
      {page > 1 ? (
        <a href={pathOf(Math.min(page - 1, pages))} rel="prev">
          {l.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{l.page(page, pages)}</span>
      {page < pages ? (
        <a href={pathOf(page + 1)} rel="next">
          {l.next}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** A row of links, one per view of a list, the current one marked (works without script). */
export function ViewLinks<View extends string>(props: {
  label: string;
  views: readonly View[];
  current: View;
  labelOf: (view: View) => string;
  pathOf: (view: View) => string;
}) {
  return (
    <nav class="views" aria-label={props.label}>
      {props.views.map((view) => (
        <a href={props.pathOf(view)} aria-current={view === props.current ? "page" : undefined}>
          {props.labelOf(view)}
        </a>
      ))}
    </nav>
  );
}
