import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { renderSVG } from "uqr";
import * as v from "valibot";
import { callerOf } from "../../auth/actor";
import { regionLevelOf } from "../../domain/regions";
import {
  findPublicEvent,
  listUpcomingEvents,
  type PublicEvent,
  regionOptions,
} from "../../events/public-queries";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { signupRateLimit } from "../../middleware/rate-limit";
import { manageView } from "../../signups/queries";
import { MANAGE_TOKEN } from "../../signups/schemas";
import { cancelSignUp, signUp } from "../../signups/service";
import type { WebEnv } from "../env";
import { webErrorHandler } from "../errors";
import { chooseLanguage } from "../i18n";
import { renderPage } from "../layout";
import { EventPage } from "./event-page";
import {
  emptySignupForm,
  readSignupForm,
  type SignupFieldErrors,
  type SignupFormValues,
  validateSignupForm,
} from "./form";
import { EventList } from "./list-page";
import { AlreadySignedUp, CancelledPage, Confirmation, ManagePage } from "./signup-pages";

/** The province whose 14 cities the list's filter offers (辽宁). */
const PROVINCE_CODE = "210000";

/** Volunteers' pages hold personal data and take forms: never cached, never framed, no script. */
const pageHeaders = createMiddleware<WebEnv>(async (c, next) => {
  c.header("Cache-Control", "no-store");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});

/** Every public page: headers, the language, and forms only from this site (the database: app.ts). */
const publicMiddleware = [pageHeaders, chooseLanguage, csrf()] as const;

const isUuid = (id: string) => v.is(Uuid, id);

function publicNotFound(c: Context<WebEnv>) {
  const p = c.var.t.public;
  return renderPage(
    c,
    { title: p.notFoundTitle, status: 404 },
    <>
      <h1>{p.notFoundTitle}</h1>
      <p>{p.notFoundBody}</p>
      <p>
        <a href="/events">{p.backToList}</a>
      </p>
    </>,
  );
}

function publicErrors(error: Error, c: Context<WebEnv>) {
  if (error instanceof AppError && error.code === "NOT_FOUND") return publicNotFound(c);
  return webErrorHandler(error, c);
}

function showEvent(
  c: Context<WebEnv>,
  event: PublicEvent,
  form: { values: SignupFormValues; errors: SignupFieldErrors; status: 200 | 400 | 409 },
) {
  const { t, lang } = c.var;
  return renderPage(
    c,
    { title: event.title, status: form.status },
    <EventPage
      t={t}
      lang={lang}
      event={event}
      now={c.var.now}
      values={form.values}
      errors={form.errors}
      retentionDays={c.var.config.retentionDays}
    />,
  );
}

/** A city code and, within it, a county code from the query; anything else is ignored. */
function regionFilter(city?: string, county?: string) {
  const cityCode = city && regionLevelOf(city) === "city" ? city : undefined;
  const countyCode =
    cityCode &&
    county &&
    regionLevelOf(county) === "county" &&
    county.startsWith(cityCode.slice(0, 4))
      ? county
      : undefined;
  return { cityCode, countyCode };
}

const eventPages = new Hono<WebEnv>()
  .use(...publicMiddleware)
  .get("/", async (c) => {
    const { t, lang, db } = c.var;
    const { cityCode, countyCode } = regionFilter(c.req.query("city"), c.req.query("county"));
    const [cities, counties, events] = await Promise.all([
      regionOptions(db, "city", PROVINCE_CODE),
      cityCode ? regionOptions(db, "county", cityCode) : [],
      listUpcomingEvents(db, countyCode ?? cityCode, c.var.now),
    ]);
    return renderPage(
      c,
      { title: t.public.eventsTitle },
      <EventList
        t={t}
        lang={lang}
        cities={cities}
        counties={counties}
        city={cityCode}
        county={countyCode}
        events={events}
      />,
    );
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const event = isUuid(id) ? await findPublicEvent(c.var.db, id) : undefined;
    if (!event) return publicNotFound(c);
    return showEvent(c, event, { values: emptySignupForm, errors: {}, status: 200 });
  })
  .get("/:id/qr.svg", async (c) => {
    const id = c.req.param("id");
    const event = isUuid(id) ? await findPublicEvent(c.var.db, id) : undefined;
    if (!event) return publicNotFound(c);
    const url = new URL(`/events/${id}`, c.req.url).toString();
    c.header("Cache-Control", "public, max-age=86400");
    c.header("Content-Type", "image/svg+xml; charset=utf-8");
    return c.body(renderSVG(url, { border: 2, ecc: "M" }));
  })
  // The language switch on a re-shown form links here: back to the event page.
  .get("/:id/signup", (c) => c.redirect(`/events/${c.req.param("id")}`, 303))
  .post("/:id/signup", signupRateLimit(), async (c) => {
    const { t, lang, db } = c.var;
    const id = c.req.param("id");
    const event = isUuid(id) ? await findPublicEvent(db, id) : undefined;
    if (!event) return publicNotFound(c);
    const values = readSignupForm(storableForm(await c.req.parseBody({ all: true })));
    const form = validateSignupForm(values);
    if (form.errors) return showEvent(c, event, { values, errors: form.errors, status: 400 });
    let result: Awaited<ReturnType<typeof signUp>>;
    try {
      result = await signUp(callerOf(c), { eventId: id, ...form, consent: true });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
      // Cancelled or closed since the page was loaded: show the event as it is now.
      const current = (await findPublicEvent(db, id)) ?? event;
      return showEvent(c, current, { values, errors: {}, status: 409 });
    }
    const { signup } = result;
    if (result.existing) {
      return renderPage(
        c,
        { title: t.public.existingTitle },
        <AlreadySignedUp
          t={t}
          lang={lang}
          event={event}
          status={signup.status}
          position={signup.waitlistPosition}
        />,
      );
    }
    const manageUrl = new URL(`/signups/${result.manageToken}`, c.req.url).toString();
    const waitlisted = signup.status === "waitlisted";
    return renderPage(
      c,
      { title: waitlisted ? t.public.waitlistedTitle : t.public.confirmedTitle },
      <Confirmation
        t={t}
        lang={lang}
        event={event}
        name={result.signup.name}
        status={signup.status}
        position={signup.waitlistPosition}
        code={result.signup.confirmationCode}
        manageUrl={manageUrl}
      />,
    );
  })
  .all("*", (c) => publicNotFound(c))
  .onError(publicErrors);

const signupPages = new Hono<WebEnv>()
  .use(...publicMiddleware)
  .get("/:token", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const { t, lang } = c.var;
    const view = await manageView(c.var.db, c.var.personalDataKeys, token);
    return renderPage(
      c,
      { title: t.public.manageTitle },
      <ManagePage t={t} lang={lang} token={token} event={view.event} signup={view.signup} />,
    );
  })
  .get("/:token/cancel", (c) => c.redirect(`/signups/${c.req.param("token")}`, 303))
  .post("/:token/cancel", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const { t, lang } = c.var;
    try {
      const result = await cancelSignUp(callerOf(c), token);
      return renderPage(
        c,
        { title: t.public.cancelledTitle },
        <CancelledPage t={t} changed={result.changed} placePassedOn={result.promoted !== null} />,
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
      const view = await manageView(c.var.db, c.var.personalDataKeys, token);
      return renderPage(
        c,
        { title: t.public.manageTitle, status: 409 },
        <ManagePage
          t={t}
          lang={lang}
          token={token}
          event={view.event}
          signup={view.signup}
          problem={t.public.cannotCancel}
        />,
      );
    }
  })
  .all("*", (c) => publicNotFound(c))
  .onError(publicErrors);

/**
 * The volunteers' pages: /events (list, event page, sign-up form, poster QR code) and
 * /signups/:token (the private link: view or cancel). Mounted at the root by src/app.ts.
 */
export const publicPages = new Hono<WebEnv>()
  .route("/events", eventPages)
  .route("/signups", signupPages);
