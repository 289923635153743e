import { and, eq, gt } from "drizzle-orm";
import type * as v from "valibot";
import { type Actor, within } from "../auth/actor";
import { communityForWrite } from "../auth/scope";
import type { Queryable } from "../db/client";
import { events, needs } from "../db/schema";
import { assertCommunityExists } from "../directory/communities/queries";
import { serviceTypeLabels } from "../domain/vocabulary";
import { bookEvent } from "../events/booking";
import { type EventRow, findEvent } from "../events/queries";
import { cancelEventsOfNeed } from "../events/service";
import { recordAudit } from "../lib/audit";
import { AppError, notFound } from "../lib/errors";
import { toNeedFacts } from "../matching/load-facts";
import { scorePick } from "./candidates";
import { findNeed, storedWindows, windowBounds } from "./queries";
import type { AcceptCandidate, CreateNeedInput, UpdateNeedInput } from "./schemas";

/** A need as read by `findNeed`. */
export type NeedRow = NonNullable<Awaited<ReturnType<typeof findNeed>>>;

/** A picked candidate: any (social worker, team, start), not only the first. */
export type CandidatePick = v.InferOutput<typeof AcceptCandidate>;

/**
 * Posts a need for the coordinator's own community (an admin names one), with its audit entry.
 * A community that does not exist, or lies outside the caller's reach, is a 404.
 */
export async function postNeed(actor: Actor, input: CreateNeedInput): Promise<NeedRow> {
  const { communityId: requested, windows, ...fields } = input;
  const communityId = communityForWrite(actor.principal, requested);
  return actor.db.transaction(async (tx) => {
    await assertCommunityExists(tx, communityId);
    const [created] = await tx
      .insert(needs)
      .values({
        ...fields,
        communityId,
        windows: storedWindows(windows),
        ...windowBounds(windows),
        createdBy: actor.principal.accountId,
        createdAt: actor.now,
        updatedAt: actor.now,
      })
      .returning();
    if (!created) throw new Error("need insert returned no row");
    await recordAudit(tx, actor, {
      action: "create",
      entity: "need",
      entityId: created.id,
      after: created,
    });
    const need = await findNeed(tx, { kind: "all" }, created.id);
    if (!need) throw new Error("the need vanished");
    return need;
  });
}

/** Locks a need in the actor's scope, applies `change`, audits before and after. */
async function changeNeed(
  actor: Actor,
  id: string,
  action: string,
  change: (tx: Queryable, before: NeedRow) => Promise<void>,
): Promise<NeedRow> {
  return actor.db.transaction(async (tx) => {
    const before = await findNeed(tx, actor.principal.scope, id, { forUpdate: true });
    if (!before) throw notFound("need");
    await change(tx, before);
    const after = await findNeed(tx, { kind: "all" }, id);
    if (!after) throw notFound("need");
    await recordAudit(tx, actor, { action, entity: "need", entityId: id, before, after });
    return after;
  });
}

/** Changes an open need; one already matched or closed is a 409. */
export async function updateNeed(
  actor: Actor,
  id: string,
  input: UpdateNeedInput,
): Promise<NeedRow> {
  const { windows, ...changes } = input;
  return changeNeed(actor, id, "update", async (tx, before) => {
    if (before.status !== "open")
      throw new AppError("CONFLICT", `the need is ${before.status}; only open needs can change`);
    await tx
      .update(needs)
      .set({
        ...changes,
        ...(windows ? { windows: storedWindows(windows), ...windowBounds(windows) } : {}),
        updatedAt: actor.now,
      })
      .where(eq(needs.id, id));
  });
}

/**
 * Withdraws a need. Its scheduled events are cancelled exactly as staff cancel one (volunteers
 * told, calendars revised, each audited), in the same transaction.
 */
export async function withdrawNeed(actor: Actor, id: string): Promise<NeedRow> {
  return changeNeed(actor, id, "withdraw", async (tx, before) => {
    if (before.status === "closed" || before.status === "withdrawn")
      throw new AppError("CONFLICT", `the need is already ${before.status}`);
    // Events already held stay as they are: their outcome is still to be recorded.
    const scheduled = await tx
      .select({ id: events.id })
      .from(events)
      .where(
        and(eq(events.needId, id), eq(events.status, "scheduled"), gt(events.endsAt, actor.now)),
      );
    await cancelEventsOfNeed(
      within(actor, tx),
      scheduled.map((event) => event.id),
      "the need was withdrawn",
    );
    await tx
      .update(needs)
      .set({ status: "withdrawn", updatedAt: actor.now })
      .where(eq(needs.id, id));
  });
}

/**
 * Books a picked candidate — any of them, not only the first — and returns the event. The need
 * must be open (and in the actor's scope), the start ahead and inside one of its windows, and the
 * pair must pass every hard filter as it stands now: both active, the certificate, skills, team
 * size, and the social worker's weekly capacity. Overlaps are the database's to refuse (a 409
 * naming the other event). Accepting a stored plan's entry runs exactly this.
 */
export async function acceptCandidate(
  actor: Actor,
  needId: string,
  pick: CandidatePick,
): Promise<EventRow> {
  const need = await findNeed(actor.db, actor.principal.scope, needId);
  if (!need) throw notFound("need");
  if (need.status !== "open")
    throw new AppError("CONFLICT", `the need is ${need.status}, not open`);
  const facts = toNeedFacts(need);
  if (!facts.windows.some((w) => pick.start >= w.start && pick.start < w.end)) {
    throw new AppError("VALIDATION_FAILED", "the start is outside the need's windows", {
      issues: [{ path: "start", message: "must fall inside one of the need's windows" }],
    });
  }
  // Only the picked pair: the whole province's workers and teams are the candidates list's work.
  // A clash in time is left to the database, which names the event it clashes with.
  const scored = await scorePick(actor.db, need, pick);
  if (scored.unknown.length > 0) {
    throw new AppError("VALIDATION_FAILED", "unknown social worker or volunteer team", {
      issues: scored.unknown,
    });
  }
  const { reasons } = scored;
  if (reasons.length > 0) {
    throw new AppError("CONFLICT", `this pair does not meet the need: ${reasons.join(", ")}`, {
      details: { reasons },
    });
  }
  const eventId = await bookEvent(actor, {
    needId: need.id,
    communityId: need.communityId,
    serviceType: need.serviceType,
    title: pick.title ?? `${serviceTypeLabels[need.serviceType].zh} · ${need.communityName}`,
    socialWorkerId: pick.socialWorkerId,
    teamIds: [pick.teamId],
    start: pick.start,
    end: new Date(pick.start.getTime() + need.durationMinutes * 60_000),
    capacity: pick.capacity ?? Math.max(need.volunteersNeeded, 1),
    matchScore: scored.candidate?.score,
    description: pick.description,
    meetingPoint: pick.meetingPoint,
    contact: pick.contact,
  });
  const event = await findEvent(actor.db, { kind: "all" }, eventId);
  if (!event) throw new Error(`event ${eventId} vanished`);
  return event;
}
