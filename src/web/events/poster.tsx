import { raw } from "hono/html";
import { serviceTypeLabels } from "../../domain/vocabulary";
import type { EventRow } from "../../events/queries";
import { formatRange } from "../format";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";
import { qrSvg } from "../qr";

/** A sheet of A4 on paper; on a screen, a column that fits a phone. */
const posterStyles = `
@page{size:A4;margin:12mm}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#111;background:#fff}
.screen{background:#f4f5f7;padding:.75rem 1rem;border-bottom:1px solid #d8dee4}
.screen a{color:#0b5cad}
.screen p{margin:.25rem 0}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
main{max-width:186mm;margin:0 auto;padding:1rem;text-align:center}
.brand{color:#8b1a1a;font-weight:700;letter-spacing:.1em;margin:0}
.host{font-size:1.1rem;margin:.25rem 0 0}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0}
.kind{display:inline-block;border:2px solid #8b1a1a;color:#8b1a1a;border-radius:999px;padding:0 .8rem;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;text-align:left;font-size:1.15rem;margin:1rem auto;max-width:34rem}
dt{font-weight:700;color:#8b1a1a}
dd{margin:0;overflow-wrap:anywhere}
.about{white-space:pre-wrap;text-align:left;max-width:34rem;margin:0 auto}
.qr{display:block;width:min(80mm,72vw);height:auto;margin:1rem auto .25rem}
.scan{font-size:1.5rem;font-weight:700;margin:.25rem 0}
.url{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.35rem;font-weight:700;overflow-wrap:anywhere;margin:.25rem 0}
.motto{color:#444;margin-top:1.25rem;border-top:1px solid #ccc;padding-top:.5rem}
.banner{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .75rem;text-align:left}
@media print{.screen{display:none}main{padding:0}h1{font-size:2.6rem}dl{font-size:1.35rem}}
`;

export interface PosterProps {
  t: Messages;
  lang: Lang;
  event: EventRow;
  address: string | null;
  publicUrl: string;
  shortUrl: string;
}

/** The printable sign-up poster: what, when, where, who leads, the QR code and the short link. */
export function PosterDocument(props: PosterProps) {
  const { t, lang, event } = props;
  const p = t.poster;
  const where = [event.communityName, props.address].filter(Boolean).join(" ");
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={t.htmlLang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${p.title(event.title)} · ${t.appName}`}</title>
          <style>{raw(posterStyles)}</style>
        </head>
        <body>
          <div class="screen">
            <p>
              <a href={`/staff/events/${event.id}`}>← {p.back}</a>
            </p>
            <p>{p.printHint}</p>
            {event.status === "cancelled" && (
              <p class="banner" role="alert">
                {p.cancelledBanner}
              </p>
            )}
          </div>
          <main>
            <p class="brand">
              {t.appName} · {t.appTagline}
            </p>
            <p class="host">{event.communityName}</p>
            <h1>{event.title}</h1>
            <span class="kind">{serviceTypeLabels[event.serviceType][lang]}</span>
            <dl>
              <dt>{p.when}</dt>
              <dd>{formatRange(event.startsAt, event.endsAt, lang)}</dd>
              <dt>{p.where}</dt>
              <dd>{where}</dd>
              {event.meetingPoint && (
                <>
                  <dt>{p.meet}</dt>
                  <dd>{event.meetingPoint}</dd>
                </>
              )}
              <dt>{p.lead}</dt>
              <dd>{event.leadSocialWorkerName}</dd>
              {event.contact && (
                <>
                  <dt>{t.eventDetails.contact}</dt>
                  <dd>{event.contact}</dd>
                </>
              )}
            </dl>
            {event.description && <p class="about">{event.description}</p>}
            <p>{p.places(event.capacity)}</p>
            {qrSvg(props.publicUrl, p.qrLabel(event.title))}
            <p class="scan">{p.scan}</p>
            <p>{p.orVisit}</p>
            <p class="url">{props.shortUrl}</p>
            <p class="motto">{p.motto}</p>
          </main>
        </body>
      </html>
    </>
  );
}
