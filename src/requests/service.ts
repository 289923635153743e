import { and, eq, sql } from "drizzle-orm";
import { type Actor, type Caller, within } from "../auth/actor";
import { requestScope } from "../auth/scope";
import type { Queryable } from "../db/client";
import { communities, events, requests, stations } from "../db/schema";
import { sealMobile } from "../directory/volunteers/queries";
import { workingCalendar } from "../domain/holidays";
import { normaliseMobile } from "../domain/mobile";
import { addWorkingDays, type WorkingCalendar } from "../domain/working-days";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { encryptPersonal, randomToken, sha256Hex } from "../lib/personal-data";
import type { CreateNeedInput } from "../needs/schemas";
import { type NeedRow, postNeed } from "../needs/service";
import { enqueueRequestMessage, requestText } from "./messages";
import { findRequest, type RequestRow, trackingCodeTaken } from "./queries";
import { addStep, deskName } from "./steps";
import type { AskerKind, RequestKind } from "./vocabulary";

/** The time limits, in Asia/Shanghai working days (限时办结). */
export interface RequestLimits {
  /** First answer (accepted, answered or forwarded does not count: it is the same request). */
  answerDays: number;
  /** Resolution: answered and closed, or the need's outcome signed off. */
  resolveDays: number;
  /** The public holidays and 调休 working weekends the days are counted on. */
  calendar: WorkingCalendar;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  answerDays: 2,
  resolveDays: 15,
  calendar: workingCalendar(),
};

export interface SubmitRequestInput {
  communityId: string;
  stationId?: string | null;
  askerKind: AskerKind;
  kind: RequestKind;
  description: string;
  /** As typed; optional. Kept only with consent, encrypted, shown masked. */
  mobile?: string | null;
  consent: boolean;
}

const TRACKING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";

/** `Q` and 7 letters or digits that cannot be mistaken for one another, e.g. `QK7QX3MA`. */
function trackingCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let code = "Q";
  for (const byte of bytes) {
    if (byte >= 256 - (256 % TRACKING_ALPHABET.length)) continue;
    code += TRACKING_ALPHABET[byte % TRACKING_ALPHABET.length];
    if (code.length === 8) return code;
  }
  return trackingCode();
}

const validation = (path: string, message: string) =>
  new AppError("VALIDATION_FAILED", "the request is not valid", { issues: [{ path, message }] });

/**
 * Takes a request from the public form (no account): it lands at its community's desk with its
 * limits counted from now, a tracking code and a private link (the token, returned once). A
 * mobile is kept only with consent, sealed as for sign-ups, and the requester is told by SMS.
 */
export async function submitRequest(
  caller: Caller,
  input: SubmitRequestInput,
  limits: RequestLimits = DEFAULT_REQUEST_LIMITS,
) {
  const { now } = caller;
  const typed = input.mobile?.trim() ? input.mobile : undefined;
  const mobile = typed ? normaliseMobile(typed) : undefined;
  if (typed && !mobile) throw validation("mobile", "must be a mainland China mobile number");
  if (mobile && !input.consent)
    throw validation("consent", "consent to the privacy notice is required to keep a mobile");
  const sealed = mobile ? await sealMobile(caller.keys, mobile) : undefined;
  const token = randomToken(24);
  const tokenHash = await sha256Hex(token);
  const tokenSealed = await encryptPersonal(caller.keys, token);
  return caller.db.transaction(async (tx) => {
    const [community] = await tx
      .select({
        id: communities.id,
        regionCode: communities.regionCode,
        countyCode: communities.countyCode,
        name: communities.name,
      })
      .from(communities)
      .where(and(eq(communities.id, input.communityId), eq(communities.active, true)));
    if (!community) throw notFound("community");
    if (input.stationId) {
      const [station] = await tx
        .select({ id: stations.id })
        .from(stations)
        .where(and(eq(stations.id, input.stationId), eq(stations.communityId, community.id)));
      if (!station) throw notFound("station");
    }
    let code = trackingCode();
    while (await trackingCodeTaken(tx, code)) code = trackingCode();
    const [row] = await tx
      .insert(requests)
      .values({
        trackingCode: code,
        tokenHash,
        tokenSealed,
        communityId: community.id,
        stationId: input.stationId ?? null,
        deskCommunityId: community.id,
        deskRegionCode: community.regionCode,
        countyCode: community.countyCode,
        askerKind: input.askerKind,
        kind: input.kind,
        description: input.description,
        ...(sealed ?? {}),
        consentAt: sealed ? now : null,
        answerDueAt: addWorkingDays(now, limits.answerDays, limits.calendar),
        resolveDueAt: addWorkingDays(now, limits.resolveDays, limits.calendar),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: requests.id });
    if (!row) throw new Error("request insert returned no row");
    await addStep(tx, row.id, "received", now, { deskName: community.name });
    await enqueueRequestMessage(tx, row.id, "requester", "received", now, {
      text: requestText.received(code, community.name),
    });
    const request = await findRequest(tx, { kind: "all" }, row.id);
    if (!request) throw new Error("the request vanished");
    return { request, token, trackingCode: code };
  });
}

/** Locks a request at a desk in the actor's reach and returns it as staff see it (else 404). */
async function lockRequest(tx: Queryable, actor: Actor, id: string): Promise<RequestRow> {
  const [locked] = await tx
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.id, id), requestScope(actor.principal.scope)))
    .for("update");
  if (!locked) throw notFound("request");
  const row = await findRequest(tx, { kind: "all" }, id);
  if (!row) throw notFound("request");
  return row;
}

const auditFields = (row: RequestRow) => ({
  status: row.status,
  deskCommunityId: row.deskCommunityId,
  deskRegionCode: row.deskRegionCode,
  needId: row.needId,
  reply: row.reply,
});

/** Runs one routing step on a locked request: audited before and after, in one transaction. */
async function routeRequest(
  actor: Actor,
  id: string,
  action: string,
  step: (tx: Queryable, before: RequestRow) => Promise<void>,
): Promise<RequestRow> {
  return actor.db.transaction(async (tx) => {
    const before = await lockRequest(tx, actor, id);
    await step(tx, before);
    const after = await findRequest(tx, { kind: "all" }, id);
    if (!after) throw notFound("request");
    await recordAudit(tx, actor, {
      action,
      entity: "request",
      entityId: id,
      before: auditFields(before),
      after: auditFields(after),
    });
    return after;
  });
}

function assertWaiting(row: RequestRow): void {
  if (row.status !== "received")
    throw new AppError("CONFLICT", `the request is ${row.status}; only a new one can be routed`);
}

/**
 * 转为服务需求: the desk's coordinator (or an admin) turns the request into a service need of the
 * desk's community, linked, so the requester follows it to its event and outcome.
 */
export async function acceptRequest(
  actor: Actor,
  id: string,
  input: Omit<CreateNeedInput, "communityId">,
): Promise<{ request: RequestRow; need: NeedRow }> {
  const { role } = actor.principal;
  if (role !== "coordinator" && role !== "admin")
    throw new AppError("FORBIDDEN", "a community's coordinator turns a request into a need");
  let need: NeedRow | undefined;
  const request = await routeRequest(actor, id, "accept", async (tx, before) => {
    assertWaiting(before);
    if (!before.deskCommunityId)
      throw new AppError("CONFLICT", "forward the request to a community before accepting it");
    need = await postNeed(within(actor, tx), { ...input, communityId: before.deskCommunityId });
    await tx
      .update(requests)
      .set({
        status: "accepted",
        needId: need.id,
        firstAnsweredAt: sql`coalesce(${requests.firstAnsweredAt}, ${actor.now.toISOString()}::timestamptz)`,
        updatedAt: actor.now,
      })
      .where(eq(requests.id, id));
    await addStep(tx, id, "accepted", actor.now, { deskName: before.deskCommunityName });
    await enqueueRequestMessage(tx, id, "requester", "accepted", actor.now, {
      text: requestText.accepted(before.trackingCode),
    });
  });
  if (!need) throw new Error("no need was posted");
  return { request, need };
}

/** 答复办结: the desk answers the request and closes it with a reply the requester reads. */
export async function answerRequest(actor: Actor, id: string, reply: string): Promise<RequestRow> {
  if (actor.principal.role === "social_worker")
    throw new AppError("FORBIDDEN", "requests are answered by their desk");
  return routeRequest(actor, id, "answer", async (tx, before) => {
    if (before.status !== "received" && before.status !== "accepted")
      throw new AppError("CONFLICT", `the request is already ${before.status}`);
    await tx
      .update(requests)
      .set({
        status: "answered",
        reply,
        firstAnsweredAt: sql`coalesce(${requests.firstAnsweredAt}, ${actor.now.toISOString()}::timestamptz)`,
        resolvedAt: actor.now,
        updatedAt: actor.now,
      })
      .where(eq(requests.id, id));
    await addStep(tx, id, "answered", actor.now, {
      deskName: before.deskCommunityName,
      note: reply,
    });
    await enqueueRequestMessage(tx, id, "requester", "answered", actor.now, {
      text: requestText.answered(before.trackingCode, reply),
    });
  });
}

/**
 * 平台流转: sends a new request to another community's desk, or (communityId null) to the county
 * department's, with a reason the requester reads. The limits still count from its arrival.
 */
export async function forwardRequest(
  actor: Actor,
  id: string,
  input: { communityId: string | null; reason: string },
): Promise<RequestRow> {
  if (actor.principal.role === "social_worker")
    throw new AppError("FORBIDDEN", "requests are forwarded by their desk");
  return routeRequest(actor, id, "forward", async (tx, before) => {
    assertWaiting(before);
    let desk: { communityId: string | null; regionCode: string; countyCode: string };
    if (input.communityId) {
      const [target] = await tx
        .select({ regionCode: communities.regionCode, countyCode: communities.countyCode })
        .from(communities)
        .where(and(eq(communities.id, input.communityId), eq(communities.active, true)));
      if (!target) throw notFound("community");
      desk = { communityId: input.communityId, ...target };
    } else {
      desk = { communityId: null, regionCode: before.countyCode, countyCode: before.countyCode };
    }
    if (desk.regionCode === before.deskRegionCode)
      throw new AppError("CONFLICT", "the request is already at that desk");
    await tx
      .update(requests)
      .set({
        deskCommunityId: desk.communityId,
        deskRegionCode: desk.regionCode,
        updatedAt: actor.now,
      })
      .where(eq(requests.id, id));
    const name = await deskName(tx, desk);
    await addStep(tx, id, "forwarded", actor.now, { deskName: name, note: input.reason });
    await enqueueRequestMessage(tx, id, "requester", "forwarded", actor.now, {
      text: requestText.forwarded(before.trackingCode, name),
    });
  });
}

/**
 * 反馈: the requester rates the service 1–5 with an optional comment, once, through the private
 * link, after the request was answered or its service held and signed off.
 */
export async function rateRequest(
  caller: Caller,
  token: string,
  input: { rating: number; comment?: string | null },
) {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    throw validation("rating", "must be a whole number from 1 to 5");
  const tokenHash = await sha256Hex(token);
  return caller.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: requests.id, status: requests.status, ratedAt: requests.ratedAt })
      .from(requests)
      .where(eq(requests.tokenHash, tokenHash))
      .for("update");
    if (!row) throw notFound("request");
    if (row.status !== "resolved" && row.status !== "answered")
      throw new AppError("CONFLICT", "a request can be rated once it is resolved or answered");
    if (row.ratedAt) throw new AppError("CONFLICT", "this request has already been rated");
    const comment = input.comment?.trim() || null;
    await tx
      .update(requests)
      .set({ rating: input.rating, ratingComment: comment, ratedAt: caller.now })
      .where(eq(requests.id, row.id));
    await addStep(tx, row.id, "rated", caller.now, { note: `${input.rating}/5` });
    await recordAudit(tx, caller, {
      action: "rate",
      entity: "request",
      entityId: row.id,
      after: { rating: input.rating },
    });
    return { id: row.id, rating: input.rating };
  });
}

/**
 * The outcome of an event was signed off: every request accepted into that event's need is
 * resolved and its requester told (and invited to rate). Runs in the sign-off's transaction.
 */
export async function resolveRequestsOfEvent(caller: Caller, eventId: string): Promise<number> {
  const { db: tx, now } = caller;
  const [event] = await tx
    .select({ needId: events.needId, title: events.title })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event?.needId) return 0;
  const resolved = await tx
    .update(requests)
    .set({ status: "resolved", resolvedAt: now, updatedAt: now })
    .where(and(eq(requests.needId, event.needId), eq(requests.status, "accepted")))
    .returning({ id: requests.id, trackingCode: requests.trackingCode });
  for (const row of resolved) {
    await addStep(tx, row.id, "resolved", now, { note: event.title });
    await enqueueRequestMessage(tx, row.id, "requester", "resolved", now, {
      text: requestText.resolved(row.trackingCode, event.title),
    });
  }
  return resolved.length;
}
