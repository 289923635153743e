import * as v from "valibot";
import { paginationQuery } from "../lib/pagination";
import { nullable, Page, Timestamp } from "../lib/responses";
import { Name, OptionalText, Reason, RegionCode, Uuid } from "../lib/schemas";
import { needFields } from "../needs/schemas";
import { Month } from "../outcomes/schemas";
import {
  askerKinds,
  requestKinds,
  requestStatuses,
  requestStepKinds,
  stationKinds,
} from "./vocabulary";

export const RequestStatus = v.picklist(
  requestStatuses,
  `must be one of: ${requestStatuses.join(", ")}`,
);

export const ListRequestsQuery = v.strictObject({
  status: v.optional(RequestStatus),
  overdue: v.optional(v.picklist(["true", "false"])),
  ...paginationQuery,
});

/** 转为服务需求: the need's fields; its community is the desk's. */
export const AcceptRequest = v.strictObject(needFields);

/** 答复办结: the reply the requester reads. */
export const AnswerRequest = v.strictObject({
  reply: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "write the reply"),
    v.maxLength(1000, "must be at most 1000 characters"),
  ),
});

/** 平台流转: to another community (its id), or to the county department (null), with a reason. */
export const ForwardRequest = v.strictObject({ communityId: v.nullable(Uuid), reason: Reason });

export const CreateStation = v.strictObject({
  communityId: v.optional(Uuid),
  kind: v.picklist(stationKinds, `must be one of: ${stationKinds.join(", ")}`),
  name: Name,
  address: OptionalText(200),
});

export const ListStationsQuery = v.strictObject({ communityId: v.optional(Uuid) });

const Overdue = v.object({ answer: v.boolean(), resolve: v.boolean() });

export const RequestStepOut = v.object({
  kind: v.picklist(requestStepKinds),
  deskName: nullable(v.string()),
  note: nullable(v.string()),
  at: Timestamp,
});

export const RequestOut = v.object({
  id: v.string(),
  trackingCode: v.string(),
  communityId: v.string(),
  communityName: v.string(),
  communityCode: v.string(),
  stationId: nullable(v.string()),
  stationName: nullable(v.string()),
  desk: v.object({
    communityId: nullable(v.string()),
    communityName: nullable(v.string()),
    regionCode: v.string(),
  }),
  askerKind: v.picklist(askerKinds),
  kind: v.picklist(requestKinds),
  description: v.string(),
  mobileMasked: nullable(v.string()),
  status: RequestStatus,
  needId: nullable(v.string()),
  reply: nullable(v.string()),
  answerDueAt: Timestamp,
  resolveDueAt: Timestamp,
  firstAnsweredAt: nullable(Timestamp),
  resolvedAt: nullable(Timestamp),
  escalatedAt: nullable(Timestamp),
  overdue: Overdue,
  rating: nullable(v.number()),
  ratingComment: nullable(v.string()),
  createdAt: Timestamp,
});

export const RequestDetailOut = v.object({
  ...RequestOut.entries,
  steps: v.array(RequestStepOut),
});

export const RequestPage = Page(RequestOut);

export const AcceptedRequestOut = v.object({ request: RequestOut, needId: v.string() });

export const StationOut = v.object({
  id: v.string(),
  communityId: v.string(),
  communityName: v.string(),
  kind: v.picklist(stationKinds),
  name: v.string(),
  address: nullable(v.string()),
  posterUrl: v.string(),
  qrUrl: v.string(),
  createdAt: Timestamp,
});
export const StationList = v.object({ data: v.array(StationOut) });

export const requestDimensions = ["month", "kind", "askerKind", "region"] as const;

export const FiguresQuery = v.strictObject({
  region: v.optional(RegionCode),
  from: v.optional(Month),
  to: v.optional(Month),
  groupBy: v.optional(
    v.picklist(requestDimensions, `must be one of: ${requestDimensions.join(", ")}`),
    "month",
  ),
  format: v.optional(v.picklist(["json", "csv", "xlsx"], "must be json, csv or xlsx"), "json"),
  /** The labels' language: English by default in JSON, Chinese in the CSV and xlsx. */
  lang: v.optional(v.picklist(["zh", "en"], "must be zh or en")),
});

const FigureRow = v.object({
  key: v.string(),
  label: v.string(),
  received: v.number(),
  accepted: v.number(),
  turnedIntoNeeds: v.number(),
  resolved: v.number(),
  resolvedWithinLimit: v.number(),
  overdue: v.number(),
  medianHoursToFirstAnswer: nullable(v.number()),
  medianHoursToResolution: nullable(v.number()),
  averageRating: nullable(v.number()),
  ratings: v.number(),
});

export const FiguresOut = v.object({
  region: nullable(v.string()),
  period: v.object({ from: v.string(), to: v.string() }),
  groupBy: v.picklist(requestDimensions),
  suppression: v.pipe(
    v.object({ applied: v.boolean() }),
    v.description(
      "Small counts: `applied` when the split by asker is withheld (a county-level or lower " +
        "department looking at a street or community); `rows` is then empty and `total` stands.",
    ),
  ),
  rows: v.array(FigureRow),
  total: FigureRow,
  suggestions: v.array(
    v.object({
      trackingCode: v.string(),
      communityName: v.string(),
      stationName: nullable(v.string()),
      description: v.string(),
      createdAt: Timestamp,
    }),
  ),
});
