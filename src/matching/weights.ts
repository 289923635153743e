import type { ScorePart } from "./types";

/**
 * The one place where the score's weights live. Each part is first computed as a number in 0..1
 * (see score.ts) and then multiplied by its weight here; the weights sum to 100, so a candidate's
 * score reads as "points out of 100" and each part shows how many points it earned.
 */
export const scoreWeights = {
  /**
   * Skill fit: the share of the need's wanted skills (its service type plus its required skills)
   * that the social worker and the team cover together. The largest weight: a pair that cannot do
   * the work is no match however close or free it is.
   */
  skillFit: 30,
  /**
   * Certificate level above the need's minimum: meeting it exactly earns 0.6, one level above 0.8,
   * two levels above 1.0. Below the minimum is a hard filter, not a low score.
   */
  certificate: 10,
  /**
   * Distance in the region tree between the community and the worker's home county, and between
   * the community and the team's county, averaged: same county 1.0, same city 0.6, same province
   * 0.3, elsewhere 0. Workers and teams are located by county, so street and community collapse
   * into "same county". Travel is the main practical cost of a match, hence the second weight.
   */
  distance: 20,
  /**
   * Availability: how early in the need's windows the proposed start is. 1.0 at the start of the
   * first window, falling linearly to 0.5 at the end of the last one. No common free slot is a
   * hard filter.
   */
  availability: 10,
  /**
   * Current load: 1 − (the worker's events in the ISO week of the proposed start ÷ weekly
   * capacity). Spreads work; a full week is a hard filter for that week.
   */
  load: 15,
  /**
   * Past work with this community: min(1, completed events there ÷ 3) for the worker and for the
   * team, averaged. Continuity matters to residents, but should not lock out newcomers.
   */
  pastWork: 15,
} as const satisfies Record<ScorePart, number>;

/** The parts in display order (also the order in which they are summed). */
export const scoreParts: readonly ScorePart[] = [
  "skillFit",
  "certificate",
  "distance",
  "availability",
  "load",
  "pastWork",
];
