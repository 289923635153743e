/**
 * A past year of the pilot for the demo: completed events in every pilot community, each with a
 * signed-off outcome (person-times per target group, the volunteers who came, volunteer hours,
 * typed notes), so that tallies, the dashboard and the pilot summary have a year to show. No total
 * is written down anywhere: the 2025 report's figures follow from the directory (230 social
 * workers, 120 teams, 1,220 volunteers), 14–22 events per pilot community and the per-event ranges
 * below.
 *
 * planDemoYear is pure (rows only, ids derived from stable keys); seedDemoYear inserts what is
 * missing in one transaction, a few multi-row INSERTs per table.
 */
import { eq, sql } from "drizzle-orm";
import {
  events,
  eventTeams,
  type OutcomeNote,
  outcomeGroups,
  outcomes,
  outcomeVolunteers,
  volunteerKeys,
  volunteers,
} from "../../src/db/schema";
import { type ServiceType, serviceTypes, type TargetGroup } from "../../src/domain/vocabulary";
import type { ScriptDatabase } from "../lib/database";
import { bulkInsert } from "./bulk-insert";
import { eventTitles } from "./demo-data";
import type { County, planDemo } from "./demo-plan";
import { createRandom, itemAt, type Random, stableUuid } from "./random";

type Plan = ReturnType<typeof planDemo>;
type Worker = Plan["socialWorkers"][number];
type Team = Plan["volunteerTeams"][number];
type Community = Plan["communities"][number];

/** The year the demo's completed events fall in: the year of the 2025 report. */
export const DEMO_YEAR = 2025;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Relative number of events per month: fewer around the Spring Festival and in high summer. */
const MONTH_WEIGHTS = [6, 5, 9, 10, 10, 8, 7, 6, 10, 9, 10, 8];

/**
 * Two slots a day: starts 08:30–09:30 or 14:00–15:00, at most 3 hours long, so a morning event
 * ends by 12:30 and never meets an afternoon one. One event per social worker, team and community
 * per slot makes an overlap impossible (the EXCLUDE constraints would refuse one).
 */
const SLOT_STARTS = [
  ["08:30", "09:00", "09:30"],
  ["14:00", "14:30", "15:00"],
] as const;
const DURATIONS_HOURS = [1.5, 2, 2, 2.5, 3];

/** How much each service type is asked for, before a county's own priorities. */
const BASE_DEMAND: Record<ServiceType, number> = {
  elderly_care: 3,
  child_care: 2.5,
  lecture: 2,
  recreation: 2,
  neighbourhood_watch: 1.5,
  first_aid: 1.5,
  counselling: 1.2,
  mediation: 1.2,
  legal_aid: 1,
  emergency: 0.8,
};

/** What rural counties (县, 县级市) and city districts (区) ask for more of. */
const RURAL_PRIORITIES: ServiceType[] = [
  "elderly_care",
  "lecture",
  "neighbourhood_watch",
  "first_aid",
  "mediation",
];
const URBAN_PRIORITIES: ServiceType[] = [
  "child_care",
  "counselling",
  "legal_aid",
  "mediation",
  "recreation",
  "emergency",
];

/** Person-times served by one event of the type, and who they are (relative weights). */
const AUDIENCE: Record<
  ServiceType,
  { min: number; max: number; groups: Partial<Record<TargetGroup, number>> }
> = {
  lecture: {
    min: 30,
    max: 90,
    groups: { residents: 4, elderly: 4, children: 1, delivery_rider: 0.6, courier: 0.4 },
  },
  neighbourhood_watch: { min: 15, max: 45, groups: { elderly: 6, disabled: 1.5, residents: 2.5 } },
  mediation: { min: 6, max: 20, groups: { residents: 7, elderly: 3 } },
  first_aid: {
    min: 20,
    max: 60,
    groups: {
      residents: 4,
      elderly: 3,
      delivery_rider: 1,
      courier: 1,
      ride_hailing_driver: 0.5,
      truck_driver: 0.5,
    },
  },
  counselling: {
    min: 8,
    max: 30,
    groups: { children: 3.5, elderly: 3, residents: 2, delivery_rider: 1.5 },
  },
  legal_aid: {
    min: 10,
    max: 40,
    groups: {
      elderly: 3,
      residents: 3,
      delivery_rider: 1.5,
      courier: 1,
      ride_hailing_driver: 1,
      truck_driver: 0.5,
    },
  },
  elderly_care: { min: 15, max: 50, groups: { elderly: 8.5, disabled: 1.5 } },
  child_care: { min: 15, max: 50, groups: { children: 9, residents: 1 } },
  emergency: { min: 30, max: 100, groups: { residents: 5, elderly: 2.5, children: 2.5 } },
  recreation: { min: 30, max: 90, groups: { elderly: 5, children: 3, residents: 2 } },
};

/** Service types an event may bring a second team to: the big ones. */
const BIG_EVENTS = new Set<ServiceType>(["lecture", "first_aid", "emergency", "recreation"]);

export interface DemoYearOptions {
  /** Only events that ended before this are planned as completed (default: now). */
  now?: Date;
  /** Account that recorded the outcomes of a community's events (its coordinator), by community. */
  recorders?: ReadonlyMap<string, string>;
  /** Account that signed off a social worker's outcomes (their own), by social worker. */
  signers?: ReadonlyMap<string, string>;
}

type EventRow = typeof events.$inferInsert & { id: string; startsAt: Date; endsAt: Date };
type OutcomeRow = typeof outcomes.$inferInsert & { eventId: string; signedOffAt: Date };

/** The year's rows; `attendees` name directory volunteers, keyed by volunteer key on insert. */
export interface DemoYear {
  events: EventRow[];
  eventTeams: (typeof eventTeams.$inferInsert)[];
  outcomes: OutcomeRow[];
  outcomeGroups: (typeof outcomeGroups.$inferInsert)[];
  attendees: { eventId: string; volunteerId: string }[];
}

const cityOf = (countyCode: string) => `${countyCode.slice(0, 4)}00`;

/** Local (Asia/Shanghai) date and time as an instant. */
function shanghai(year: number, month: number, day: number, time: string): Date {
  const mm = String(month).padStart(2, "0");
  const dd = String(day).padStart(2, "0");
  return new Date(`${year}-${mm}-${dd}T${time}:00+08:00`);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A county's demand per service type: the base, its own 2–3 priorities, and who is at hand. */
function countyDemand(county: County, skillsAtHand: Set<ServiceType>, rng: Random) {
  const priorities = county.name.endsWith("区") ? URBAN_PRIORITIES : RURAL_PRIORITIES;
  const boosted = new Set(rng.sample(priorities, rng.int(2, 3)));
  return serviceTypes.map((type) => ({
    type,
    weight: BASE_DEMAND[type] * (boosted.has(type) ? 2.5 : 1) * (skillsAtHand.has(type) ? 2 : 0.4),
  }));
}

/**
 * Someone of the county itself (share `localShare`) or else of another county of the city; mostly
 * one with the skill, if there is one; and the less someone has led or served, the likelier.
 */
function pickBy<T extends { skills: ServiceType[] }>(
  candidates: T[],
  rng: Random,
  type: ServiceType,
  localShare: number,
  isLocal: (item: T) => boolean,
  load: (item: T) => number,
): T {
  const local = candidates.filter(isLocal);
  const others = candidates.filter((item) => !isLocal(item));
  const nearby =
    others.length === 0 || (local.length > 0 && rng.next() < localShare) ? local : others;
  const skilled = nearby.filter((item) => item.skills.includes(type));
  const pool = skilled.length > 0 && rng.next() < 0.85 ? skilled : nearby;
  return rng.weighted(pool, (item) => 1 / (1 + load(item)) ** 2);
}

/** Splits `total` person-times over 1–3 of the type's target groups. */
function personTimes(type: ServiceType, rng: Random): Map<TargetGroup, number> {
  const audience = AUDIENCE[type];
  const total = rng.int(audience.min, audience.max);
  const weighted = Object.entries(audience.groups) as [TargetGroup, number][];
  const count = Math.min(weighted.length, rng.next() < 0.4 ? 1 : rng.next() < 0.7 ? 2 : 3);
  const chosen: [TargetGroup, number][] = [];
  let pool = weighted;
  while (chosen.length < count) {
    const pick = rng.weighted(pool, ([, weight]) => weight);
    chosen.push(pick);
    pool = pool.filter((entry) => entry !== pick);
  }
  const shares = chosen.map(([group, weight]) => [group, weight * (0.6 + rng.next())] as const);
  const sum = shares.reduce((acc, [, share]) => acc + share, 0);
  const groups = new Map<TargetGroup, number>();
  let left = total;
  shares.forEach(([group, share], i) => {
    const n = i === shares.length - 1 ? left : Math.max(1, Math.round((total * share) / sum));
    if (n <= 0) return;
    groups.set(group, n);
    left -= n;
  });
  return groups;
}

/** The typed notes a recorder would add for the type, sometimes. */
function notesFor(type: ServiceType, served: number, rng: Random): OutcomeNote[] {
  const maybe = (chance: number, note: () => OutcomeNote) => (rng.next() < chance ? [note()] : []);
  switch (type) {
    case "mediation":
      return maybe(0.85, () => ({ kind: "disputes_mediated", count: rng.int(1, 4) }));
    case "first_aid":
      return maybe(0.7, () => ({
        kind: "first_aid_trained",
        count: Math.max(1, Math.round(served * (0.3 + 0.4 * rng.next()))),
      }));
    case "elderly_care":
    case "neighbourhood_watch":
      return maybe(0.45, () => ({ kind: "home_visits", count: rng.int(4, 15) }));
    case "counselling":
    case "legal_aid":
      return maybe(0.3, () => ({ kind: "referrals", count: rng.int(1, 3) }));
    default:
      return [];
  }
}

/**
 * Books a day and slot on which none of `ids` (social worker, teams, community) is busy yet: a
 * month by weight, a day in it at random, then the first free slot from there.
 */
function book(busy: Set<string>, ids: string[], year: number, rng: Random) {
  const month = rng.weighted(
    MONTH_WEIGHTS.map((weight, i) => ({ month: i + 1, weight })),
    (entry) => entry.weight,
  ).month;
  const days = daysIn(year, month);
  let day = rng.int(1, days);
  let slot = rng.next() < 0.55 ? 0 : 1;
  const key = (id: string) => `${id}|${month}-${day}|${slot}`;
  for (let tries = 0; ids.some((id) => busy.has(key(id))); tries++) {
    if (tries > 2 * days) throw new Error(`No free slot left in ${year}-${month} for ${ids}`);
    slot = 1 - slot;
    if (slot === 0) day = (day % days) + 1;
  }
  for (const id of ids) busy.add(key(id));
  return { month, day, slot };
}

interface Planned {
  seq: number;
  community: Community;
  type: ServiceType;
  lead: Worker;
  serving: Team[];
  month: number;
  day: number;
  slot: number;
}

/** The rows of one planned event: the event, its teams, its outcome, groups and attendees. */
function addEvent(
  out: DemoYear,
  year: number,
  { seq, community, type, lead, serving, month, day, slot }: Planned,
  members: Map<string, string[]>,
  options: DemoYearOptions,
  rng: Random,
) {
  const hours = rng.pick(DURATIONS_HOURS);
  const startsAt = shanghai(year, month, day, rng.pick(itemAt(SLOT_STARTS, slot)));
  const endsAt = new Date(startsAt.getTime() + hours * HOUR_MS);
  const id = stableUuid(`event:${year}:${community.regionCode}:${seq}`);
  // Some of each serving team's members came (at least 3 of them).
  const attendees = serving.flatMap((team) => {
    const list = members.get(team.id) ?? [];
    const share = 0.45 + 0.45 * rng.next();
    return rng.sample(list, Math.min(list.length, Math.max(3, Math.round(list.length * share))));
  });
  const groups = personTimes(type, rng);
  const served = [...groups.values()].reduce((sum, n) => sum + n, 0);
  const recordedAt = new Date(endsAt.getTime() + rng.int(1, 20) * HOUR_MS);
  const signedOffAt = new Date(recordedAt.getTime() + rng.int(4, 120) * HOUR_MS);

  out.events.push({
    id,
    communityId: community.id,
    serviceType: type,
    title: `${rng.pick(eventTitles[type])} · ${community.name}`,
    leadSocialWorkerId: lead.id,
    startsAt,
    endsAt,
    capacity: serving.reduce((sum, team) => sum + team.size, 0),
    status: "completed",
    leadResponse: "accepted",
    signupClosesAt: startsAt,
    revision: 1,
    createdAt: new Date(startsAt.getTime() - rng.int(7, 28) * DAY_MS),
    updatedAt: recordedAt,
  });
  for (const team of serving) {
    out.eventTeams.push({ eventId: id, teamId: team.id, startsAt, endsAt });
  }
  out.outcomes.push({
    eventId: id,
    // The trigger copies these from the event; given so that the row type is complete.
    communityId: community.id,
    regionCode: community.regionCode,
    serviceType: type,
    leadSocialWorkerId: lead.id,
    month: `${year}-${String(month).padStart(2, "0")}-01`,
    // Unique people are known for some events only; one person may be in two groups.
    peopleServed: rng.next() < 0.6 ? Math.max(1, served - rng.int(0, 2)) : null,
    volunteersAttended: attendees.length,
    volunteerHours: attendees.length * hours,
    notes: notesFor(type, served, rng),
    status: "signed_off",
    recordedBy: options.recorders?.get(community.id) ?? null,
    signedOffBy: options.signers?.get(lead.id) ?? null,
    signedOffAt,
    // Recorded (0), then signed off (1).
    revision: 1,
    createdAt: recordedAt,
    updatedAt: signedOffAt,
  });
  for (const [targetGroup, n] of groups) {
    out.outcomeGroups.push({ eventId: id, targetGroup, personTimes: n });
  }
  for (const volunteerId of attendees) out.attendees.push({ eventId: id, volunteerId });
}

/** Plans one city's year: its social workers and teams serve the city's pilot communities. */
function planCity(
  year: number,
  counties: County[],
  pilots: Map<string, Community>,
  workers: Worker[],
  teams: Team[],
  members: Map<string, string[]>,
  options: DemoYearOptions,
  out: DemoYear,
) {
  const rng = createRandom(`demo-year:${year}:${cityOf(counties[0]?.code ?? "")}`);
  const busy = new Set<string>();
  const load = new Map<string, number>();
  const loadOf = (item: { id: string }) => load.get(item.id) ?? 0;
  for (const county of counties) {
    const community = pilots.get(county.code);
    if (!community) continue;
    const localWorker = (worker: Worker) => worker.homeCountyCode === county.code;
    const localTeam = (team: Team) => team.countyCode === county.code;
    const atHand = new Set([
      ...workers.filter(localWorker).flatMap((worker) => worker.skills),
      ...teams.filter(localTeam).flatMap((team) => team.skills),
    ]);
    const demand = countyDemand(county, atHand, rng);
    const eventCount = rng.int(14, 20) + (county.name.endsWith("区") ? 2 : 0);
    for (let seq = 1; seq <= eventCount; seq++) {
      const type = rng.weighted(demand, (entry) => entry.weight).type;
      const lead = pickBy(workers, rng, type, 0.8, localWorker, loadOf);
      const team = pickBy(teams, rng, type, 0.85, localTeam, loadOf);
      const others = teams.filter((candidate) => candidate.id !== team.id);
      const serving =
        BIG_EVENTS.has(type) && others.length > 0 && rng.next() < 0.12
          ? [team, pickBy(others, rng, type, 0.5, localTeam, loadOf)]
          : [team];
      const slot = book(busy, [lead.id, community.id, ...serving.map((t) => t.id)], year, rng);
      for (const item of [lead, ...serving]) load.set(item.id, loadOf(item) + 1);
      addEvent(out, year, { seq, community, type, lead, serving, ...slot }, members, options, rng);
    }
  }
}

/**
 * A year of completed, signed-off events in every pilot community, led by social workers of the
 * county or its city and served by the city's teams. Events that had not ended by `now` are left
 * out (and with them their rows), so a year still under way is only seeded as far as it has gone.
 */
export function planDemoYear(
  plan: Plan,
  counties: County[],
  year = DEMO_YEAR,
  options: DemoYearOptions = {},
): DemoYear {
  const out: DemoYear = {
    events: [],
    eventTeams: [],
    outcomes: [],
    outcomeGroups: [],
    attendees: [],
  };
  const pilots = new Map(
    plan.communities.filter((c) => c.isPilot).map((c) => [c.countyCode, c] as const),
  );
  const members = new Map<string, string[]>();
  for (const volunteer of plan.volunteers) {
    const list = members.get(volunteer.teamId) ?? [];
    list.push(volunteer.id);
    members.set(volunteer.teamId, list);
  }
  const cities = new Map<string, County[]>();
  for (const county of counties) {
    const list = cities.get(cityOf(county.code)) ?? [];
    list.push(county);
    cities.set(cityOf(county.code), list);
  }
  for (const [city, cityCounties] of cities) {
    const workers = plan.socialWorkers.filter((w) => cityOf(w.homeCountyCode) === city);
    const teams = plan.volunteerTeams.filter((t) => cityOf(t.countyCode) === city);
    if (workers.length === 0 || teams.length === 0) continue;
    planCity(year, cityCounties, pilots, workers, teams, members, options, out);
  }
  const cutoff = (options.now ?? new Date()).getTime();
  const ended = new Set(out.events.filter((e) => e.endsAt.getTime() <= cutoff).map((e) => e.id));
  if (ended.size === out.events.length) return out;
  const keep = <T extends { eventId: string }>(rows: T[]) =>
    rows.filter((r) => ended.has(r.eventId));
  return {
    events: out.events.filter((e) => ended.has(e.id)),
    eventTeams: keep(out.eventTeams),
    outcomes: keep(out.outcomes).map((o) =>
      o.signedOffAt.getTime() > cutoff
        ? { ...o, signedOffAt: new Date(cutoff), updatedAt: new Date(cutoff) }
        : o,
    ),
    outcomeGroups: keep(out.outcomeGroups),
    attendees: keep(out.attendees),
  };
}

/** The insert triggers that keep the tally rollups (statement-level, migration 0028). */
const TALLY_TRIGGERS = [
  ["outcomes", "outcomes_tally_insert"],
  ["outcome_groups", "outcome_groups_tally_insert"],
  ["outcome_volunteers", "outcome_volunteers_tally_insert"],
] as const;

/**
 * Inserts the year's events that are not there yet, with their teams, outcomes, person-times and
 * attending volunteers (by their directory mobile hash), in one transaction; returns how many
 * events it added. A re-run finds every event and adds nothing.
 */
export async function seedDemoYear(
  db: ScriptDatabase,
  plan: Plan,
  counties: County[],
  options: DemoYearOptions & { year?: number } = {},
): Promise<number> {
  const year = planDemoYear(plan, counties, options.year ?? DEMO_YEAR, options);
  if (year.events.length === 0) return 0;
  const planned = year.events.map((event) => event.id);
  const existing = new Set(
    (
      await db
        .select({ id: events.id })
        .from(events)
        .where(sql`${events.id} = any(${sql.param(planned)}::uuid[])`)
    ).map((row) => row.id),
  );
  const isNew = (eventId: string) => !existing.has(eventId);
  const fresh = year.events.filter((event) => isNew(event.id));
  if (fresh.length === 0) return 0;

  // Attendance is keyed by the surrogate key of the directory volunteer's mobile hash, as the API
  // keys a ticked one (made here on first sight, as recording an outcome does).
  await db.execute(sql`insert into ${volunteerKeys} (mobile_hash)
    select mobile_hash from ${volunteers} on conflict (mobile_hash) do nothing`);
  const keys = new Map(
    (
      await db
        .select({ id: volunteers.id, key: volunteerKeys.key })
        .from(volunteers)
        .innerJoin(volunteerKeys, eq(volunteerKeys.mobileHash, volunteers.mobileHash))
    ).map((row) => [row.id, row.key]),
  );
  const attendees = year.attendees.flatMap(({ eventId, volunteerId }) => {
    const volunteerKey = keys.get(volunteerId);
    return isNew(eventId) && volunteerKey ? [{ eventId, volunteerKey }] : [];
  });

  const newRows = <T extends { eventId: string }>(rows: T[]) =>
    rows.filter((r) => isNew(r.eventId));
  await db.transaction(async (tx) => {
    await bulkInsert(tx, events, fresh);
    await bulkInsert(tx, eventTeams, newRows(year.eventTeams));
    // The rollups' row triggers would fold each of ~40,000 rows in one at a time (most of a
    // first start's time on PGlite); standing them aside and rebuilding the rollups once from the
    // records gives the same tables (tests compare kept rollups with tally_rebuild()).
    for (const [table, trigger] of TALLY_TRIGGERS)
      await tx.execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`));
    await bulkInsert(tx, outcomes, newRows(year.outcomes));
    await bulkInsert(tx, outcomeGroups, newRows(year.outcomeGroups));
    await bulkInsert(tx, outcomeVolunteers, attendees);
    for (const [table, trigger] of TALLY_TRIGGERS)
      await tx.execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`));
    await tx.execute(sql`select tally_rebuild()`);
  });
  return fresh.length;
}
