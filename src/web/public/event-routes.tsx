import { type Context, Hono } from "hono";
import { setCookie } from "hono/cookie";
import { renderSVG } from "uqr";
import * as v from "valibot";
import { callerOf } from "../../auth/actor";
import { maskMobile } from "../../domain/mobile";
import {
  citiesWithCounties,
  communityOptions,
  findPublicEvent,
  listPublicEvents,
  type PublicEvent,
} from "../../events/public-queries";
import { PAGE_SIZE, readPublicSearch } from "../../events/public-search";
import { AppError } from "../../lib/errors";
import { eventPath, privateLinkPath, publicUrl } from "../../lib/links";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { signupAttemptAllowed, signupClientLimit } from "../../middleware/signup-limits";
import { deliverSoon } from "../../notifications/immediate";
import { signUp } from "../../signups/service";
import type { WebEnv } from "../env";
import { publicNotFound } from "./errors";
import { EventPage, SignupForm } from "./event-page";
import {
  emptySignupForm,
  readSignupForm,
  type SignupFieldErrors,
  type SignupFormValues,
  validateSignupForm,
} from "./form";
import { renderPublicPage } from "./layout";
import { EventList } from "./list-page";
import { AlreadySignedUp } from "./signup-pages";

/** The province whose cities and counties the list's filter offers (辽宁). */
export const PROVINCE_CODE = "210000";

/** The visitor's chosen community, remembered for the front door (a region code, not personal). */
export const NEAR_COOKIE = "near";

const isUuid = (id: string) => v.is(Uuid, id);

function showEvent(
  c: Context<WebEnv>,
  event: PublicEvent,
  form: {
    values: SignupFormValues;
    errors: SignupFieldErrors;
    status: 200 | 400 | 409 | 429;
    alert?: string;
  },
) {
  const { t, lang } = c.var;
  return renderPublicPage(
    c,
    { title: event.title, status: form.status },
    <EventPage
      t={t}
      lang={lang}
      event={event}
      now={c.var.now}
      values={form.values}
      errors={form.errors}
      alert={form.alert}
      retentionDays={c.var.config.retentionDays}
    />,
  );
}

/**
 * Too many forms from one address: the form again, as typed, saying when to send it — without
 * touching the database (that is what the limit protects).
 */
async function limitedForm(c: Context<WebEnv>, retryAfterSeconds: number) {
  const { t, lang } = c.var;
  const id = c.req.param("id") ?? "";
  const values = readSignupForm(storableForm(await c.req.parseBody({ all: true })));
  return renderPublicPage(
    c,
    { title: t.limits.title, status: 429 },
    <>
      <h1>{t.limits.title}</h1>
      <p class="alert" role="alert">
        {t.limits.retryIn(retryAfterSeconds)}
      </p>
      <p>
        <a href={eventPath(id)}>{t.limits.backToEvent}</a>
      </p>
      <SignupForm
        t={t}
        lang={lang}
        eventId={id}
        values={values}
        errors={{}}
        retentionDays={c.var.config.retentionDays}
      />
    </>,
  );
}

/** /events: the list, an event's page, its poster QR code, and the sign-up form's POST. */
export const eventPages = new Hono<WebEnv>()
  .get("/", async (c) => {
    const { t, lang, db } = c.var;
    const search = readPublicSearch(c.req.query());
    const county = search.region && !search.region.endsWith("00") ? search.region : undefined;
    const [cities, nearOptions, page] = await Promise.all([
      citiesWithCounties(db, PROVINCE_CODE),
      county ? communityOptions(db, county) : [],
      listPublicEvents(db, search, c.var.now, {
        limit: PAGE_SIZE,
        offset: (search.page - 1) * PAGE_SIZE,
      }),
    ]);
    if (search.near)
      setCookie(c, NEAR_COOKIE, search.near, {
        path: "/",
        maxAge: 365 * 86_400,
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
      });
    return renderPublicPage(
      c,
      { title: t.public.eventsTitle },
      <EventList
        t={t}
        lang={lang}
        search={search}
        cities={cities}
        nearOptions={nearOptions}
        events={page.events}
        total={page.total}
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
    const url = publicUrl(c.var.config.publicOrigin, eventPath(id));
    c.header("Cache-Control", "public, max-age=86400");
    c.header("Content-Type", "image/svg+xml; charset=utf-8");
    return c.body(renderSVG(url, { border: 2, ecc: "M" }));
  })
  // The language switch on a re-shown form links here: back to the event page.
  .get("/:id/signup", (c) => c.redirect(eventPath(c.req.param("id")), 303))
  .post("/:id/signup", signupClientLimit<WebEnv>(limitedForm), async (c) => {
    const { t, lang, db } = c.var;
    const id = c.req.param("id");
    const event = isUuid(id) ? await findPublicEvent(db, id) : undefined;
    if (!event) return publicNotFound(c);
    const values = readSignupForm(storableForm(await c.req.parseBody({ all: true })));
    const form = validateSignupForm(values);
    if (form.errors) return showEvent(c, event, { values, errors: form.errors, status: 400 });
    // Only a well-formed sign-up counts against the event's and the number's limits.
    const allowed = await signupAttemptAllowed(c, id, form.mobile);
    if (!allowed.success) {
      c.header("Retry-After", String(allowed.retryAfterSeconds));
      const alert = t.limits.retryIn(allowed.retryAfterSeconds);
      return showEvent(c, event, { values, errors: {}, status: 429, alert });
    }
    let result: Awaited<ReturnType<typeof signUp>>;
    try {
      result = await signUp(callerOf(c), { eventId: id, ...form, consent: true });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
      // Cancelled or closed since the page was loaded: show the event as it is now.
      const current = (await findPublicEvent(db, id)) ?? event;
      return showEvent(c, current, { values, errors: {}, status: 409 });
    }
    if (result.existing) {
      const { signup } = result;
      return renderPublicPage(
        c,
        { title: t.public.existingTitle },
        <AlreadySignedUp
          t={t}
          lang={lang}
          event={event}
          status={signup.status}
          position={signup.waitlistPosition}
          mobile={form.mobile}
          mobileMasked={maskMobile(form.mobile)}
        />,
      );
    }
    deliverSoon(c, [result.signup.id]);
    // POST → 303 → GET: the confirmation is the private page itself, so a reload shows it
    // again (never a second submission) and its address is the link to keep.
    const page = publicUrl(c.var.config.publicOrigin, privateLinkPath(result.manageToken));
    return c.redirect(`${page}?new=1`, 303);
  });
