import { and, countDistinct, eq, gte, inArray, like, lte, sql, sum } from "drizzle-orm";
import type { Queryable } from "../db/client";
import {
  communities,
  eventTeams,
  organisations,
  outcomeAdjustmentGroups,
  outcomeAdjustments,
  outcomeGroups,
  outcomes,
  outcomeVolunteers,
  socialWorkers,
  volunteerTeams,
} from "../db/schema";
import { regionPrefix } from "../domain/regions";
import type { OrganisationKind } from "../domain/vocabulary";

/** The 2025 report's figures for a province (or any region) and a year. */
export interface PilotSummary {
  year: number;
  /** Pilot communities in the directory, and how many of them held a signed-off event. */
  pilotCommunities: number;
  pilotCommunitiesWithEvents: number;
  /** Organisations whose social workers led, or whose teams served, the year's events. */
  organisations: Record<OrganisationKind, number>;
  socialWorkers: number;
  volunteers: number;
  events: number;
  personTimes: number;
  volunteerHours: number;
  /** Person-times from adjustments booked in the year (included in personTimes). */
  adjustedPersonTimes: number;
}

/**
 * Computed from the event-level records (signed-off outcomes of events that started in the
 * year, Asia/Shanghai), not from the rollups, so that it cross-checks them.
 */
export async function pilotSummary(
  db: Queryable,
  region: string | undefined,
  year: number,
): Promise<PilotSummary> {
  const prefix = region ? regionPrefix(region) : undefined;
  const from = `${year}-01-01`;
  const to = `${year}-12-01`;
  const held = and(
    eq(outcomes.status, "signed_off"),
    gte(outcomes.month, from),
    lte(outcomes.month, to),
    prefix ? like(outcomes.regionCode, `${prefix}%`) : undefined,
  );
  const heldEvents = db.select({ id: outcomes.eventId }).from(outcomes).where(held);

  const [pilots] = await db
    .select({
      all: countDistinct(communities.id),
      withEvents: sql<number>`count(distinct ${communities.id}) filter (where ${communities.id} in (${db.select({ id: outcomes.communityId }).from(outcomes).where(held)}))`,
    })
    .from(communities)
    .where(
      and(
        eq(communities.isPilot, true),
        eq(communities.active, true),
        prefix ? like(communities.regionCode, `${prefix}%`) : undefined,
      ),
    );
  const [records] = await db
    .select({
      events: countDistinct(outcomes.eventId),
      workers: countDistinct(outcomes.leadSocialWorkerId),
      hours: sum(outcomes.volunteerHours),
    })
    .from(outcomes)
    .where(held);
  const [people] = await db
    .select({ n: sum(outcomeGroups.personTimes) })
    .from(outcomeGroups)
    .where(inArray(outcomeGroups.eventId, heldEvents));
  const [volunteers] = await db
    .select({ n: countDistinct(outcomeVolunteers.volunteerKey) })
    .from(outcomeVolunteers)
    .where(inArray(outcomeVolunteers.eventId, heldEvents));
  // Adjustments count in the year they are booked in, as in the tallies: person-times and hours.
  const bookedInYear = and(
    gte(outcomeAdjustments.month, from),
    lte(outcomeAdjustments.month, to),
    prefix ? like(outcomeAdjustments.regionCode, `${prefix}%`) : undefined,
  );
  const [adjusted] = await db
    .select({ n: sum(outcomeAdjustmentGroups.personTimesDelta) })
    .from(outcomeAdjustmentGroups)
    .innerJoin(outcomeAdjustments, eq(outcomeAdjustments.id, outcomeAdjustmentGroups.adjustmentId))
    .where(bookedInYear);
  const [adjustedHours] = await db
    .select({ n: sum(outcomeAdjustments.volunteerHoursDelta) })
    .from(outcomeAdjustments)
    .where(bookedInYear);

  // Organisations involved: those of the lead social workers and of the serving teams.
  const viaWorkers = db
    .select({ id: socialWorkers.organisationId })
    .from(outcomes)
    .innerJoin(socialWorkers, eq(socialWorkers.id, outcomes.leadSocialWorkerId))
    .where(held);
  const viaTeams = db
    .select({ id: volunteerTeams.organisationId })
    .from(eventTeams)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, eventTeams.teamId))
    .where(inArray(eventTeams.eventId, heldEvents));
  const kinds = await db
    .select({ kind: organisations.kind, n: countDistinct(organisations.id) })
    .from(organisations)
    .where(sql`${organisations.id} in (${viaWorkers}) or ${organisations.id} in (${viaTeams})`)
    .groupBy(organisations.kind);
  const organisationCounts: Record<OrganisationKind, number> = {
    university: 0,
    agency: 0,
    volunteer_org: 0,
  };
  for (const row of kinds) organisationCounts[row.kind] = Number(row.n);

  const adjustedPersonTimes = Number(adjusted?.n ?? 0);
  return {
    year,
    pilotCommunities: Number(pilots?.all ?? 0),
    pilotCommunitiesWithEvents: Number(pilots?.withEvents ?? 0),
    organisations: organisationCounts,
    socialWorkers: Number(records?.workers ?? 0),
    volunteers: Number(volunteers?.n ?? 0),
    events: Number(records?.events ?? 0),
    personTimes: Number(people?.n ?? 0) + adjustedPersonTimes,
    volunteerHours: Number(records?.hours ?? 0) + Number(adjustedHours?.n ?? 0),
    adjustedPersonTimes,
  };
}
