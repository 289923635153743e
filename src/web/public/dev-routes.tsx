import { Hono } from "hono";
import { devMessages } from "../../notifications/dev-outbox";
import type { WebEnv } from "../env";
import { formatDateTime } from "../format";
import { publicNotFound } from "./errors";
import { renderPublicPage } from "./layout";

/** How many of the remembered messages the page lists (the page stays small). */
const SHOWN = 30;

/**
 * `/dev/messages`, development only (ENVIRONMENT=development, as `npm run dev` sets): every
 * message the sender delivered, newest first, with the number masked and the text in full — the
 * one-time codes and private links a developer needs to walk a volunteer's journey. Anywhere
 * else it does not exist (404).
 */
export const devPages = new Hono<WebEnv>().get("/messages", (c) => {
  if (!c.var.config.development) return publicNotFound(c);
  const { t, lang } = c.var;
  const d = t.devMessages;
  const messages = devMessages().slice(0, SHOWN);
  return renderPublicPage(
    c,
    { title: d.title },
    <>
      <h1>{d.title}</h1>
      <p class="muted">{d.intro}</p>
      {messages.length === 0 ? (
        <p class="card">{d.none}</p>
      ) : (
        <ol class="cards">
          {messages.map((message) => (
            <li class="card">
              <div class="row">
                <strong>{message.toMasked}</strong>
                <span class="badge">{message.kind}</span>
                <span class="muted">{formatDateTime(message.at, lang)}</span>
              </div>
              <pre class="sms">{message.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </>,
  );
});
