import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import type { Principal } from "../../auth/principal";
import { ownCommunityOf } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { pilotCommunityOptions } from "../../directory/communities/queries";
import { serviceTypeLabels } from "../../domain/vocabulary";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { explainedCandidates, explainedPick } from "../../needs/candidates";
import { eventsOfNeed, findNeed } from "../../needs/queries";
import { acceptCandidate, postNeed } from "../../needs/service";
import { deliverRequestSoon } from "../../notifications/immediate";
import { findRequest } from "../../requests/queries";
import { acceptRequest } from "../../requests/service";
import { askerTargetGroup } from "../../requests/vocabulary";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { shanghaiDay } from "../format";
import { requireStaff } from "../guard";
import type { Messages } from "../i18n/zh";
import { renderPage } from "../layout";
import { readBookingForm, readPick } from "./booking-form";
import {
  type BookingValues,
  bookingDefaults,
  ConfirmPage,
  type ConfirmPageProps,
} from "./confirm-page";
import type { CommunityOption } from "./fields";
import { emptyNeedForm, type FieldErrors, readNeedForm, validateNeedForm } from "./form";
import { NeedForm } from "./form-page";
import { type Need, NeedPage } from "./page";

/** An admin picks the community; a coordinator always posts for their own. */
async function communityOptions(
  db: Queryable,
  principal: Principal,
): Promise<CommunityOption[] | undefined> {
  if (principal.role !== "admin") return undefined;
  return pilotCommunityOptions(db);
}

/** Why a pick was refused, in the page's language. */
function problemOf(error: AppError, t: Messages): string {
  if (error.code === "OVERLAP") return t.overlap;
  const reasons = error.details.reasons;
  if (Array.isArray(reasons)) {
    const labels = reasons.map((r) => t.exclusion[r as keyof Messages["exclusion"]] ?? String(r));
    return `${t.pickRejected} ${labels.join(t.listSeparator)}`;
  }
  if (error.code === "CONFLICT") return t.needNotOpen;
  return t.pickInvalid;
}

const isUuid = (id: string) => v.is(Uuid, id);

/** /staff/needs: post a need, see its candidates with their reasons, pick any one. */
export const needPageRoutes = new Hono<WebEnv>()
  .use(requireStaff)
  .get("/new", async (c) => {
    const { t, lang } = c.var;
    const requestId = c.req.query("request");
    const request = isUuid(requestId ?? "")
      ? await findRequest(c.var.db, c.var.principal.scope, requestId ?? "")
      : undefined;
    if (requestId && !request) return notFoundPage(c);
    const values = request
      ? {
          ...emptyNeedForm,
          serviceType: request.kind === "suggestion" ? "" : request.kind,
          targetGroups: [askerTargetGroup[request.askerKind]],
          notes: `${t.desk.fromRequest(request.trackingCode)}：${request.description}`.slice(
            0,
            2000,
          ),
        }
      : emptyNeedForm;
    return renderPage(
      c,
      { title: t.newNeedTitle, principal: c.var.principal },
      <NeedForm
        t={t}
        lang={lang}
        values={values}
        errors={{}}
        communities={request ? undefined : await communityOptions(c.var.db, c.var.principal)}
        today={shanghaiDay(c.var.now)}
        request={request}
      />,
    );
  })
  .post("/new", async (c) => {
    const { t, lang, principal } = c.var;
    const body = storableForm(await c.req.parseBody({ all: true }));
    const addWindow = body.intent === "add-window";
    const values = readNeedForm(body, { addWindow });
    const requestId = typeof body.requestId === "string" ? body.requestId : "";
    const request = isUuid(requestId)
      ? await findRequest(c.var.db, principal.scope, requestId)
      : undefined;
    if (requestId && !request) return notFoundPage(c);
    const showForm = async (errors: FieldErrors, status: 200 | 400) =>
      renderPage(
        c,
        { title: t.newNeedTitle, principal, status },
        <NeedForm
          t={t}
          lang={lang}
          values={values}
          errors={errors}
          communities={request ? undefined : await communityOptions(c.var.db, principal)}
          today={shanghaiDay(c.var.now)}
          request={request}
        />,
      );
    // "Add another window" (a plain submit button: no JavaScript) shows the form one row longer.
    if (addWindow) return showForm({}, 200);
    const { scope } = principal;
    const own = ownCommunityOf(scope);
    const result = validateNeedForm(values, { withCommunity: own === undefined && !request });
    if (result.errors) return showForm(result.errors, 400);
    if (request) {
      // 转为服务需求: the need is posted for the request's desk and linked to it.
      const { communityId: _ignored, ...fields } = result.input;
      const accepted = await acceptRequest(actorOf(c), request.id, fields);
      deliverRequestSoon(c, { requestId: request.id });
      return c.redirect(`/staff/needs/${accepted.need.id}`, 303);
    }
    const communityId = own ? undefined : values.communityId;
    if (communityId !== undefined && !isUuid(communityId))
      return showForm({ communityId: "errCommunity" }, 400);
    try {
      const need = await postNeed(actorOf(c), { ...result.input, communityId });
      return c.redirect(`/staff/needs/${need.id}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "NOT_FOUND") throw error;
      return showForm({ communityId: "errCommunity" }, 400);
    }
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const need = isUuid(id) ? await findNeed(c.var.db, c.var.principal.scope, id) : undefined;
    if (!need) return notFoundPage(c);
    return showNeed(c, need);
  })
  .get("/:id/confirm", async (c) => {
    const id = c.req.param("id");
    const need = isUuid(id) ? await findNeed(c.var.db, c.var.principal.scope, id) : undefined;
    if (!need) return notFoundPage(c);
    const pick = readPick(c.req.query());
    return showConfirm(c, need, pick, bookingDefaults(need, c.var.lang), {});
  })
  .post("/:id/accept", async (c) => {
    const id = c.req.param("id");
    const need = isUuid(id) ? await findNeed(c.var.db, c.var.principal.scope, id) : undefined;
    if (!need) return notFoundPage(c);
    const body = storableForm(await c.req.parseBody());
    const pick = readPick(body);
    if (!pick) return showNeed(c, need, { problem: c.var.t.pickInvalid, status: 400 });
    const booking = readBookingForm(body);
    if (!booking.input) return showConfirm(c, need, pick, booking.values, booking.errors);
    try {
      const event = await acceptCandidate(actorOf(c), need.id, { ...pick, ...booking.input });
      return c.redirect(`/staff/events/${event.id}?done=booked`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === "NOT_FOUND") throw error;
      // Re-read: the need may have changed (matched by someone else) since this page loaded.
      const current = (await findNeed(c.var.db, c.var.principal.scope, need.id)) ?? need;
      return showNeed(c, current, { problem: problemOf(error, c.var.t), status: error.status });
    }
  });

/** The social workers shown on the need page, and how many other teams each one folds. */
const SHOWN = { workers: 6, others: 2 };

/**
 * 确认预约 for a pick: the pair in plain words and the booking form; the need page with the
 * reason instead when the need is no longer open or the pick no longer fits.
 */
async function showConfirm(
  c: Context<WebEnv>,
  need: Need,
  pick: ReturnType<typeof readPick>,
  values: BookingValues,
  errors: ConfirmPageProps["errors"],
) {
  const { t, lang } = c.var;
  if (!pick) return showNeed(c, need, { problem: t.pickInvalid, status: 400 });
  if (need.status !== "open") return showNeed(c, need, { problem: t.needNotOpen, status: 409 });
  const explained = await explainedPick(c.var.db, need, pick, c.var.now);
  if (!explained) return showNeed(c, need, { problem: t.candidatesPlain.pickGone, status: 409 });
  const invalid = Object.keys(errors).length > 0;
  return renderPage(
    c,
    {
      title: t.candidatesPlain.confirmTitle,
      principal: c.var.principal,
      status: invalid ? 400 : 200,
    },
    <ConfirmPage
      t={t}
      lang={lang}
      need={need}
      picked={explained.picked}
      names={explained.names}
      values={values}
      errors={errors}
    />,
  );
}

async function showNeed(
  c: Context<WebEnv>,
  need: Need,
  options: { problem?: string; status?: ContentfulStatusCode } = {},
) {
  const { t, lang } = c.var;
  const [ranking, needEvents] = await Promise.all([
    need.status === "open"
      ? explainedCandidates(c.var.db, need, { now: c.var.now, ...SHOWN })
      : undefined,
    eventsOfNeed(c.var.db, need.id),
  ]);
  return renderPage(
    c,
    {
      title: t.needTitle(serviceTypeLabels[need.serviceType][lang]),
      principal: c.var.principal,
      status: options.status ?? 200,
      without: ["tables", "forms"],
    },
    <NeedPage
      t={t}
      lang={lang}
      need={need}
      ranking={ranking}
      events={needEvents}
      problem={options.problem}
    />,
  );
}
