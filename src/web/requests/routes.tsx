import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { actorOf } from "../../auth/actor";
import { AppError } from "../../lib/errors";
import { Uuid } from "../../lib/schemas";
import { storableForm } from "../../lib/text";
import { deliverRequestSoon } from "../../notifications/immediate";
import { posterLinks } from "../../requests/out";
import {
  countOverdue,
  findRequest,
  forwardChoices,
  listRequests,
  listStations,
  posterCommunities,
  type RequestRow,
  staffMessages,
  stepsOf,
} from "../../requests/queries";
import { answerRequest, forwardRequest } from "../../requests/service";
import { stationKindLabels } from "../../requests/vocabulary";
import type { WebEnv } from "../env";
import { notFoundPage } from "../errors";
import { requireStaffRoles } from "../guard";
import { renderPage } from "../layout";
import { type DeskFilters, deskListPath, PosterList, RequestList, RequestPage } from "./page";

const isUuid = (id: string) => v.is(Uuid, id);

async function showRequest(
  c: Context<WebEnv>,
  row: RequestRow,
  options: { notice?: string; problem?: string; status?: ContentfulStatusCode } = {},
) {
  const { t, lang, principal, db } = c.var;
  const [steps, choices] = await Promise.all([
    stepsOf(db, row.id),
    forwardChoices(db, row.countyCode),
  ]);
  return renderPage(
    c,
    { title: `${t.desk.title} ${row.trackingCode}`, principal, status: options.status },
    <RequestPage
      t={t}
      lang={lang}
      row={row}
      steps={steps}
      now={c.var.now}
      canAccept={principal.role !== "department" && row.deskCommunityId !== null}
      choices={choices}
      notice={options.notice}
      problem={options.problem}
    />,
  );
}

/** Runs a routing step from a form: back to the request (303), or the page with the problem. */
async function routeFromForm(
  c: Context<WebEnv>,
  step: (row: RequestRow, body: Record<string, unknown>) => Promise<unknown> | "invalid",
  invalidMessage: string,
) {
  const id = c.req.param("id") ?? "";
  const row = isUuid(id) ? await findRequest(c.var.db, c.var.principal.scope, id) : undefined;
  if (!row) return notFoundPage(c);
  const body = storableForm(await c.req.parseBody());
  try {
    const done = await step(row, body);
    if (done === "invalid") return showRequest(c, row, { problem: invalidMessage, status: 400 });
  } catch (error) {
    if (!(error instanceof AppError) || error.code === "NOT_FOUND") throw error;
    const current = (await findRequest(c.var.db, c.var.principal.scope, id)) ?? row;
    const problem = error.code === "CONFLICT" ? c.var.t.desk.notWaiting : invalidMessage;
    return showRequest(c, current, { problem, status: error.status });
  }
  deliverRequestSoon(c, { requestId: id });
  // Forwarded away from the caller's own desk: back to the list, which no longer shows it.
  const after = await findRequest(c.var.db, c.var.principal.scope, id);
  return c.redirect(after ? `/staff/requests/${id}?done=1` : "/staff/requests?done=1", 303);
}

const text = (value: unknown, max: number) =>
  typeof value === "string" ? value.trim().slice(0, max) : "";

/** Requests on one page of the desk's list: 20 keep it within 20 KB whatever they say. */
const PAGE_SIZE = 20;

/** The list's filters as typed in its address: page from 1, a 查询码 in capitals. */
function listFilters(query: Record<string, string>): DeskFilters {
  const page = Number.parseInt(query.page ?? "", 10);
  return {
    overdue: query.overdue === "true",
    // As people copy it: any case, full-width, with spaces or dashes between its characters.
    code: (query.code ?? "")
      .normalize("NFKC")
      .replace(/[\s\-_]/g, "")
      .toUpperCase()
      .slice(0, 10),
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
  };
}

/** /staff/requests: 群众需求 at the caller's desks — list, one request, answer, forward. */
export const requestPageRoutes = new Hono<WebEnv>()
  .use(requireStaffRoles(["coordinator", "admin", "department"]))
  .get("/", async (c) => {
    const { t, lang, principal, db, now } = c.var;
    const filters = listFilters(c.req.query());
    const [rows, overdue, messages] = await Promise.all([
      listRequests(
        db,
        principal.scope,
        {
          overdue: filters.overdue,
          trackingCode: filters.code || undefined,
          limit: PAGE_SIZE,
          offset: (filters.page - 1) * PAGE_SIZE,
        },
        now,
      ),
      countOverdue(db, principal.scope, now),
      // The reminders head the first page only.
      filters.page === 1 && !filters.code ? staffMessages(db, principal.scope, 10) : [],
    ]);
    // Past the last page (an old link, a typed number): to the last page there is, if any.
    if (rows.length === 0 && filters.page > 1) {
      const [first] = await listRequests(
        db,
        principal.scope,
        { overdue: filters.overdue, trackingCode: filters.code || undefined, limit: 1, offset: 0 },
        now,
      );
      const last = Math.max(1, Math.ceil((first?.total ?? 0) / PAGE_SIZE));
      return c.redirect(deskListPath(filters, last), 303);
    }
    return renderPage(
      c,
      { title: t.desk.title, principal, without: ["tables", "forms"] },
      <RequestList
        t={t}
        lang={lang}
        rows={rows}
        filters={filters}
        pages={Math.max(1, Math.ceil((rows[0]?.total ?? 0) / PAGE_SIZE))}
        overdue={overdue}
        now={now}
        messages={messages}
      />,
    );
  })
  .get("/posters", async (c) => {
    const { t, lang, principal, db } = c.var;
    const origin = c.var.config.publicOrigin;
    const [communities, stations] = await Promise.all([
      posterCommunities(db, principal.scope),
      listStations(db, principal.scope),
    ]);
    const posters = [
      ...communities.map((community) => ({
        label: community.name,
        ...posterLinks(origin, { communityId: community.id }),
      })),
      ...stations.slice(0, 20).map((station) => ({
        label: `${station.communityName} · ${stationKindLabels[station.kind][lang]}${t.aside(station.name)}`,
        ...posterLinks(origin, { stationId: station.id }),
      })),
    ].map(({ label, posterUrl, qrUrl }) => ({ label, formUrl: posterUrl, qrUrl }));
    return renderPage(
      c,
      { title: t.desk.posters, principal, without: ["tables", "forms"] },
      <PosterList t={t} posters={posters} />,
    );
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const row = isUuid(id) ? await findRequest(c.var.db, c.var.principal.scope, id) : undefined;
    if (!row) return notFoundPage(c);
    const done = c.req.query("done") === "1";
    return showRequest(c, row, { notice: done ? c.var.t.desk.done : undefined });
  })
  .post("/:id/answer", (c) =>
    routeFromForm(
      c,
      (row, body) => {
        const reply = text(body.reply, 1000);
        if (!reply) return "invalid";
        return answerRequest(actorOf(c), row.id, reply);
      },
      c.var.t.desk.errReply,
    ),
  )
  .post("/:id/forward", (c) =>
    routeFromForm(
      c,
      (row, body) => {
        const to = text(body.to, 60);
        const reason = text(body.reason, 500);
        if (!reason || (to !== "department" && !isUuid(to))) return "invalid";
        return forwardRequest(actorOf(c), row.id, {
          communityId: to === "department" ? null : to,
          reason,
        });
      },
      c.var.t.desk.errForward,
    ),
  );
