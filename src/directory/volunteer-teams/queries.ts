import { and, arrayContains, asc, eq, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../../auth/principal";
import { regionScope } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { volunteerTeams } from "../../db/schema";
import { equalsIfGiven, regionFilter } from "../../lib/filters";
import type { ListVolunteerTeamsQuery } from "./schemas";

/** Where a caller may see volunteer teams: the region holding the team's county. */
function visibleTo(scope: Scope) {
  return regionScope(scope, volunteerTeams.countyCode);
}

export async function listVolunteerTeams(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListVolunteerTeamsQuery>,
) {
  return db
    .select({ ...volunteerTeamColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(volunteerTeams)
    .where(
      and(
        visibleTo(scope),
        regionFilter(query.region, volunteerTeams.countyCode),
        equalsIfGiven(volunteerTeams.organisationId, query.organisationId),
        equalsIfGiven(volunteerTeams.active, query.active),
        query.skill ? arrayContains(volunteerTeams.skills, [query.skill]) : undefined,
      ),
    )
    .orderBy(asc(volunteerTeams.countyCode), asc(volunteerTeams.name), asc(volunteerTeams.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One volunteer team, or undefined if it does not exist or lies outside the scope. */
export async function findVolunteerTeam(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select(volunteerTeamColumns)
    .from(volunteerTeams)
    .where(and(eq(volunteerTeams.id, id), visibleTo(scope)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export const volunteerTeamColumns = {
  id: volunteerTeams.id,
  name: volunteerTeams.name,
  organisationId: volunteerTeams.organisationId,
  skills: volunteerTeams.skills,
  countyCode: volunteerTeams.countyCode,
  size: volunteerTeams.size,
  leaderName: volunteerTeams.leaderName,
  active: volunteerTeams.active,
  createdAt: volunteerTeams.createdAt,
  updatedAt: volunteerTeams.updatedAt,
};
