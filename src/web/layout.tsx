import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Principal } from "../auth/principal";
import type { WebEnv } from "./env";
import type { Lang } from "./i18n";
import type { Messages } from "./i18n/zh";

/** The only styles of the staff pages: small, inline, phone-first (360 px and up). */
const styles = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1f2328;background:#f4f5f7}
a{color:#0b5cad}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:1}
header.bar{background:#8b1a1a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;justify-content:space-between}
header.bar a{color:#fff}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none}
.brand small{font-weight:400;font-size:.8rem;margin-left:.4rem;opacity:.9}
.tools{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;font-size:.9rem}
.tools form{margin:0}
.tools button{background:transparent;color:#fff;border:1px solid #fff8;border-radius:4px;padding:.15rem .6rem;min-height:2rem;font:inherit;cursor:pointer}
.lang a[aria-current]{font-weight:700;text-decoration:none}
main{max-width:46rem;margin:0 auto;padding:1rem}
main.wide{max-width:72rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0 .75rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .25rem}
.muted{color:#59636e;font-size:.9rem}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.75rem;margin:0 0 .75rem}
.button,button.primary{display:inline-block;background:#8b1a1a;color:#fff;border:0;border-radius:6px;padding:.6rem 1.1rem;min-height:44px;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.notice{border-left:4px solid #1a7f37;background:#eaf7ee;padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px}
.alert{border-left:4px solid #c62828;background:#fdecea;padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px}
.alert h2{font-size:1rem;margin:0 0 .25rem}
.alert ul{margin:0;padding-left:1.2rem}
form.stack label,form.stack legend{display:block;font-weight:600;margin:0 0 .25rem}
form.stack .field{margin:0 0 1rem}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;min-height:44px}
.hint{color:#59636e;font-size:.9rem;margin:-.15rem 0 .35rem}
[aria-invalid=true]{border-color:#b3261e;border-width:2px}
details{margin:.25rem 0}
summary{cursor:pointer;color:#0b5cad;min-height:2rem}
footer{max-width:46rem;margin:0 auto;padding:1rem;color:#59636e;font-size:.8rem}
`;

/** Figures, charts and tables. */
const tableStyles = `
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;margin:0 0 1rem}
.figure{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.5rem .75rem}
.figure dt{color:#59636e;font-size:.85rem}
.figure dd{margin:0;font-size:1.5rem;font-weight:700;color:#8b1a1a;font-variant-numeric:tabular-nums}
.figure dd small{display:block;font-size:.75rem;font-weight:400;color:#59636e}
svg.chart{width:100%;max-width:34rem;height:auto;display:block;background:#fff;border:1px solid #d8dee4;border-radius:8px;margin:.25rem 0 .5rem}
.scroll{overflow-x:auto;margin:.25rem 0 .5rem}
table.data{border-collapse:collapse;font-size:.9rem;background:#fff;min-width:100%}
table.data caption{text-align:left;color:#59636e;font-size:.85rem;padding:.25rem 0}
table.data th,table.data td{border:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;white-space:nowrap}
table.data thead th{background:#f0f2f4;font-weight:600}
table.data tbody th{font-weight:400}
table.data td.wrap{white-space:normal;min-width:12rem}
table.data .num{text-align:right;font-variant-numeric:tabular-nums}
.months{display:grid;grid-template-columns:minmax(0,1fr);gap:0 .75rem}
.months>*{min-width:0}
@media (min-width:30rem){.months{grid-template-columns:repeat(2,minmax(0,1fr))}}
`;

/** Cards, badges, facts and scores. */
const cardStyles = `
ul.cards,ol.cards{list-style:none;padding:0;margin:0}
.row{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;justify-content:space-between}
.badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;background:#e7ecf0;white-space:nowrap}
.badge.open,.badge.scheduled,.badge.accepted{background:#dff3e4;color:#125b2a}
.badge.declined,.badge.cancelled,.badge.withdrawn,.badge.overdue{background:#fde2e1;color:#8a1c14}
.badge.pending,.badge.matched{background:#fff1c2;color:#6b4b00}
dl.facts{display:grid;grid-template-columns:fit-content(42%) 1fr;gap:.2rem .75rem;margin:.25rem 0}
dl.facts dt{color:#59636e}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.pre{white-space:pre-wrap}
.score{font-size:1.35rem;font-weight:700;color:#8b1a1a;white-space:nowrap}
.badge.gap{background:#fde2e1;color:#8a1c14;margin:0 .25rem .25rem 0}
.gaps{margin:.25rem 0}
.views{display:flex;flex-wrap:wrap;gap:0 1rem;margin:0 0 .75rem}
.views a{padding:.35rem 0}
.views a[aria-current]{font-weight:700;text-decoration:none;color:#1f2328}
`;

/** The rarer form controls: fieldsets, check boxes, time windows, field errors. */
const formStyles = `
button.secondary{background:#fff;color:#8b1a1a;border:1px solid #8b1a1a;border-radius:6px;padding:.5rem .9rem;min-height:44px;font:inherit;cursor:pointer}
form.stack fieldset{border:1px solid #d8dee4;border-radius:6px;padding:.5rem .75rem .75rem;margin:0 0 1rem;background:#fff}
form.stack fieldset legend{padding:0 .25rem}
form.stack fieldset.plain{border:0;padding:0;margin:0 0 .5rem;background:none}
form.stack fieldset.plain legend{padding:0;font-size:.95rem}
textarea{min-height:6rem}
input[type=checkbox]{flex:none;width:1.25rem;height:1.25rem;min-height:0;margin:0}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.25rem .75rem}
form.stack .checks label{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:0;min-height:2.5rem;line-height:1.3}
.window{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:0 0 .75rem}
.window .date{grid-column:1/-1}
.window label{font-weight:400;font-size:.9rem}
.field-error{color:#b3261e;font-weight:600;margin:.25rem 0 0}
fieldset.invalid{border-color:#b3261e;border-width:2px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-top:1rem}
.numbers{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:0 .75rem}
.numbers .field label{font-weight:400}
`;

/** The style sheets a page can leave out to keep within its budget (all are in by default). */
export type Sheet = "tables" | "cards" | "forms";
const sheets: Record<Sheet, string> = { tables: tableStyles, cards: cardStyles, forms: formStyles };

/** The styles of a page: the base, then every sheet it does not leave out. */
function pageStyles(without: readonly Sheet[] = []): string {
  const kept = (Object.keys(sheets) as Sheet[]).filter((sheet) => !without.includes(sheet));
  return styles + kept.map((sheet) => sheets[sheet]).join("");
}

export interface PageProps {
  t: Messages;
  lang: Lang;
  title: string;
  /** The path the language links stay on. */
  path: string;
  /**
   * The query they keep (a GET's, less `lang`: the same confirmation or period in the other
   * language); empty after a POST, so that a switch never repeats a form post.
   */
  query?: string;
  principal?: Principal;
  /** Pages of tables and charts use a wider column on large screens. */
  wide?: boolean;
  /** Style sheets this page does not use, left out to keep it small (the dashboard, the need page). */
  without?: readonly Sheet[];
  children?: Child;
}

function LanguageSwitch({
  lang,
  path,
  query,
  t,
}: {
  lang: Lang;
  path: string;
  query?: string;
  t: Messages;
}) {
  const link = (to: Lang, text: string, htmlLang: string) => (
    <a
      href={`${path}?${query ? `${query}&` : ""}lang=${to}`}
      hreflang={htmlLang}
      lang={htmlLang}
      aria-current={lang === to ? "true" : undefined}
    >
      {text}
    </a>
  );
  return (
    <nav class="lang" aria-label={t.languageSwitch}>
      {link("zh", "中文", "zh-CN")} / {link("en", "English", "en")}
    </nav>
  );
}

/** The one layout of the staff pages: header with language switch and sign-out, then the page. */
export function Layout(props: PageProps) {
  const { t, lang, title, path, principal } = props;
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${t.appName}`}</title>
        <style>{raw(pageStyles(props.without))}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="bar">
          {/* Volunteers' pages lead home to the event list, staff pages to the staff home. */}
          <a class="brand" href={path.startsWith("/staff") ? "/staff" : "/events"}>
            {t.appName}
            <small>{t.appTagline}</small>
          </a>
          <div class="tools">
            <LanguageSwitch lang={lang} path={path} query={props.query} t={t} />
            {principal && (
              <form method="post" action="/staff/logout">
                <button type="submit">{t.logout}</button>
              </form>
            )}
          </div>
        </header>
        <main id="main" class={props.wide ? "wide" : undefined}>
          {props.children}
        </main>
        {principal && <footer>{t.signedInAs(principal.name)}</footer>}
      </body>
    </html>
  );
}

/** A GET's query without `lang`, for the language links; nothing after a POST. */
function getQuery(c: Context<WebEnv>): string {
  if (c.req.method !== "GET") return "";
  const search = new URL(c.req.url).searchParams;
  search.delete("lang");
  return search.toString();
}

/** Renders a full page in the one layout, with the given status. */
export function renderPage(
  c: Context<WebEnv>,
  options: {
    title: string;
    status?: ContentfulStatusCode;
    principal?: Principal;
    wide?: boolean;
    without?: readonly Sheet[];
  },
  body: Child,
) {
  const { t, lang } = c.var;
  const page = (
    <>
      {raw("<!DOCTYPE html>")}
      <Layout
        t={t}
        lang={lang}
        title={options.title}
        path={c.req.path}
        query={getQuery(c)}
        principal={options.principal}
        wide={options.wide}
        without={options.without}
      >
        {body}
      </Layout>
    </>
  );
  return c.html(page, options.status ?? 200);
}

/** The list of a form's problems at its top, announced to screen readers; each links to its field. */
export function ErrorSummary(props: { t: Messages; errors: { href: string; text: string }[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="alert" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{props.t.errorSummaryTitle}</h2>
      <ul>
        {props.errors.map((error) => (
          <li>
            <a href={error.href}>{error.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A field's own error, placed beside it and referenced by its aria-describedby. */
export function FieldError(props: { id: string; message?: string }) {
  if (!props.message) return null;
  return (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  );
}
