import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { actorOf } from "../auth/actor";
import { requireAuth, requireRole } from "../auth/middleware";
import type { AppEnv } from "../env";
import { findEvent } from "../events/queries";
import { OptionalReason } from "../events/schemas";
import { attachment, sendDownload, tableXlsx, XLSX_MEDIA_TYPE } from "../lib/download";
import { notFound } from "../lib/errors";
import {
  created,
  fileResponse,
  IDEMPOTENCY_KEY,
  jsonResponse,
  ok,
  reply,
  responses,
  WRITE,
} from "../lib/responses";
import { IdParam } from "../lib/schemas";
import { validate } from "../lib/validation";
import { afterResponse } from "../middleware/database";
import { idempotent } from "../middleware/idempotency";
import { deliverRequestSoon } from "../notifications/immediate";
import { resolvePeriod } from "../tallies/service";
import { adjustOutcome } from "./adjustments";
import { recordStream, recordsTable } from "./export";
import { loadOutcome } from "./queries";
import { outcomeRecords, outcomeRecordWalk } from "./records";
import {
  ListOutcomeRecordsQuery,
  OutcomeExportQuery,
  OutcomeOut,
  OutcomeRecordPage,
  RecordAdjustment,
  RecordOutcome,
} from "./schemas";
import { recordOutcome, signOffOutcome } from "./service";

const tags = ["outcomes"];

/**
 * 服务记录 of an event. Mounted under `/events` beside the other event routes, so middleware is
 * per route.
 */
export const outcomeRoutes = new Hono<AppEnv>()
  .get(
    "/:id/outcome",
    describeRoute({
      summary: "An event's outcome, with its adjustments",
      tags,
      responses: responses(ok("The outcome", OutcomeOut), { auth: true, id: true, input: true }),
    }),
    requireAuth,
    validate("param", IdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await findEvent(c.var.db, c.var.principal.scope, id))) throw notFound("event");
      const outcome = await loadOutcome(c.var.db, id);
      if (!outcome) throw notFound("outcome");
      return reply(c, OutcomeOut, outcome);
    },
  )
  .put(
    "/:id/outcome",
    describeRoute({
      summary: "Record an event's outcome (coordinator or lead social worker)",
      description:
        "Person-times per target group, people served, attending volunteers (checked-in " +
        "sign-ups count by themselves; tick directory volunteers by id), hours and typed notes. " +
        "Marks the event completed. People served with 0 volunteers attending or 0 volunteer " +
        "hours answer 409 unless `confirmNoVolunteers: true`. Once signed off, only an admin " +
        "may change it, with a " +
        "`reason`; in a closed month nobody can (409): record an adjustment instead.",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(
        {
          201: jsonResponse("The outcome, recorded for the first time", OutcomeOut),
          200: jsonResponse("The outcome, recorded again", OutcomeOut),
        },
        { ...WRITE, id: true },
      ),
    }),
    requireAuth,
    requireRole("admin", "coordinator", "social_worker"),
    idempotent,
    validate("param", IdParam),
    validate("json", RecordOutcome),
    async (c) => {
      const { outcome, created } = await recordOutcome(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return reply(c, OutcomeOut, outcome, created ? 201 : 200);
    },
  )
  .post(
    "/:id/outcome/sign-off",
    describeRoute({
      summary: "The lead social worker signs the outcome off; then it counts in the tallies",
      description:
        "An admin may sign off in the lead's place with a `reason` (kept in the audit log).",
      tags,
      responses: responses(ok("The outcome, signed off", OutcomeOut), { ...WRITE, id: true }),
    }),
    requireAuth,
    requireRole("social_worker", "admin"),
    validate("param", IdParam),
    validate("json", OptionalReason),
    async (c) => {
      const outcome = await signOffOutcome(
        actorOf(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      // Requesters whose request became this event's need hear that the service was held.
      deliverRequestSoon(c, { eventId: c.req.valid("param").id });
      return reply(c, OutcomeOut, outcome);
    },
  )
  .post(
    "/:id/outcome/adjustments",
    describeRoute({
      summary: "Correct a signed-off outcome of a closed month (admin)",
      description:
        "Booked in the current month as an adjustment, shown as such in the tallies; the " +
        "closed month's figures do not change.",
      tags,
      parameters: [IDEMPOTENCY_KEY],
      responses: responses(created("The outcome with its adjustments", OutcomeOut), {
        ...WRITE,
        id: true,
      }),
    }),
    requireAuth,
    requireRole("admin"),
    idempotent,
    validate("param", IdParam),
    validate("json", RecordAdjustment),
    async (c) =>
      reply(
        c,
        OutcomeOut,
        await adjustOutcome(actorOf(c), c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

const RECORDS_DESCRIPTION =
  "Outcomes of events in the period, and outcomes with an adjustment booked in it (an " +
  "adjustment counts in the month it is booked in). Each carries person-times by target " +
  "group, hours, adjustments, sign-off, and the attending volunteers as pseudonyms (equal for " +
  "one person across records), so every tally and the pilot summary can be recomputed: a " +
  "figure counts signed-off outcomes. Scoped like the tallies.";

/** 服务记录 in bulk: pages with a cursor, and one region-year as a single streamed download. */
export const outcomeRecordRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .use(requireRole("admin", "department", "coordinator"))
  .get(
    "/",
    describeRoute({
      summary: "Outcome records of a region and period, a page at a time",
      description:
        `${RECORDS_DESCRIPTION} Ordered by the event's month and id; pass \`page.nextCursor\` ` +
        "as `cursor` for the next page (null on the last). A walk never repeats or skips a " +
        "record that existed when it began.",
      tags,
      responses: responses(ok("A page of records", OutcomeRecordPage), {
        auth: true,
        roles: true,
        id: true,
        input: true,
      }),
    }),
    validate("query", ListOutcomeRecordsQuery),
    async (c) => {
      const query = c.req.valid("query");
      const period = resolvePeriod(query.from, query.to, c.var.now);
      const page = await outcomeRecords(actorOf(c), { ...query, ...period });
      return reply(c, OutcomeRecordPage, page);
    },
  )
  .get(
    "/export",
    describeRoute({
      summary: "Every outcome record of a region-year in one streamed download",
      description:
        `${RECORDS_DESCRIPTION} \`format=ndjson\` (default): one record per line, then ` +
        '`{"record":"end","outcomes":N}` (a file without it was cut short). `format=csv`: ' +
        "UTF-8 with a BOM, one row per outcome and one per adjustment (deltas, in the month " +
        "they count in), `lang=en` for English headers. `format=xlsx`: the same columns as an " +
        "Excel workbook (ids, months and codes as text, figures as numbers) with a 合计 line " +
        "over what counts in the year's figures.",
      tags,
      responses: responses(
        {
          200: {
            description: "The records, streamed",
            content: {
              ...fileResponse("", "application/x-ndjson").content,
              ...fileResponse("", "text/csv").content,
              ...fileResponse("", XLSX_MEDIA_TYPE).content,
            },
          },
        },
        { auth: true, roles: true, id: true, input: true },
      ),
    }),
    validate("query", OutcomeExportQuery),
    async (c) => {
      const query = c.req.valid("query");
      const pages = outcomeRecordWalk(actorOf(c), {
        region: query.region,
        status: query.status,
        from: `${query.year}-01`,
        to: `${query.year}-12`,
      });
      const name = `服务记录-${query.region ?? "all"}-${query.year}`;
      const ascii = `outcomes-${query.region ?? "all"}-${query.year}`;
      if (query.format === "xlsx") {
        // A workbook is one zip: read the year through, then write it (a region-year is small).
        const records = [];
        for await (const page of pages) records.push(...page);
        return sendDownload(c, {
          body: tableXlsx(recordsTable(records, query.lang, query.year)),
          mediaType: XLSX_MEDIA_TYPE,
          filename: `${name}.xlsx`,
          ascii: `${ascii}.xlsx`,
        });
      }
      const { body, done } = recordStream(pages, query.format, query.lang);
      // The request's database client stays open until the last page has been read.
      afterResponse(c, () => done);
      const csv = query.format === "csv";
      c.header(
        "Content-Type",
        csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      );
      c.header(
        "Content-Disposition",
        attachment(`${name}.${csv ? "csv" : "ndjson"}`, `${ascii}.${csv ? "csv" : "ndjson"}`),
      );
      c.header("Cache-Control", "no-store");
      return c.body(body);
    },
  );
