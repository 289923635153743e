import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import { tallyRegionFor } from "../auth/scope";
import type { AppEnv } from "../env";
import { sendDownload } from "../lib/download";
import { notFound } from "../lib/errors";
import { toPage } from "../lib/pagination";
import { created, ok, okOrTable, reply, responses, WRITE } from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { deliverRequestSoon } from "../notifications/immediate";
import { requestFiguresExport } from "./exports";
import { requestFigures } from "./figures";
import { posterLinks, requestOut } from "./out";
import { findRequest, listRequests, listStations, stepsOf } from "./queries";
import {
  AcceptedRequestOut,
  AcceptRequest,
  AnswerRequest,
  CreateStation,
  FiguresOut,
  FiguresQuery,
  ForwardRequest,
  ListRequestsQuery,
  ListStationsQuery,
  RequestDetailOut,
  RequestPage,
  StationList,
  StationOut,
} from "./schemas";
import { acceptRequest, answerRequest, forwardRequest } from "./service";
import { createStation } from "./stations";

const tags = ["requests"];
const DESKS = ["admin", "department", "coordinator"] as const;

/** 问需: requests at the caller's desks, routing them, and the departments' figures (研判). */
export const requestRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List requests at your desks",
      description:
        "Waiting ones first, by their first-answer limit, then the closed ones, newest first. `overdue=true`: only those past a limit.",
      tags,
      responses: responses(ok("A page of requests", RequestPage), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole(...DESKS),
    validate("query", ListRequestsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const rows = await listRequests(
        c.var.db,
        c.var.principal.scope,
        { ...query, overdue: query.overdue === "true" },
        c.var.now,
      );
      const page = toPage(rows, query.limit, query.offset);
      return reply(c, RequestPage, {
        ...page,
        data: page.data.map((row) => requestOut({ ...row, total: 0 }, c.var.now)),
      });
    },
  )
  .get(
    "/figures",
    describeRoute({
      summary: "Figures of requests (研判) by month, kind, asker or region",
      description:
        "Received, accepted, turned into needs, resolved (within the limit), overdue now, median " +
        "hours to first answer and to resolution, average rating; suggestions listed. " +
        "`format=csv` gives the rows and a 合计 line as UTF-8 CSV with a BOM, `format=xlsx` as " +
        "an Excel workbook (months and codes as text, figures as numbers); Chinese labels unless " +
        "`lang=en`.",
      tags,
      // 404: a region outside the caller's reach.
      responses: responses(
        okOrTable("The figures (JSON), or as CSV / xlsx with `format=csv|xlsx`", FiguresOut),
        { auth: true, roles: true, id: true, input: true },
      ),
    }),
    requireRole(...DESKS),
    validate("query", FiguresQuery),
    async (c) => {
      const query = c.req.valid("query");
      const region = tallyRegionFor(c.var.principal, query.region);
      const download = query.format !== "json";
      const lang = query.lang ?? (download ? "zh" : "en");
      const figures = await requestFigures(c.var.db, {
        region,
        from: query.from,
        to: query.to,
        groupBy: query.groupBy,
        lang,
        now: c.var.now,
        principal: c.var.principal,
      });
      if (query.format !== "json")
        return sendDownload(c, requestFiguresExport(figures, lang, query.format));
      c.header("Cache-Control", "no-store");
      return reply(c, FiguresOut, figures);
    },
  )
  .get(
    "/:id",
    describeRoute({
      summary: "Get a request with its steps",
      tags,
      responses: responses(ok("The request", RequestDetailOut), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    requireRole(...DESKS),
    validate("param", IdParam),
    async (c) => {
      const row = await findRequest(c.var.db, c.var.principal.scope, c.req.valid("param").id);
      if (!row) throw notFound("request");
      const steps = await stepsOf(c.var.db, row.id);
      return reply(c, RequestDetailOut, { ...requestOut(row, c.var.now), steps });
    },
  )
  .post(
    "/:id/accept",
    describeRoute({
      summary: "Turn a request into a service need of its desk's community (转为服务需求)",
      tags,
      responses: responses(created("The request, accepted, and its need", AcceptedRequestOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireRole("admin", "coordinator"),
    validate("param", IdParam),
    validate("json", AcceptRequest),
    async (c) => {
      const { request, need } = await acceptRequest(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      deliverRequestSoon(c, { requestId: request.id });
      return reply(
        c,
        AcceptedRequestOut,
        { request: requestOut(request, c.var.now), needId: need.id },
        201,
      );
    },
  )
  .post(
    "/:id/answer",
    describeRoute({
      summary: "Answer a request and close it with a reply (答复办结)",
      tags,
      responses: responses(ok("The request, answered", RequestDetailOut), { ...WRITE, id: true }),
    }),
    requireRole(...DESKS),
    validate("param", IdParam),
    validate("json", AnswerRequest),
    async (c) => {
      const row = await answerRequest(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json").reply,
      );
      deliverRequestSoon(c, { requestId: row.id });
      const steps = await stepsOf(c.var.db, row.id);
      return reply(c, RequestDetailOut, { ...requestOut(row, c.var.now), steps });
    },
  )
  .post(
    "/:id/forward",
    describeRoute({
      summary: "Forward a request to another community or the county department (平台流转)",
      description: "`communityId: null` sends it to the county department's desk.",
      tags,
      responses: responses(ok("The request at its new desk", RequestDetailOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireRole(...DESKS),
    validate("param", IdParam),
    validate("json", ForwardRequest),
    async (c) => {
      const row = await forwardRequest(actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      deliverRequestSoon(c, { requestId: row.id });
      const steps = await stepsOf(c.var.db, row.id);
      return reply(c, RequestDetailOut, { ...requestOut(row, c.var.now), steps });
    },
  );

/** 爱心驿站 / 司机之家: places of a community, each with its own request poster. */
export const stationRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get(
    "/",
    describeRoute({
      summary: "List stations with their poster links",
      tags,
      responses: responses(ok("Stations in your scope", StationList), {
        auth: true,
        roles: true,
        input: true,
      }),
    }),
    requireRole(...DESKS),
    validate("query", ListStationsQuery),
    async (c) => {
      const rows = await listStations(
        c.var.db,
        c.var.principal.scope,
        c.req.valid("query").communityId,
      );
      const origin = c.var.config.publicOrigin;
      return reply(c, StationList, {
        data: rows.map((row) => ({ ...row, ...posterLinks(origin, { stationId: row.id }) })),
      });
    },
  )
  .post(
    "/",
    describeRoute({
      summary: "Register a station of a community",
      tags,
      responses: responses(created("The station", StationOut), { ...WRITE, id: true }),
    }),
    requireRole("admin", "coordinator"),
    validate("json", CreateStation),
    async (c) => {
      const row = await createStation(actorOf(c), c.req.valid("json"));
      const [station] = await listStations(c.var.db, { kind: "all" }, row.communityId).then(
        (rows) => rows.filter((s) => s.id === row.id),
      );
      if (!station) throw notFound("station");
      const links = posterLinks(c.var.config.publicOrigin, { stationId: row.id });
      return reply(c, StationOut, { ...station, ...links }, 201);
    },
  );
