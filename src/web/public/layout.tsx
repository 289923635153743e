import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { WebEnv } from "../env";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

/**
 * The volunteers' pages' own styles: only what they use, so a page on a phone in a WeChat
 * browser stays small (the staff layout carries tables and charts these pages never show).
 */
const styles = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f4f5f7}
a{color:#0b5cad}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:1}
header.bar{background:#8b1a1a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;justify-content:space-between}
header.bar a{color:#fff}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none}
.brand small{font-weight:400;font-size:.8rem;margin-left:.4rem}
.tools{display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.9rem}
.lang a[aria-current]{font-weight:700;text-decoration:none}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0 .75rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.muted,.hint{color:#59636e;font-size:.9rem}
.hint{margin:-.15rem 0 .35rem}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.75rem;margin:0 0 .75rem}
ul.cards{list-style:none;padding:0;margin:0}
.cards h2,.cards h3{margin:0 0 .25rem;font-size:1.05rem}
.row{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;justify-content:space-between}
.badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;background:#e7ecf0;white-space:nowrap}
.badge.open{background:#dff3e4;color:#125b2a}
.badge.pending{background:#fff1c2;color:#6b4b00}
.badge.closed{background:#e7ecf0;color:#3d444d}
dl.facts{display:grid;grid-template-columns:fit-content(42%) 1fr;gap:.2rem .75rem;margin:.25rem 0}
dl.facts dt{color:#59636e}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.button,button.primary{display:inline-block;background:#8b1a1a;color:#fff;border:0;border-radius:6px;padding:.6rem 1.1rem;min-height:44px;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.button.secondary,button.secondary{display:inline-block;background:#fff;color:#8b1a1a;border:1px solid #8b1a1a;border-radius:6px;padding:.5rem .9rem;min-height:44px;font:inherit;text-decoration:none;cursor:pointer}
.notice{border-left:4px solid #1a7f37;background:#eaf7ee;padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px}
.alert{border-left:4px solid #c62828;background:#fdecea;padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px}
.alert h2{font-size:1rem;margin:0 0 .25rem}
.alert ul{margin:0;padding-left:1.2rem}
form.stack label,form.stack legend{display:block;font-weight:600;margin:0 0 .25rem}
form.stack .field{margin:0 0 1rem}
form.stack fieldset{border:1px solid #d8dee4;border-radius:6px;padding:.5rem .75rem .75rem;margin:0 0 1rem;background:#fff}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;min-height:44px}
input[type=checkbox],input[type=radio]{flex:none;width:1.25rem;height:1.25rem;min-height:0;margin:0}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.25rem .75rem}
form.stack .checks label{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:0;min-height:2.5rem;line-height:1.3}
.field-error{color:#b3261e;font-weight:600;margin:.25rem 0 0}
[aria-invalid=true],fieldset.invalid{border-color:#b3261e;border-width:2px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:.75rem 0}
.score{font-size:1.35rem;font-weight:700;color:#8b1a1a;white-space:nowrap;letter-spacing:.05em}
.chips{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem;padding:0;list-style:none}
.chips a{display:inline-block;border:1px solid #8c959f;border-radius:999px;padding:.35rem .9rem;min-height:44px;line-height:1.9;background:#fff;text-decoration:none;color:#1f2328}
.chips a[aria-current]{background:#8b1a1a;border-color:#8b1a1a;color:#fff}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.link-box{overflow-wrap:anywhere}
pre.sms{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0;font:inherit}
footer{max-width:46rem;margin:0 auto;padding:1rem;color:#59636e;font-size:.85rem}
`;

function LanguageSwitch({ lang, path, t }: { lang: Lang; path: string; t: Messages }) {
  const link = (to: Lang, text: string, htmlLang: string) => (
    <a
      href={`${path}?lang=${to}`}
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

/** The one layout of the volunteers' pages: the brand leads to the front door. */
export function PublicLayout(props: {
  t: Messages;
  lang: Lang;
  title: string;
  path: string;
  /** The header's link: finding one's sign-ups unless the page is about something else. */
  nav?: { href: string; text: string };
  children?: Child;
}) {
  const { t, lang, path } = props;
  const nav = props.nav ?? { href: "/find", text: t.find.navLink };
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{`${props.title} · ${t.appName}`}</title>
        <style>{raw(styles)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="bar">
          <a class="brand" href="/">
            {t.appName}
            <small>{t.appTagline}</small>
          </a>
          <div class="tools">
            <a href={nav.href}>{nav.text}</a>
            <LanguageSwitch lang={lang} path={path} t={t} />
          </div>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** Renders a volunteers' page with the given status. */
export function renderPublicPage(
  c: Context<WebEnv>,
  options: { title: string; status?: ContentfulStatusCode; nav?: { href: string; text: string } },
  body: Child,
) {
  const { t, lang } = c.var;
  return c.html(
    <>
      {raw("<!DOCTYPE html>")}
      <PublicLayout t={t} lang={lang} title={options.title} path={c.req.path} nav={options.nav}>
        {body}
      </PublicLayout>
    </>,
    options.status ?? 200,
  );
}
