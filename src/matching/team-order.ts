/**
 * A need's eligible teams grouped by the wanted skills they have, each group best side points
 * first, listed lazily by distance: the teams with past work in the community and those in its
 * county and city at once (a few dozen), the rest of the roster (most of it, a few side points
 * each) only when a search gets that far. Side points are the team's distance and past-work
 * points; all teams of one tier without past work have the same, so no sorting is needed.
 */
import { bitCount, type PreparedNeed, teamExclusion } from "./prepare";
import { flatTier, type Roster, tierProximity } from "./roster";
import { familiarity } from "./score";
import { scoreWeights } from "./weights";

/** Distance points one side (worker or team) earns at each tier (see flatTier). */
export const tierPoints = tierProximity.map((proximity) => (scoreWeights.distance * proximity) / 2);

export interface TeamGroup {
  /** The wanted skills these teams have. */
  mask: number;
  /** Team indices listed so far, best side points first. */
  teams: number[];
  /** Side points of each listed team. */
  points: number[];
  /** At least the side points of any team of the group, listed or not. */
  top: number;
}

/** Which groups (masks of wanted skills) have an eligible team, by wanted mask and team size. */
function groupMasks(need: PreparedNeed, roster: Roster): number[] {
  const { teamMaskSizes, groupMaskCache } = roster.index;
  const key = need.wantedMask * 1e6 + need.facts.volunteersNeeded;
  let masks = groupMaskCache.get(key);
  if (!masks) {
    const found = new Set<number>();
    for (const [mask, size] of teamMaskSizes) {
      if (size >= need.facts.volunteersNeeded) found.add(mask & need.wantedMask);
    }
    masks = [...found].sort((a, b) => bitCount(b) - bitCount(a) || a - b);
    groupMaskCache.set(key, masks);
  }
  return masks;
}

/** The need's teams (see the module comment). */
export class NeedTeams {
  readonly groups: TeamGroup[];
  readonly where: [number, number, number];
  /** Team → familiarity with the community, for the teams with past work there. */
  readonly familiar = new Map<number, number>();
  /** Scratch for week-picks.ts's merge: a position and a bound offset per group. */
  readonly cursor: number[] = [];
  readonly offset: number[] = [];
  private readonly need: PreparedNeed;
  private readonly roster: Roster;
  private readonly byMask = new Map<number, TeamGroup>();
  /** Familiar teams not yet listed, best first. */
  private readonly pending: { team: number; points: number }[] = [];
  /** Tiers listed: 0 none, 2 county and city, 4 all. */
  private tier = 0;

  constructor(need: PreparedNeed, roster: Roster) {
    this.need = need;
    this.roster = roster;
    this.where = need.where;
    this.groups = groupMasks(need, roster).map((mask) => ({ mask, teams: [], points: [], top: 0 }));
    for (const group of this.groups) this.byMask.set(group.mask, group);
    const { teamPast, teamRegion } = roster.index;
    for (const [t, count] of teamPast.get(need.facts.communityId) ?? []) {
      const team = roster.teams[t];
      if (!team || teamExclusion(need, team)) continue;
      const known = familiarity(count);
      this.familiar.set(t, known);
      const tier = flatTier(this.where, teamRegion, t);
      const points = (tierPoints[tier] as number) + (scoreWeights.pastWork * known) / 2;
      this.pending.push({ team: t, points });
    }
    this.pending.sort((a, b) => b.points - a.points || a.team - b.team);
    this.more();
    for (const group of this.groups) {
      group.top = group.teams.length > 0 ? (group.points[0] as number) : this.nextPoints();
    }
  }

  /** True when every eligible team is listed. */
  get complete(): boolean {
    return this.tier >= 4 && this.pending.length === 0;
  }

  /** At least the side points of any team not listed yet (−∞ when all are). */
  nextPoints(): number {
    const familiar = this.pending[0]?.points ?? Number.NEGATIVE_INFINITY;
    const tier = this.tier < 4 ? (tierPoints[this.tier] as number) : Number.NEGATIVE_INFINITY;
    return Math.max(familiar, tier);
  }

  /** Lists the next teams: first the county and the city, then all the rest; false when done. */
  more(): boolean {
    if (this.tier >= 4) return false;
    const { teamsByCounty, teamsByCity } = this.roster.index;
    if (this.tier === 0) {
      this.list(0, teamsByCounty.get(this.where[0]) ?? []);
      this.list(1, teamsByCity.get(this.where[1]) ?? []);
      this.tier = 2;
    } else {
      const { teamRegion } = this.roster.index;
      const province: number[] = [];
      const elsewhere: number[] = [];
      for (let t = 0; t < this.roster.teams.length; t++) {
        const tier = flatTier(this.where, teamRegion, t);
        if (tier === 2) province.push(t);
        else if (tier === 3) elsewhere.push(t);
      }
      this.list(2, province);
      this.list(3, elsewhere);
      this.tier = 4;
    }
    return true;
  }

  /**
   * Lists the teams of `tier` among `candidates` (all of them in that tier, but for the county's
   * own teams among the city's), after the familiar teams whose points beat the tier's.
   */
  private list(tier: number, candidates: ArrayLike<number>): void {
    const points = tierPoints[tier] as number;
    while ((this.pending[0]?.points ?? Number.NEGATIVE_INFINITY) >= points) {
      const { team, points: own } = this.pending.shift() as { team: number; points: number };
      this.add(team, own);
    }
    const { teamRegion } = this.roster.index;
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[i] as number;
      if (this.familiar.has(t) || flatTier(this.where, teamRegion, t) !== tier) continue;
      const team = this.roster.teams[t];
      if (!team || teamExclusion(this.need, team)) continue;
      this.add(t, points);
    }
  }

  private add(t: number, points: number): void {
    const team = this.roster.teams[t];
    const group = this.byMask.get((team?.skillMask ?? 0) & this.need.wantedMask);
    if (!group) return;
    group.teams.push(t);
    group.points.push(points);
  }
}
