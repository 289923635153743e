import { type Context, Hono } from "hono";
import { callerOf } from "../../auth/actor";
import { normaliseMobile } from "../../domain/mobile";
import { storableForm } from "../../lib/text";
import { findClientLimit } from "../../middleware/signup-limits";
import { sendSoon } from "../../notifications/immediate";
import { renderRecoveryCode } from "../../notifications/render";
import {
  FLOW_TOKEN,
  recoveryView,
  requestRecoveryCode,
  verifyRecoveryCode,
} from "../../signups/recovery";
import { normaliseOneTimeCode } from "../../signups/recovery-rules";
import type { WebEnv } from "../env";
import { publicNotFound } from "./errors";
import { CodeForm, FindOver, FindStart, RecoveredList } from "./find-pages";
import { renderPublicPage } from "./layout";

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 40) : "");

function tooMany(c: Context<WebEnv>, retryAfterSeconds: number, mobile = "") {
  const { t } = c.var;
  c.header("Retry-After", String(retryAfterSeconds));
  return renderPublicPage(
    c,
    { title: t.find.title, status: 429 },
    <FindStart t={t} mobile={mobile} alert={t.find.tooSoon(retryAfterSeconds)} />,
  );
}

/**
 * 找回我的报名: a mobile number, a one-time code by SMS, then that number's sign-ups with new
 * private links. Also how a volunteer whose sign-up was stored while the page answered 503 gets
 * their link. Each step's address is /find/<token> (random, like a private link).
 */
export const findPages = new Hono<WebEnv>()
  .get("/", (c) => {
    const { t } = c.var;
    return renderPublicPage(c, { title: t.find.title }, <FindStart t={t} mobile="" />);
  })
  .post(
    "/",
    findClientLimit<WebEnv>((c, seconds) => tooMany(c, seconds)),
    async (c) => {
      const { t } = c.var;
      const body = storableForm(await c.req.parseBody());
      const typed = text(body.mobile);
      const mobile = normaliseMobile(typed);
      if (!mobile)
        return renderPublicPage(
          c,
          { title: t.find.title, status: 400 },
          <FindStart t={t} mobile={typed} error={t.public.errMobile} />,
        );
      const result = await requestRecoveryCode(callerOf(c), mobile);
      if (!result.ok) return tooMany(c, result.retryAfterSeconds, typed);
      if (result.send)
        sendSoon(c, {
          kind: "recovery_code",
          to: result.send.to,
          text: renderRecoveryCode(result.send.code),
        });
      return c.redirect(`/find/${result.flowToken}`, 303);
    },
  )
  .get("/:token", async (c) => {
    const token = c.req.param("token");
    if (!FLOW_TOKEN.test(token)) return publicNotFound(c);
    const { t, lang } = c.var;
    const view = await recoveryView(c.var.db, c.var.personalDataKeys, token, c.var.now);
    if (view.state === "unknown") return publicNotFound(c);
    if (view.state === "awaiting_code")
      return renderPublicPage(
        c,
        { title: t.find.codeTitle },
        <CodeForm t={t} flowToken={token} mobileMasked={view.mobileMasked} />,
      );
    if (view.state === "verified")
      return renderPublicPage(
        c,
        { title: t.find.listTitle },
        <RecoveredList t={t} lang={lang} mobileMasked={view.mobileMasked} signups={view.signups} />,
      );
    const message = view.state === "expired" ? t.find.listExpired : t.find.tooManyAttempts;
    return renderPublicPage(c, { title: t.find.title }, <FindOver t={t} message={message} />);
  })
  .post(
    "/:token",
    findClientLimit<WebEnv>((c, seconds) => tooMany(c, seconds)),
    async (c) => {
      const token = c.req.param("token");
      if (!FLOW_TOKEN.test(token)) return publicNotFound(c);
      const { t } = c.var;
      const body = storableForm(await c.req.parseBody());
      const code = normaliseOneTimeCode(text(body.code));
      const view = await recoveryView(c.var.db, c.var.personalDataKeys, token, c.var.now);
      if (view.state === "unknown") return publicNotFound(c);
      const codeForm = (error: string) =>
        renderPublicPage(
          c,
          { title: t.find.codeTitle, status: 400 },
          <CodeForm
            t={t}
            flowToken={token}
            mobileMasked={"mobileMasked" in view ? view.mobileMasked : ""}
            error={error}
          />,
        );
      if (view.state === "awaiting_code" && !code) return codeForm(t.find.errCode);
      const result = code
        ? await verifyRecoveryCode(callerOf(c), token, code)
        : { outcome: view.state };
      if (result.outcome === "unknown") return publicNotFound(c);
      if (result.outcome === "verified") return c.redirect(`/find/${token}`, 303);
      if (result.outcome === "wrong") return codeForm(t.find.wrongCode(result.attemptsLeft));
      const message = result.outcome === "expired" ? t.find.expired : t.find.tooManyAttempts;
      return renderPublicPage(
        c,
        { title: t.find.title, status: 400 },
        <FindOver t={t} message={message} />,
      );
    },
  );
