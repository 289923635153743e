import { and, asc, count, eq, lte } from "drizzle-orm";
import type { Scope } from "../auth/principal";
import type { Queryable } from "../db/client";
import { communities, events, signups } from "../db/schema";
import type { ServiceType } from "../domain/vocabulary";
import { findEvent } from "../events/queries";
import { notFound } from "../lib/errors";
import { sha256Hex } from "../lib/personal-data";
import type { SignupStatus } from "./status";

export type SignupRow = typeof signups.$inferSelect;

/** What a sign-up's owner or the API sees of it: the mobile masked, never hash or ciphertext. */
export interface SignupView {
  id: string;
  eventId: string;
  name: string;
  mobile: string;
  skills: ServiceType[];
  status: SignupStatus;
  waitlistPosition: number | null;
  confirmationCode: string;
  createdAt: Date;
  cancelledAt: Date | null;
}

/** 1 for the first on the event's waitlist; null unless the sign-up is waitlisted. */
export async function waitlistPosition(db: Queryable, row: SignupRow): Promise<number | null> {
  if (row.status !== "waitlisted" || row.waitlistSeq === null) return null;
  const [result] = await db
    .select({ ahead: count() })
    .from(signups)
    .where(
      and(
        eq(signups.eventId, row.eventId),
        eq(signups.status, "waitlisted"),
        lte(signups.waitlistSeq, row.waitlistSeq),
      ),
    );
  return result?.ahead ?? null;
}

/** The masked view of a stored sign-up. */
export function toView(row: SignupRow, position: number | null): SignupView {
  return {
    id: row.id,
    eventId: row.eventId,
    name: row.name,
    mobile: row.mobileMasked,
    skills: row.skills,
    status: row.status,
    waitlistPosition: position,
    confirmationCode: row.confirmationCode,
    createdAt: row.createdAt,
    cancelledAt: row.cancelledAt,
  };
}

/** The sign-up behind a private link's token (only its SHA-256 is stored). */
export async function findByToken(
  db: Queryable,
  manageToken: string,
): Promise<SignupRow | undefined> {
  const [row] = await db
    .select()
    .from(signups)
    .where(eq(signups.manageTokenHash, await sha256Hex(manageToken)));
  return row;
}

/**
 * The volunteer's own view through their private link. The mobile is masked here too: a link
 * may be forwarded or seen over a shoulder, and the last four digits are enough to recognise it.
 */
export async function manageView(db: Queryable, manageToken: string) {
  const row = await findByToken(db, manageToken);
  if (!row) throw notFound("sign-up");
  const [event] = await db
    .select({
      id: events.id,
      title: events.title,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      status: events.status,
      cancelReason: events.cancelReason,
      serviceType: events.serviceType,
      revision: events.revision,
      updatedAt: events.updatedAt,
      communityName: communities.name,
      address: communities.address,
    })
    .from(events)
    .innerJoin(communities, eq(communities.id, events.communityId))
    .where(eq(events.id, row.eventId));
  return { signup: toView(row, await waitlistPosition(db, row)), event: event ?? null };
}

/**
 * An event's sign-ups for its staff (404 outside the caller's scope): masked mobiles, statuses and
 * waitlist positions, in the order the queue took them.
 */
export async function listEventSignups(
  db: Queryable,
  scope: Scope,
  eventId: string,
): Promise<SignupView[]> {
  if (!(await findEvent(db, scope, eventId))) throw notFound("event");
  const rows = await db
    .select()
    .from(signups)
    .where(eq(signups.eventId, eventId))
    .orderBy(asc(signups.arrivalSeq));
  const waitlist = rows
    .filter((row) => row.status === "waitlisted")
    .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0));
  return rows.map((row) =>
    toView(row, row.status === "waitlisted" ? waitlist.indexOf(row) + 1 : null),
  );
}
