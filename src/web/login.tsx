import { Hono } from "hono";
import { signIn } from "../auth/sessions";
import { AppError } from "../lib/errors";
import { storableForm } from "../lib/text";
import { loginRateLimit } from "../middleware/rate-limit";

/** Too many sign-in attempts from one address: the friendly 429 page (webErrorHandler). */
const tooManyAttempts = (_c: unknown, retryAfterSeconds: number): never => {
  throw new AppError("RATE_LIMITED", "too many sign-in attempts", { retryAfterSeconds });
};

import type { WebEnv } from "./env";
import { safeNext } from "./guard";
import type { Messages } from "./i18n/zh";
import { ErrorSummary, FieldError, renderPage } from "./layout";
import { endSession, setSessionCookie } from "./session";

function LoginForm(props: {
  t: Messages;
  loginName: string;
  next: string;
  failed: boolean;
  notice?: string;
}) {
  const { t, failed } = props;
  const describedBy = failed ? "login-error" : undefined;
  return (
    <>
      <h1>{t.loginTitle}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <ErrorSummary t={t} errors={failed ? [{ href: "#loginName", text: t.loginFailed }] : []} />
      <p class="muted">{t.loginIntro}</p>
      <form class="stack card" method="post" action="/staff/login">
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="loginName">{t.loginName}</label>
          <input
            id="loginName"
            name="loginName"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={64}
            value={props.loginName}
            aria-invalid={failed ? "true" : undefined}
            aria-describedby={describedBy}
          />
        </div>
        <div class="field">
          <label for="password">{t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength={200}
            aria-invalid={failed ? "true" : undefined}
            aria-describedby={describedBy}
          />
          <FieldError id="login-error" message={failed ? t.loginFailed : undefined} />
        </div>
        <button class="primary" type="submit">
          {t.loginSubmit}
        </button>
      </form>
    </>
  );
}

function field(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  return typeof value === "string" ? value.slice(0, max) : "";
}

/** GET/POST /staff/login and POST /staff/logout. */
export const loginRoutes = new Hono<WebEnv>()
  .get("/login", (c) => {
    const { t } = c.var;
    const notice = c.req.query("expired")
      ? t.loginExpired
      : c.req.query("loggedOut")
        ? t.loggedOut
        : undefined;
    return renderPage(
      c,
      { title: t.loginTitle },
      <LoginForm
        t={t}
        loginName=""
        next={safeNext(c.req.query("next"))}
        failed={false}
        notice={notice}
      />,
    );
  })
  .post("/login", loginRateLimit(tooManyAttempts), async (c) => {
    const { t } = c.var;
    const body = storableForm(await c.req.parseBody());
    const loginName = field(body, "loginName", 64).trim();
    const password = field(body, "password", 200);
    const next = safeNext(field(body, "next", 500));
    const session = await signIn(c.var.db, loginName, password, c.var.now);
    if (!session) {
      return renderPage(
        c,
        { title: t.loginTitle, status: 401 },
        <LoginForm t={t} loginName={loginName} next={next} failed />,
      );
    }
    await setSessionCookie(c, session);
    return c.redirect(next, 303);
  })
  .post("/logout", async (c) => {
    await endSession(c);
    return c.redirect("/staff/login?loggedOut=1", 303);
  });
