import { and, asc, desc, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Scope } from "../auth/principal";
import { communityRowScope, requestScope, stationScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import {
  communities,
  events,
  needs,
  outcomes,
  regions,
  requestMessages,
  requestSteps,
  requests,
  stations,
} from "../db/schema";
import { sha256Hex } from "../lib/personal-data";
import type { RequestStatus } from "./vocabulary";

const desk = alias(communities, "desk");

/** What staff see of a request: the mobile only masked, never its ciphertext or hash. */
const requestColumns = {
  id: requests.id,
  trackingCode: requests.trackingCode,
  communityId: requests.communityId,
  communityName: communities.name,
  communityCode: communities.regionCode,
  stationId: requests.stationId,
  stationName: stations.name,
  deskCommunityId: requests.deskCommunityId,
  deskRegionCode: requests.deskRegionCode,
  deskCommunityName: desk.name,
  countyCode: requests.countyCode,
  askerKind: requests.askerKind,
  kind: requests.kind,
  description: requests.description,
  mobileMasked: requests.mobileMasked,
  status: requests.status,
  needId: requests.needId,
  reply: requests.reply,
  answerDueAt: requests.answerDueAt,
  resolveDueAt: requests.resolveDueAt,
  firstAnsweredAt: requests.firstAnsweredAt,
  resolvedAt: requests.resolvedAt,
  escalatedAt: requests.escalatedAt,
  rating: requests.rating,
  ratingComment: requests.ratingComment,
  createdAt: requests.createdAt,
};

function selectRequests(db: Queryable) {
  return db
    .select({ ...requestColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(requests)
    .innerJoin(communities, eq(communities.id, requests.communityId))
    .leftJoin(desk, eq(desk.id, requests.deskCommunityId))
    .leftJoin(stations, eq(stations.id, requests.stationId));
}

/** A request as staff see it. */
export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** A request waits for its first answer past the limit, or for its resolution past that one. */
export function overdueOf(
  row: Pick<RequestRow, "status" | "answerDueAt" | "resolveDueAt">,
  now: Date,
) {
  const open = row.status === "received" || row.status === "accepted";
  return {
    answer: row.status === "received" && now >= row.answerDueAt,
    resolve: open && now >= row.resolveDueAt,
  };
}

/** SQL twin of {@link overdueOf}: either limit passed. */
export function overdueCondition(now: Date) {
  return or(
    and(eq(requests.status, "received"), lt(requests.answerDueAt, now)),
    and(inArray(requests.status, ["received", "accepted"]), lt(requests.resolveDueAt, now)),
  );
}

/** One request in the caller's reach, or undefined (missing and out of reach alike). */
export async function findRequest(db: Queryable, scope: Scope, id: string) {
  const [row] = await selectRequests(db).where(and(eq(requests.id, id), requestScope(scope)));
  return row;
}

const openFirst = sql`case ${requests.status} when 'received' then 0 when 'accepted' then 1 else 2 end`;

/**
 * The caller's requests: those waiting for an answer first, then those accepted (each soonest
 * limit first), then the closed ones newest first. `trackingCode` finds one by its 查询码.
 */
export async function listRequests(
  db: Queryable,
  scope: Scope,
  query: {
    status?: RequestStatus;
    overdue?: boolean;
    trackingCode?: string;
    limit: number;
    offset: number;
  },
  now: Date,
) {
  return selectRequests(db)
    .where(
      and(
        requestScope(scope),
        query.status ? eq(requests.status, query.status) : undefined,
        query.overdue ? overdueCondition(now) : undefined,
        query.trackingCode ? eq(requests.trackingCode, query.trackingCode) : undefined,
      ),
    )
    .orderBy(
      openFirst,
      sql`case when ${requests.status} in ('received', 'accepted') then ${requests.answerDueAt} end`,
      desc(requests.createdAt),
      desc(requests.id),
    )
    .limit(query.limit)
    .offset(query.offset);
}

/** How many of the caller's requests passed a limit (the home page's and dashboard's figure). */
export async function countOverdue(db: Queryable, scope: Scope, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(requests)
    .where(and(requestScope(scope), overdueCondition(now)));
  return row?.n ?? 0;
}

/** The steps of a request, oldest first. */
export function stepsOf(db: Queryable, requestId: string) {
  return db
    .select({
      kind: requestSteps.kind,
      deskName: requestSteps.deskName,
      note: requestSteps.note,
      at: requestSteps.at,
    })
    .from(requestSteps)
    .where(eq(requestSteps.requestId, requestId))
    .orderBy(asc(requestSteps.at), asc(requestSteps.id));
}

/** Staff messages (reminders, escalations) about requests in the caller's reach, newest first. */
export function staffMessages(db: Queryable, scope: Scope, limit = 20) {
  return db
    .select({
      requestId: requestMessages.requestId,
      kind: requestMessages.kind,
      text: requestMessages.text,
      createdAt: requestMessages.createdAt,
    })
    .from(requestMessages)
    .innerJoin(requests, eq(requests.id, requestMessages.requestId))
    .where(and(requestScope(scope), inArray(requestMessages.audience, ["desk", "department"])))
    .orderBy(desc(requestMessages.createdAt))
    .limit(limit);
}

/** The request behind a private link, by the token's hash; with what became of its need. */
export async function progressByToken(db: Queryable, token: string) {
  const tokenHash = await sha256Hex(token);
  const [row] = await db
    .select({
      id: requests.id,
      trackingCode: requests.trackingCode,
      communityName: communities.name,
      stationName: stations.name,
      deskCommunityName: desk.name,
      askerKind: requests.askerKind,
      kind: requests.kind,
      description: requests.description,
      mobileMasked: requests.mobileMasked,
      status: requests.status,
      needId: requests.needId,
      needStatus: needs.status,
      reply: requests.reply,
      answerDueAt: requests.answerDueAt,
      resolveDueAt: requests.resolveDueAt,
      rating: requests.rating,
      ratingComment: requests.ratingComment,
      createdAt: requests.createdAt,
    })
    .from(requests)
    .innerJoin(communities, eq(communities.id, requests.communityId))
    .leftJoin(desk, eq(desk.id, requests.deskCommunityId))
    .leftJoin(stations, eq(stations.id, requests.stationId))
    .leftJoin(needs, eq(needs.id, requests.needId))
    .where(eq(requests.tokenHash, tokenHash));
  if (!row) return undefined;
  const [steps, needEvents] = await Promise.all([
    stepsOf(db, row.id),
    row.needId
      ? db
          .select({
            id: events.id,
            title: events.title,
            startsAt: events.startsAt,
            endsAt: events.endsAt,
            status: events.status,
            outcomeStatus: outcomes.status,
          })
          .from(events)
          .leftJoin(outcomes, eq(outcomes.eventId, events.id))
          .where(eq(events.needId, row.needId))
          .orderBy(asc(events.startsAt))
      : [],
  ]);
  return { ...row, steps, events: needEvents };
}

export type RequestProgress = NonNullable<Awaited<ReturnType<typeof progressByToken>>>;

/** Where a QR code sends someone: a community, or a station of one (with its community). */
export async function findPlace(
  db: Queryable,
  place: { communityId?: string; stationId?: string },
) {
  if (place.stationId) {
    const [row] = await db
      .select({
        communityId: communities.id,
        communityName: communities.name,
        stationId: stations.id,
        stationName: stations.name,
        stationKind: stations.kind,
      })
      .from(stations)
      .innerJoin(communities, eq(communities.id, stations.communityId))
      .where(and(eq(stations.id, place.stationId), eq(communities.active, true)));
    return row;
  }
  if (!place.communityId) return undefined;
  const [row] = await db
    .select({ communityId: communities.id, communityName: communities.name })
    .from(communities)
    .where(and(eq(communities.id, place.communityId), eq(communities.active, true)));
  return row ? { ...row, stationId: null, stationName: null, stationKind: null } : undefined;
}

/** The pilot communities the form offers when no poster named a place (one per county). */
export function pilotPlaces(db: Queryable) {
  return db
    .select({ id: communities.id, name: communities.name, countyName: regions.name })
    .from(communities)
    .innerJoin(regions, eq(regions.code, communities.countyCode))
    .where(and(eq(communities.isPilot, true), eq(communities.active, true)))
    .orderBy(asc(communities.regionCode))
    .limit(120);
}

/** Stations in the caller's reach, with their community. */
export function listStations(db: Queryable, scope: Scope, communityId?: string) {
  return db
    .select({
      id: stations.id,
      communityId: stations.communityId,
      communityName: communities.name,
      kind: stations.kind,
      name: stations.name,
      address: stations.address,
      createdAt: stations.createdAt,
    })
    .from(stations)
    .innerJoin(communities, eq(communities.id, stations.communityId))
    .where(
      and(stationScope(scope), communityId ? eq(stations.communityId, communityId) : undefined),
    )
    .orderBy(asc(communities.regionCode), asc(stations.createdAt));
}

/** Whether a tracking code is taken (codes are drawn at random). */
export async function trackingCodeTaken(db: Queryable, code: string): Promise<boolean> {
  const [row] = await db
    .select({ id: requests.id })
    .from(requests)
    .where(eq(requests.trackingCode, code));
  return row !== undefined;
}

/** Requests that have a mobile and may be told something (for the outbox's delivery). */
export const hasMobile = isNotNull(requests.mobileCiphertext);

/** The communities of a county a request can be forwarded to (the desk's own left out). */
export function forwardChoices(db: Queryable, countyCode: string) {
  return db
    .select({ id: communities.id, name: communities.name })
    .from(communities)
    .where(and(eq(communities.countyCode, countyCode), eq(communities.active, true)))
    .orderBy(asc(communities.regionCode))
    .limit(200);
}

/** The communities in the caller's reach whose posters the desk page offers. */
export function posterCommunities(db: Queryable, scope: Scope) {
  return db
    .select({ id: communities.id, name: communities.name })
    .from(communities)
    .where(and(communityRowScope(scope), eq(communities.active, true)))
    .orderBy(asc(communities.regionCode))
    .limit(20);
}
