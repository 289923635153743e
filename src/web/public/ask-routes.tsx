import { type Context, Hono } from "hono";
import { renderSVG } from "uqr";
import * as v from "valibot";
import { callerOf } from "../../auth/actor";
import { AppError } from "../../lib/errors";
import { publicUrl } from "../../lib/links";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { requestClientLimit, requestMobileAllowed } from "../../middleware/signup-limits";
import { deliverRequestSoon } from "../../notifications/immediate";
import { requestLinkPath } from "../../requests/messages";
import { findPlace, pilotPlaces, progressByToken } from "../../requests/queries";
import { rateRequest, submitRequest } from "../../requests/service";
import { MANAGE_TOKEN } from "../../signups/schemas";
import type { WebEnv } from "../env";
import type { Messages } from "../i18n/zh";
import { AskForm, type AskPlace, ProgressPage } from "./ask-pages";
import { publicNotFound } from "./errors";
import { renderPublicPage } from "./layout";
import {
  type RequestFieldErrors,
  type RequestFormValues,
  readRequestForm,
  validateRequestForm,
} from "./request-form";

const isUuid = (id: string | undefined): id is string => id !== undefined && v.is(Uuid, id);

/** The header link of a requester's pages: the request form. */
const askNav = (t: Messages) => ({ href: "/ask", text: t.ask.navLink });

const emptyForm: RequestFormValues = {
  communityId: "",
  stationId: "",
  askerKind: "",
  kind: "",
  description: "",
  mobile: "",
  consent: false,
};

/** The place a poster (or the re-shown form) names: `c` a community, `s` a station. */
async function placeOf(c: Context<WebEnv>, ids: { c?: string; s?: string }) {
  if (!isUuid(ids.c) && !isUuid(ids.s)) return undefined;
  const place = await findPlace(c.var.db, {
    communityId: isUuid(ids.c) ? ids.c : undefined,
    stationId: isUuid(ids.s) ? ids.s : undefined,
  });
  return place as AskPlace | undefined;
}

async function showForm(
  c: Context<WebEnv>,
  form: {
    place?: AskPlace;
    values: RequestFormValues;
    errors: RequestFieldErrors;
    status: 200 | 400 | 404 | 429;
    alert?: string;
  },
) {
  const { t, lang } = c.var;
  const choices = form.place ? undefined : await pilotPlaces(c.var.db);
  return renderPublicPage(
    c,
    { title: t.ask.title, status: form.status },
    <AskForm
      t={t}
      lang={lang}
      place={form.place}
      choices={choices}
      values={form.values}
      errors={form.errors}
      alert={form.alert}
    />,
  );
}

/** Too many forms from one address: the form again, as typed, without touching the database. */
async function limitedForm(c: Context<WebEnv>, retryAfterSeconds: number) {
  const { t, lang } = c.var;
  const values = readRequestForm(storableForm(await c.req.parseBody()));
  return renderPublicPage(
    c,
    { title: t.limits.title, status: 429 },
    <AskForm
      t={t}
      lang={lang}
      choices={[]}
      values={values}
      errors={{}}
      alert={t.limits.retryIn(retryAfterSeconds)}
    />,
  );
}

/** /ask: 我有需求 — the form (from a poster's QR code), its POST, and the posters' QR codes. */
export const askPages = new Hono<WebEnv>()
  .get("/", async (c) => {
    const ids = { c: c.req.query("c"), s: c.req.query("s") };
    const place = await placeOf(c, ids);
    if ((ids.c || ids.s) && !place) return publicNotFound(c);
    return showForm(c, { place, values: emptyForm, errors: {}, status: 200 });
  })
  .get("/qr.svg", async (c) => {
    const ids = { c: c.req.query("c"), s: c.req.query("s") };
    const place = await placeOf(c, ids);
    if (!place) return publicNotFound(c);
    const query = place.stationId ? `s=${place.stationId}` : `c=${place.communityId}`;
    const url = publicUrl(c.var.config.publicOrigin, `/ask?${query}`);
    c.header("Cache-Control", "public, max-age=86400");
    c.header("Content-Type", "image/svg+xml; charset=utf-8");
    return c.body(renderSVG(url, { border: 2, ecc: "M" }));
  })
  .post("/", requestClientLimit<WebEnv>(limitedForm), async (c) => {
    const { t } = c.var;
    const values = readRequestForm(storableForm(await c.req.parseBody()));
    const place = await placeOf(c, { c: values.communityId, s: values.stationId });
    const form = validateRequestForm(values);
    if (form.errors) return showForm(c, { place, values, errors: form.errors, status: 400 });
    if (!place) return showForm(c, { values, errors: { place: "errPlace" }, status: 400 });
    if (form.mobile) {
      const allowed = await requestMobileAllowed(c, form.mobile);
      if (!allowed.success) {
        c.header("Retry-After", String(allowed.retryAfterSeconds));
        const alert = t.limits.retryIn(allowed.retryAfterSeconds);
        return showForm(c, { place, values, errors: {}, status: 429, alert });
      }
    }
    const result = await submitRequest(
      callerOf(c),
      {
        communityId: place.communityId,
        stationId: place.stationId,
        askerKind: form.askerKind,
        kind: form.kind,
        description: form.description,
        mobile: form.mobile,
        consent: values.consent,
      },
      c.var.config.requestLimits,
    );
    const { config } = c.var;
    // The "received" SMS leaves now; the Cron job sends it if this fails.
    deliverRequestSoon(c, { requestId: result.request.id });
    // POST → 303 → GET: the progress page is the confirmation, and its address the link to keep.
    const page = publicUrl(config.publicOrigin, requestLinkPath(result.token));
    return c.redirect(`${page}?new=1`, 303);
  });

async function showProgress(
  c: Context<WebEnv>,
  token: string,
  options: { status?: 200 | 400 | 409; problem?: string; thanks?: boolean } = {},
) {
  const { t, lang } = c.var;
  const progress = await progressByToken(c.var.db, token);
  if (!progress) return publicNotFound(c);
  return renderPublicPage(
    c,
    // A requester's page leads to the request form, not to finding sign-ups.
    { title: t.progress.title, status: options.status ?? 200, nav: askNav(t) },
    <ProgressPage
      t={t}
      lang={lang}
      token={token}
      pageUrl={publicUrl(c.var.config.publicOrigin, requestLinkPath(token))}
      fresh={c.req.query("new") === "1"}
      progress={progress}
      problem={options.problem}
      thanks={options.thanks}
    />,
  );
}

/** /requests/:token: the private progress link, and the rating (once, when closed). */
export const requestPages = new Hono<WebEnv>()
  .get("/:token", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    return showProgress(c, token, { thanks: c.req.query("rated") === "1" });
  })
  .get("/:token/rating", (c) => c.redirect(requestLinkPath(c.req.param("token")), 303))
  .post("/:token/rating", async (c) => {
    const token = c.req.param("token");
    if (!MANAGE_TOKEN.test(token)) return publicNotFound(c);
    const body = storableForm(await c.req.parseBody());
    const rating = Number(typeof body.rating === "string" ? body.rating : "");
    const comment = typeof body.comment === "string" ? body.comment.slice(0, 500) : "";
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      return showProgress(c, token, { status: 400, problem: c.var.t.progress.errRating });
    try {
      await rateRequest(callerOf(c), token, { rating, comment });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
      return showProgress(c, token, { status: 409, problem: c.var.t.progress.cannotRate });
    }
    return c.redirect(`${requestLinkPath(token)}?rated=1`, 303);
  });
