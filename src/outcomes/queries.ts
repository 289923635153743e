import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import type { OutcomeNote } from "../db/schema";
import {
  outcomeAdjustmentGroups,
  outcomeAdjustments,
  outcomeGroups,
  outcomes,
  outcomeVolunteers,
  signups,
  volunteerKeys,
  volunteers,
  volunteerTeams,
} from "../db/schema";
import type { ServiceType, TargetGroup } from "../domain/vocabulary";
import type { EventRow } from "../events/queries";

/** What the API shows of an outcome. Attending volunteers are counted, never listed. */
export interface OutcomeView {
  eventId: string;
  communityId: string;
  regionCode: string;
  serviceType: ServiceType;
  month: string;
  status: "recorded" | "signed_off";
  personTimes: Partial<Record<TargetGroup, number>>;
  personTimesTotal: number;
  peopleServed: number | null;
  volunteersAttended: number;
  volunteersIdentified: number;
  /** Attending volunteers nobody identified (walk-ins, not checked in): in no distinct count. */
  volunteersNotIdentified: number;
  volunteerHours: number;
  notes: OutcomeNote[];
  remarks: string | null;
  signedOffAt: Date | null;
  revision: number;
  periodClosed: boolean;
  adjustments: {
    id: string;
    month: string;
    personTimes: Partial<Record<TargetGroup, number>>;
    volunteersAttendedDelta: number;
    volunteerHoursDelta: number;
    reason: string;
    createdAt: Date;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

/** The outcome of an event, as stored, or undefined. */
export async function loadOutcome(
  db: Queryable,
  eventId: string,
): Promise<OutcomeView | undefined> {
  const [row] = await db
    .select({
      outcome: outcomes,
      periodClosed: sql<boolean>`period_is_locked(${outcomes.regionCode}, ${outcomes.month})`,
    })
    .from(outcomes)
    .where(eq(outcomes.eventId, eventId));
  if (!row) return undefined;
  const [identified] = await db
    .select({ n: count() })
    .from(outcomeVolunteers)
    .where(eq(outcomeVolunteers.eventId, eventId));
  const groups = await db
    .select()
    .from(outcomeGroups)
    .where(eq(outcomeGroups.eventId, eventId))
    .orderBy(asc(outcomeGroups.targetGroup));
  const adjustments = await db
    .select()
    .from(outcomeAdjustments)
    .where(eq(outcomeAdjustments.eventId, eventId))
    .orderBy(asc(outcomeAdjustments.createdAt));
  const adjustmentGroups = adjustments.length
    ? await db
        .select()
        .from(outcomeAdjustmentGroups)
        .where(
          inArray(
            outcomeAdjustmentGroups.adjustmentId,
            adjustments.map((a) => a.id),
          ),
        )
    : [];
  const o = row.outcome;
  return {
    eventId: o.eventId,
    communityId: o.communityId,
    regionCode: o.regionCode,
    serviceType: o.serviceType,
    month: o.month.slice(0, 7),
    status: o.status,
    personTimes: Object.fromEntries(groups.map((g) => [g.targetGroup, g.personTimes])),
    personTimesTotal: groups.reduce((sum, g) => sum + g.personTimes, 0),
    peopleServed: o.peopleServed,
    volunteersAttended: o.volunteersAttended,
    volunteersIdentified: identified?.n ?? 0,
    volunteersNotIdentified: Math.max(0, o.volunteersAttended - (identified?.n ?? 0)),
    volunteerHours: o.volunteerHours,
    notes: o.notes,
    remarks: o.remarks,
    signedOffAt: o.signedOffAt,
    revision: o.revision,
    periodClosed: Boolean(row.periodClosed),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      month: a.month.slice(0, 7),
      personTimes: Object.fromEntries(
        adjustmentGroups
          .filter((g) => g.adjustmentId === a.id)
          .map((g) => [g.targetGroup, g.personTimesDelta]),
      ),
      volunteersAttendedDelta: a.volunteersAttendedDelta,
      volunteerHoursDelta: a.volunteerHoursDelta,
      reason: a.reason,
      createdAt: a.createdAt,
    })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

/**
 * The registered members of an event's teams (for the outcome form to tick), and which of them
 * the stored outcome counts.
 */
export async function teamMembersOf(db: Queryable, event: Pick<EventRow, "id" | "teamIds">) {
  if (event.teamIds.length === 0) return { members: [], ticked: [] };
  const rows = await db
    .select({
      id: volunteers.id,
      name: volunteers.name,
      teamName: volunteerTeams.name,
      key: volunteerKeys.key,
    })
    .from(volunteers)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .leftJoin(volunteerKeys, eq(volunteerKeys.mobileHash, volunteers.mobileHash))
    .where(and(inArray(volunteers.teamId, event.teamIds), eq(volunteers.active, true)))
    .orderBy(asc(volunteerTeams.name), asc(volunteers.name));
  const keys = await db
    .select({ key: outcomeVolunteers.volunteerKey })
    .from(outcomeVolunteers)
    .where(eq(outcomeVolunteers.eventId, event.id));
  const counted = new Set(keys.map((row) => row.key));
  return {
    members: rows.map(({ id, name, teamName }) => ({ id, name, teamName })),
    ticked: rows.filter((row) => row.key && counted.has(row.key)).map((row) => row.id),
  };
}

/** How many of an event's volunteers checked in at the door. */
export async function checkedInCount(db: Queryable, eventId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(signups)
    .where(and(eq(signups.eventId, eventId), eq(signups.status, "attended")));
  return row?.n ?? 0;
}
