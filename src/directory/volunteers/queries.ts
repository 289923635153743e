import { and, asc, eq, sql } from "drizzle-orm";
import type * as v from "valibot";
import type { Scope } from "../../auth/principal";
import { regionScope } from "../../auth/scope";
import type { Queryable } from "../../db/client";
import { volunteers, volunteerTeams } from "../../db/schema";
import { maskMobile } from "../../domain/mobile";
import { AppError } from "../../lib/errors";
import { equalsIfGiven, regionFilter } from "../../lib/filters";
import { encryptPersonal, lookupHash, type PersonalDataKeys } from "../../lib/personal-data";
import type { ListVolunteersQuery } from "./schemas";

/**
 * Where a caller may see volunteers: the region holding their team's county. A volunteer with
 * no team has no county (NULL never matches LIKE), so only an admin sees them.
 */
function visibleTo(scope: Scope) {
  return regionScope(scope, volunteerTeams.countyCode);
}

/** Lists volunteers; `mobileHash` is the keyed hash of the `mobile=` filter, never the number. */
export async function listVolunteers(
  db: Queryable,
  scope: Scope,
  query: v.InferOutput<typeof ListVolunteersQuery>,
  mobileHash: string | undefined,
) {
  return db
    .select({ ...volunteerColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .where(
      and(
        visibleTo(scope),
        regionFilter(query.region, volunteerTeams.countyCode),
        equalsIfGiven(volunteers.teamId, query.teamId),
        equalsIfGiven(volunteers.active, query.active),
        equalsIfGiven(volunteers.mobileHash, mobileHash),
      ),
    )
    .orderBy(asc(volunteers.name), asc(volunteers.id))
    .limit(query.limit)
    .offset(query.offset);
}

/** One volunteer (masked), or undefined if it does not exist or lies outside the scope. */
export async function findVolunteer(
  db: Queryable,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select(volunteerColumns)
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .where(and(eq(volunteers.id, id), visibleTo(scope)));
  // Lock only the volunteer: Postgres refuses FOR UPDATE on the nullable side of an outer join.
  const [row] = options.forUpdate ? await query.for("update", { of: volunteers }) : await query;
  return row;
}

/** 400 naming `teamId` when the team does not exist (a typo, not a foreign-key error). */
export async function assertTeamExists(db: Queryable, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await db
    .select({ id: volunteerTeams.id })
    .from(volunteerTeams)
    .where(eq(volunteerTeams.id, teamId));
  if (team) return;
  throw new AppError("VALIDATION_FAILED", "the request refers to unknown records", {
    issues: [{ path: "teamId", message: "no volunteer team has this id" }],
  });
}

/** The stored forms of a normalised mobile number: encrypted, keyed hash, and masked. */
export async function sealMobile(keys: PersonalDataKeys, mobile: string) {
  return {
    mobileCiphertext: await encryptPersonal(keys, mobile),
    mobileHash: await lookupHash(keys, mobile),
    mobileMasked: maskMobile(mobile),
  };
}

/** What leaves the database about a volunteer: the mobile only masked, never ciphertext or hash. */
export const volunteerColumns = {
  id: volunteers.id,
  teamId: volunteers.teamId,
  name: volunteers.name,
  mobile: volunteers.mobileMasked,
  skills: volunteers.skills,
  active: volunteers.active,
  createdAt: volunteers.createdAt,
};
