import type * as schema from "../../src/db/schema";
import { serviceTypeLabels } from "../../src/domain/vocabulary";
import type { planDemo } from "./demo-plan";
import { stableUuid } from "./random";

type Plan = ReturnType<typeof planDemo>;

/** Pilot communities that always get an upcoming event: 多福社区, 北苑社区, 春海社区 first. */
const FEATURED = ["210103005024", "210104002014", "210202001002"];
const EVENTS_PER_WEEK = 12;
const DAY_MS = 86_400_000;

/** Monday of `now`'s week in Asia/Shanghai, as YYYY-MM-DD: the key that makes a week's events. */
function shanghaiWeek(now: Date): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const monday = new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * DAY_MS);
  return monday.toISOString().slice(0, 10);
}

/**
 * A dozen scheduled events in the two weeks after `now`, so the volunteers' pages have something
 * to sign up for. Keyed by the week of seeding: a restart in the same week adds nothing, a start
 * in a later week adds the next dozen. Each social worker and team is used once, so none overlap.
 */
export function planUpcomingEvents(plan: Plan, now: Date) {
  const week = shanghaiWeek(now);
  const today = new Date(
    `${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`,
  );
  const pilots = plan.communities
    .filter((community) => community.isPilot)
    .sort((a, b) => {
      const rank = (code: string) =>
        FEATURED.includes(code) ? FEATURED.indexOf(code) : FEATURED.length;
      return rank(a.regionCode) - rank(b.regionCode) || a.regionCode.localeCompare(b.regionCode);
    });
  const usedWorkers = new Set<string>();
  const usedTeams = new Set<string>();
  const events: (typeof schema.events.$inferInsert & { id: string })[] = [];
  const eventTeams: (typeof schema.eventTeams.$inferInsert)[] = [];
  for (const community of pilots) {
    if (events.length >= EVENTS_PER_WEEK) break;
    const worker = plan.socialWorkers.find(
      (w) => w.homeCountyCode === community.countyCode && !usedWorkers.has(w.id),
    );
    const team = plan.volunteerTeams.find(
      (t) => t.countyCode === community.countyCode && !usedTeams.has(t.id),
    );
    if (!worker || !team) continue;
    usedWorkers.add(worker.id);
    usedTeams.add(team.id);
    const i: number = events.length;
    const start = new Date(
      today.getTime() + (2 + (i % 10)) * DAY_MS + (i % 2 === 0 ? 9 : 14) * 3_600_000,
    );
    const end = new Date(start.getTime() + 2 * 3_600_000);
    const serviceType = worker.skills[0] ?? "recreation";
    const id = stableUuid(`event:${week}:${community.regionCode}`);
    events.push({
      id,
      communityId: community.id,
      serviceType,
      title: `${serviceTypeLabels[serviceType].zh} · ${community.name}`,
      leadSocialWorkerId: worker.id,
      startsAt: start,
      endsAt: end,
      capacity: 10 + ((i * 3) % 11),
      leadResponse: "accepted" as const,
      signupClosesAt: start,
    });
    eventTeams.push({ eventId: id, teamId: team.id, startsAt: start, endsAt: end });
  }
  return { events, eventTeams };
}
